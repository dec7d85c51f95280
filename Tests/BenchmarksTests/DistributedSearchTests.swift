import ModelChecking
import Testing
@testable import Benchmarks

/// Runs `system` on `ranks` ranks (threads standing in for MPI processes) and returns rank 0's
/// result, after checking that every rank reports the same counts and verdicts.
func checkDistributed<System: TransitionSystem>(
    _ system: System, ranks: Int, options base: CheckerOptions = CheckerOptions(workers: 1, stopOnViolation: false, progressInterval: nil)
) -> CheckResult<System> {
    let results = ThreadCommunicatorGroup(size: ranks).run { communicator in
        var options = base
        options.communicator = communicator
        return Checker(system, options: options).run()
    }
    for result in results.dropFirst() {
        #expect(result.statistics.distinctStates == results[0].statistics.distinctStates)
        #expect(result.statistics.transitions == results[0].statistics.transitions)
        #expect(labels(result) == labels(results[0]))
    }
    return results[0]
}

/// The figures and traces that must not depend on the number of ranks.
func expectSameSearch<System: TransitionSystem>(_ distributed: CheckResult<System>, _ single: CheckResult<System>) {
    #expect(distributed.outcome == single.outcome)
    #expect(distributed.statistics.distinctStates == single.statistics.distinctStates)
    #expect(distributed.statistics.transitions == single.statistics.transitions)
    #expect(distributed.statistics.terminalStates == single.statistics.terminalStates)
    #expect(distributed.statistics.maxDepth == single.statistics.maxDepth)
    #expect(labels(distributed) == labels(single))
    for verdict in single.verdicts {
        let other = distributed.verdict(named: verdict.name)?.status.trace
        #expect(other?.steps.map(\.action) == verdict.status.trace?.steps.map(\.action))
        #expect(other?.steps.map(\.state) == verdict.status.trace?.steps.map(\.state))
        #expect(other?.initialState == verdict.status.trace?.initialState)
    }
}

@Suite("Distributed search (ranks as threads) finds what one process finds")
struct DistributedSearchTests {
    @Test(arguments: icRingRows.prefix(3), [1, 2, 4])
    func icRingCounts(_ row: ICRingRow, ranks: Int) throws {
        let result = checkDistributed(try ICRing(n: row.n, k: row.k, w: row.w), ranks: ranks)
        #expect(result.outcome == .complete)
        #expect(result.statistics.distinctStates == row.distinct)
        #expect(result.statistics.transitions == row.transitions)
        #expect(result.statistics.terminalStates == row.terminal)
        #expect(result.statistics.workers == ranks)
    }

    /// Violations: the same shortest traces (same parents, same first violating state).
    @Test(arguments: [1, 2, 3, 4])
    func counterexamplesAreTheSingleProcessOnes(ranks: Int) throws {
        let ring = try ICRing(n: 3, k: 2, w: 2, rejectRefund: 1)
        expectSameSearch(checkDistributed(ring, ranks: ranks), checkAll(ring, workers: 1))
        let twoPhase = try TwoPhase(resourceManagers: 3, abortAfterPrepare: true)
        expectSameSearch(checkDistributed(twoPhase, ranks: ranks), checkAll(twoPhase, workers: 1))
        // Stopping at the first violation stops at the same level with the same count.
        let stopping = CheckerOptions(workers: 1, stopOnViolation: true, progressInterval: nil)
        expectSameSearch(
            checkDistributed(twoPhase, ranks: ranks, options: stopping), Checker(twoPhase, options: stopping).run())
    }

    /// A state limit cuts a level at the same position; a depth bound at the same level.
    @Test(arguments: [2, 4])
    func limitsCutWhereOneProcessCuts(ranks: Int) throws {
        let ring = try ICRing(n: 2, k: 3, w: 2)
        for maxStates in [1, 7, 1_000, 20_001] {
            let options = CheckerOptions(workers: 1, maxStates: maxStates, stopOnViolation: false, progressInterval: nil)
            let single = Checker(ring, options: options).run()
            #expect(single.outcome == .stateLimitReached)
            expectSameSearch(checkDistributed(ring, ranks: ranks, options: options), single)
        }
        let bounded = CheckerOptions(workers: 1, maxDepth: 9, stopOnViolation: false, progressInterval: nil)
        let single = Checker(ring, options: bounded).run()
        #expect(single.outcome == .depthLimitReached)
        expectSameSearch(checkDistributed(ring, ranks: ranks, options: bounded), single)
    }

    /// A stop on one rank (here Ctrl-C on rank 1 only) stops every rank, with the same outcome.
    @Test func aStopOnOneRankStopsAll() throws {
        let ring = try ICRing(n: 2, k: 3, w: 2)
        let flag = CancellationFlag()
        flag.cancel()
        let results = ThreadCommunicatorGroup(size: 3).run { communicator in
            var options = CheckerOptions(workers: 1, stopOnViolation: false, progressInterval: nil)
            options.communicator = communicator
            if communicator.rank == 1 { options.cancellation = flag }
            return Checker(ring, options: options).run()
        }
        #expect(results.map(\.outcome) == [.interrupted, .interrupted, .interrupted])
        #expect(Set(results.map(\.statistics.distinctStates)).count == 1)
    }
}
