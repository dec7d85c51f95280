import Testing
@testable import ModelChecking

@Suite struct WorkerGovernorTests {
    /// Runs `batches` batches through a governor whose batches cost `sequential` or `parallel`
    /// nanoseconds per transition; returns how many ran on all workers.
    private func parallelBatches(policy: WorkerPolicy = .adaptive, sequential: Double, parallel: Double, batches: Int) -> Int {
        var governor = WorkerGovernor(policy: policy)
        for _ in 0..<batches {
            let onAll = governor.nextBatchIsParallel()
            let transitions = 10_000
            let nanoseconds = (onAll ? parallel : sequential) * Double(transitions)
            governor.record(parallel: onAll, transitions: transitions, duration: .nanoseconds(Int64(nanoseconds)))
        }
        #expect(governor.parallelBatches + governor.sequentialBatches == batches)
        return governor.parallelBatches
    }

    @Test func prefersTheFasterModeAndProbesTheOtherRarely() {
        // Idle machine: all workers are faster; one worker is retried ever more rarely.
        let idle = parallelBatches(sequential: 100, parallel: 60, batches: 400)
        #expect(idle >= 390)
        #expect(idle < 400)
        // Busy machine: all workers are slower than one; the search falls back to one.
        let busy = parallelBatches(sequential: 100, parallel: 180, batches: 400)
        #expect(busy <= 10)
        #expect(busy >= 1)
    }

    @Test func followsAChangeOfLoad() {
        var governor = WorkerGovernor(policy: .adaptive)
        func run(_ batches: Int, sequential: Double, parallel: Double) -> Int {
            var onAllCount = 0
            for _ in 0..<batches {
                let onAll = governor.nextBatchIsParallel()
                if onAll { onAllCount += 1 }
                let cost = onAll ? parallel : sequential
                governor.record(parallel: onAll, transitions: 1_000, duration: .nanoseconds(Int64(cost * 1_000)))
            }
            return onAllCount
        }
        #expect(run(200, sequential: 100, parallel: 60) > 190)
        // Another program takes a core: within a few probes the governor moves to one worker.
        _ = run(150, sequential: 100, parallel: 200)
        #expect(run(100, sequential: 100, parallel: 200) < 10)
        // The machine is idle again.
        _ = run(150, sequential: 100, parallel: 60)
        #expect(run(100, sequential: 100, parallel: 60) > 90)
    }

    @Test func shortBatchesAreNotTimed() {
        var governor = WorkerGovernor(policy: .adaptive)
        for _ in 0..<10 {
            let onAll = governor.nextBatchIsParallel()
            #expect(onAll)
            governor.record(parallel: onAll, transitions: 10, duration: .seconds(1))
        }
        #expect(governor.preferredParallel == nil)
    }

    @Test func fixedAndAlternatingPolicies() {
        #expect(parallelBatches(policy: .fixed, sequential: 1, parallel: 1_000, batches: 50) == 50)
        #expect(parallelBatches(policy: .alternating, sequential: 1, parallel: 1_000, batches: 50) == 25)
    }

    @Test func resultsDoNotDependOnThePolicy() throws {
        // Levels of up to C(17, 8) = 24,310 states: two merge batches, so that alternating runs
        // one batch of a level on all workers and the next, fused, on one.
        let system = BitFlips(bits: 17)
        func run(_ workers: Int, _ policy: WorkerPolicy, stop: Bool) -> CheckResult<BitFlips> {
            var options = CheckerOptions(workers: workers, stopOnViolation: stop, progressInterval: nil)
            options.workerPolicy = policy
            return Checker(system, options: options).run()
        }
        for stop in [false, true] {
            let reference = run(1, .fixed, stop: stop)
            let violation = try #require(reference.verdict(named: "fewBitsSet")?.status.trace)
            for (workers, policy) in [(2, WorkerPolicy.fixed), (2, .alternating), (3, .alternating), (2, .adaptive)] {
                let result = run(workers, policy, stop: stop)
                #expect(result.statistics.distinctStates == reference.statistics.distinctStates, "\(workers) \(policy)")
                #expect(result.statistics.transitions == reference.statistics.transitions, "\(workers) \(policy)")
                #expect(result.statistics.terminalStates == reference.statistics.terminalStates)
                #expect(result.statistics.maxDepth == reference.statistics.maxDepth)
                #expect(result.verdict(named: "fewBitsSet")?.status.trace?.states == violation.states)
                #expect(result.verdict(named: "allSet")?.status.trace?.states == reference.verdict(named: "allSet")?.status.trace?.states)
                if policy == .alternating {
                    #expect(result.statistics.sequentialBatches > 0 && result.statistics.parallelBatches > 0)
                }
            }
        }
        // And with a state limit inside a level.
        var limited = CheckerOptions(workers: 2, maxStates: 30_000, stopOnViolation: false, progressInterval: nil)
        limited.workerPolicy = .alternating
        let cut = Checker(system, options: limited).run()
        var single = limited
        single.workers = 1
        let reference = Checker(system, options: single).run()
        #expect(cut.outcome == .stateLimitReached)
        #expect(cut.statistics.distinctStates == reference.statistics.distinctStates)
        #expect(cut.statistics.transitions == reference.statistics.transitions)
    }
}
