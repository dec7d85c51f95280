import Foundation
import Testing
@testable import ModelChecking

private func options(
    _ strategy: SearchStrategy = .breadthFirst, workers: Int = 1, maxDepth: Int? = nil, maxStates: Int? = nil,
    stop: Bool = true
) -> CheckerOptions {
    CheckerOptions(
        strategy: strategy, workers: workers, maxDepth: maxDepth, maxStates: maxStates, stopOnViolation: stop,
        progressInterval: nil)
}

@Suite struct CheckerTests {
    @Test(arguments: [SearchStrategy.breadthFirst, .depthFirst])
    func countsMatchReferenceExplorer(strategy: SearchStrategy) {
        let systems: [any TransitionSystem] = [
            Counter(limit: 10), Grid(width: 7, height: 5), Grid(width: 6, height: 6, allDirections: true), Jugs(),
            TokenCounters(counters: 3, modulus: 4, bound: 100),
        ]
        for system in systems {
            check(system, strategy: strategy)
        }
    }

    private func check<S: TransitionSystem>(_ system: S, strategy: SearchStrategy) {
        let reference = referenceCounts(system)
        let result = Checker(system, options: options(strategy, stop: false)).run()
        #expect(result.outcome == .complete, "\(system.name)")
        #expect(result.statistics.distinctStates == reference.states, "\(system.name)")
        #expect(result.statistics.transitions == reference.transitions, "\(system.name)")
        #expect(result.statistics.terminalStates == reference.terminal, "\(system.name)")
    }

    @Test func gridCountsAndDepth() {
        let result = Checker(Grid(width: 4, height: 3), options: options()).run()
        #expect(result.statistics.distinctStates == 12)
        #expect(result.statistics.transitions == 3 * 3 + 4 * 2)
        #expect(result.statistics.terminalStates == 1)
        #expect(result.statistics.maxDepth == 5)
        #expect(result.outcome == .complete)
    }

    @Test func shortestCounterexample() throws {
        let grid = Grid(width: 10, height: 10, allDirections: true, props: [.always("nearOrigin") { $0.x + $0.y < 5 }])
        for strategy in [SearchStrategy.breadthFirst] {
            let result = Checker(grid, options: options(strategy)).run()
            #expect(result.outcome == .stoppedOnViolation)
            guard case .violated(let trace) = result.verdict(named: "nearOrigin")?.status else {
                Issue.record("expected a violation")
                return
            }
            #expect(trace.length == 5)
            #expect(trace.finalState.x + trace.finalState.y == 5)
            #expect(trace.steps.dropLast().allSatisfy { $0.state.x + $0.state.y < 5 })
            // The trace is a real path of the model.
            var state = trace.initialState
            for step in trace.steps {
                #expect(grid.successors(of: state).contains { $0.action == step.action && $0.state == step.state })
                state = step.state
            }
        }
        // DFS finds a violation too, not necessarily shortest, but ending in a violating state.
        let dfs = Checker(grid, options: options(.depthFirst)).run()
        let trace = try #require(dfs.verdict(named: "nearOrigin")?.status.trace)
        #expect(trace.finalState.x + trace.finalState.y >= 5)
    }

    @Test func sometimesWitnessAndNotReached() throws {
        let result = Checker(Jugs(), options: options(stop: false)).run()
        #expect(result.outcome == .complete)
        let witness = try #require(result.verdict(named: "fourReachable")?.status.trace)
        #expect(witness.length == 6)  // the classic shortest solution
        #expect(witness.finalState.big == 4)
        guard case .notReached = result.verdict(named: "sevenInBig")?.status else {
            Issue.record("sevenInBig should be not reached")
            return
        }
        guard case .violated(let counterexample) = result.verdict(named: "notFour")?.status else {
            Issue.record("notFour should be violated")
            return
        }
        #expect(counterexample.length == 6)
        guard case .notChecked = result.verdict(named: "eventuallyFour")?.status else {
            Issue.record("liveness must be left to the liveness checker")
            return
        }
        #expect(result.verdicts.map(\.name) == ["notFour", "fourReachable", "sevenInBig", "eventuallyFour"])
    }

    @Test func stopsEarlyOnlyWhenAllSafetyPropertiesDecided() {
        // "sevenInBig" is never reached, so the search must run to the end.
        let result = Checker(Jugs(), options: options()).run()
        #expect(result.outcome == .complete)
        #expect(result.statistics.distinctStates == referenceCounts(Jugs()).states)
        // With only decidable properties, it stops as soon as they are decided.
        let grid = Grid(width: 50, height: 50, props: [.always("small") { $0.x < 3 }])
        let early = Checker(grid, options: options()).run()
        #expect(early.outcome == .stoppedOnViolation)
        #expect(early.statistics.distinctStates < 2500)
    }

    @Test func boundaryStatesAreCountedNotExpanded() {
        let result = Checker(Counter(limit: nil, boundary: 10), options: options()).run()
        #expect(result.outcome == .complete)
        #expect(result.statistics.distinctStates == 12)  // 0...10 expanded, 11 counted
        #expect(result.statistics.transitions == 1 + 10 * 2)
        guard case .holds = result.verdict(named: "nonNegative")?.status else {
            Issue.record("invariant holds within the boundary")
            return
        }
    }

    @Test func maxDepthBoundsTheSearch() {
        for strategy in [SearchStrategy.breadthFirst, .depthFirst] {
            let result = Checker(Counter(limit: nil), options: options(strategy, maxDepth: 7)).run()
            #expect(result.outcome == .depthLimitReached)
            #expect(result.statistics.distinctStates == 8)
            #expect(result.statistics.maxDepth == 7)
            guard case .incomplete(.depthLimit) = result.verdict(named: "nonNegative")?.status else {
                Issue.record("a bounded search must not claim the invariant holds")
                return
            }
        }
        // A depth bound beyond the diameter is a complete search.
        let complete = Checker(Counter(limit: 5), options: options(maxDepth: 5)).run()
        #expect(complete.outcome == .depthLimitReached || complete.outcome == .complete)
        let deeper = Checker(Counter(limit: 5), options: options(maxDepth: 6)).run()
        #expect(deeper.outcome == .complete)
    }

    @Test func maxStatesStopsWithStateLimit() {
        for strategy in [SearchStrategy.breadthFirst, .depthFirst] {
            for workers in [1, 2] {
                let result = Checker(Counter(limit: nil), options: options(strategy, workers: workers, maxStates: 100)).run()
                #expect(result.outcome == .stateLimitReached)
                #expect(result.statistics.distinctStates == 100)
                guard case .incomplete(.stateLimit) = result.verdict(named: "nonNegative")?.status else {
                    Issue.record("a truncated search must not claim the invariant holds")
                    return
                }
            }
        }
        let exact = Checker(Counter(limit: 9), options: options(maxStates: 10)).run()
        #expect(exact.outcome == .complete)
    }

    @Test func deadlocksReportedOnlyWhenAsked() throws {
        let quiet = Checker(Grid(width: 4, height: 3), options: options()).run()
        #expect(quiet.verdict(named: "deadlock") == nil)
        #expect(quiet.statistics.terminalStates == 1)
        for strategy in [SearchStrategy.breadthFirst, .depthFirst] {
            let loud = Checker(Grid(width: 4, height: 3, deadlocks: true), options: options(strategy)).run()
            let trace = try #require(loud.verdict(named: "deadlock")?.status.trace)
            #expect(trace.length == 5)
            #expect(trace.finalState == Grid.State(x: 3, y: 2))
            #expect(loud.verdict(named: "deadlock")?.isFailure == true)
        }
        let live = Checker(Grid(width: 4, height: 3, allDirections: true, deadlocks: true), options: options()).run()
        guard case .holds = live.verdict(named: "deadlock")?.status else {
            Issue.record("no deadlock when every state can move")
            return
        }
    }

    @Test func randomWalksAreReproducible() throws {
        let system = TokenCounters(counters: 4, modulus: 5, bound: 9)
        let walk = SearchStrategy.randomWalk(seed: 42, walks: 50, depth: 40)
        let first = Checker(system, options: options(walk, stop: false)).run()
        let second = Checker(system, options: options(walk, stop: false)).run()
        #expect(first.outcome == .simulationFinished)
        #expect(first.statistics.distinctStates == second.statistics.distinctStates)
        #expect(first.statistics.transitions == second.statistics.transitions)
        let a = try #require(first.verdict(named: "sumBelowBound")?.status.trace)
        let b = try #require(second.verdict(named: "sumBelowBound")?.status.trace)
        #expect(a.states == b.states)
        #expect(a.finalState.reduce(0, +) >= 9)
        let other = Checker(system, options: options(.randomWalk(seed: 7, walks: 50, depth: 40), stop: false)).run()
        #expect(other.statistics.transitions != first.statistics.transitions || other.statistics.distinctStates != first.statistics.distinctStates)
        // Random simulation never proves an invariant.
        let safe = Checker(Counter(limit: 5), options: options(.randomWalk(seed: 1, walks: 3, depth: 10))).run()
        guard case .incomplete(.simulation) = safe.verdict(named: "nonNegative")?.status else {
            Issue.record("simulation cannot prove invariants")
            return
        }
    }

    @Test func resultsIdenticalAcrossWorkerCounts() throws {
        let systems = [
            TokenCounters(counters: 4, modulus: 5, bound: 11),
            TokenCounters(counters: 5, modulus: 4, bound: 9),
        ]
        for system in systems {
            let results = [1, 2, 4, 3].map { Checker(system, options: options(workers: $0, stop: false)).run() }
            let traces = try results.map { try #require($0.verdict(named: "sumBelowBound")?.status.trace) }
            for (result, trace) in zip(results, traces) {
                #expect(result.statistics.distinctStates == results[0].statistics.distinctStates)
                #expect(result.statistics.transitions == results[0].statistics.transitions)
                #expect(result.statistics.terminalStates == results[0].statistics.terminalStates)
                #expect(result.statistics.maxDepth == results[0].statistics.maxDepth)
                #expect(trace.states == traces[0].states)
                #expect(trace.steps.map(\.action) == traces[0].steps.map(\.action))
            }
            #expect(results[0].statistics.distinctStates == referenceCounts(system).states)
            // Also when stopping on the violation.
            let stopped = [1, 2, 4].map { Checker(system, options: options(workers: $0)).run() }
            for result in stopped {
                #expect(result.statistics.distinctStates == stopped[0].statistics.distinctStates)
                #expect(result.statistics.transitions == stopped[0].statistics.transitions)
                #expect(result.verdict(named: "sumBelowBound")?.status.trace?.states == traces[0].states)
            }
        }
    }

    @Test func wideLevelsIdenticalAcrossWorkerCounts() throws {
        // Levels of up to C(17, 8) = 24310 states span several chunks and two merge batches.
        let system = BitFlips(bits: 17)
        let results = [1, 2, 3].map { Checker(system, options: options(workers: $0, stop: false)).run() }
        let violation = try #require(results[0].verdict(named: "fewBitsSet")?.status.trace)
        let witness = try #require(results[0].verdict(named: "allSet")?.status.trace)
        #expect(violation.length == 9)
        #expect(witness.length == 17)
        #expect(results[0].statistics.distinctStates == 1 << 17)
        #expect(results[0].statistics.transitions == 17 << 17)
        for result in results.dropFirst() {
            #expect(result.statistics.distinctStates == results[0].statistics.distinctStates)
            #expect(result.statistics.transitions == results[0].statistics.transitions)
            #expect(result.verdict(named: "fewBitsSet")?.status.trace?.steps.map(\.action) == violation.steps.map(\.action))
            #expect(result.verdict(named: "allSet")?.status.trace?.states == witness.states)
        }
        // The canonical choice is the first state in BFS order: bits flipped in ascending order.
        #expect(violation.steps.map(\.action) == Array(0..<9))
    }

    @Test func cancellationInterrupts() {
        let flag = CancellationFlag()
        flag.cancel()
        var opts = options(workers: 2)
        opts.cancellation = flag
        let result = Checker(Counter(limit: nil), options: opts).run()
        #expect(result.outcome == .interrupted)
        guard case .incomplete(.interrupted) = result.verdict(named: "nonNegative")?.status else {
            Issue.record("an interrupted search proves nothing")
            return
        }
    }

    @Test func progressIsReported() {
        var reports: [ProgressReport] = []
        var opts = options(maxStates: 5000)
        opts.progressInterval = .zero
        _ = Checker(Counter(limit: nil), options: opts).run { reports.append($0) }
        #expect(!reports.isEmpty)
        #expect(reports.last!.distinctStates <= 5000)
        #expect(reports.last!.line.contains("states/s"))
    }

    @Test func statisticsAreFilled() {
        let result = Checker(Grid(width: 20, height: 20), options: options()).run()
        #expect(result.statistics.peakMemoryBytes > 0)
        #expect(result.statistics.seconds >= 0)
        #expect(result.statistics.collisionProbability > 0)
        #expect(result.statistics.collisionProbability < 1e-12)
    }

    @Test func collisionProbabilityFormula() {
        // n · (m − n) / 2^64
        #expect(CheckStatistics.collisionProbability(distinct: 1 << 32, generated: 1 << 33) == 1.0)
        #expect(CheckStatistics.collisionProbability(distinct: 1000, generated: 1000) == 0)
        let p = CheckStatistics.collisionProbability(distinct: 6_961_789, generated: 54_331_852)
        #expect(abs(p - 6_961_789.0 * (54_331_852.0 - 6_961_789.0) / pow(2.0, 64)) < 1e-20)
    }
}
