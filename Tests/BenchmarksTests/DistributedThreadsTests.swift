import ModelChecking
import Testing
@testable import Benchmarks

/// `--workers` under `--distributed`: threads within each rank (ranks as threads here) find
/// what one process finds: the same counts, verdicts and shortest traces, for 1–3 ranks of 2
/// or 3 threads, with and without stopping at the first violation.
@Suite("Distributed search with threads within ranks")
struct DistributedThreadsTests {
    @Test(arguments: [1, 2, 3], [2, 3])
    func threadsWithinRanksFindTheSingleProcessSearch(ranks: Int, workers: Int) throws {
        // Checks first decided in wide levels, where a rank's block has many chunks: their
        // traces show whether the chunks were merged in frontier order.
        let ring = Tabled(
            base: try ICRing(n: 3, k: 2, w: 2, rejectRefund: 1),
            extra: [
                .always("fingerprint-not-3-mod-50021") { $0.fingerprint % 50_021 != 3 },
                .sometimes("fingerprint-11-mod-70001") { $0.fingerprint % 70_001 == 11 },
                .always("fingerprint-not-5-mod-99991") { $0.fingerprint % 99_991 != 5 },
            ])
        let twoPhase = try TwoPhase(resourceManagers: 3, abortAfterPrepare: true)
        let deep = checkAll(ring, workers: 1).verdicts.compactMap { $0.status.trace?.length }.filter { $0 >= 10 }
        #expect(deep.count >= 2, "\(deep)")
        for stop in [false, true] {
            let options = CheckerOptions(workers: workers, stopOnViolation: stop, progressInterval: nil)
            let single = CheckerOptions(workers: 1, stopOnViolation: stop, progressInterval: nil)
            expectSameSearch(checkDistributed(ring, ranks: ranks, options: options), Checker(ring, options: single).run())
            expectSameSearch(checkDistributed(twoPhase, ranks: ranks, options: options), Checker(twoPhase, options: single).run())
        }
        let row = icRingRows[2]
        let counted = checkDistributed(try ICRing(n: row.n, k: row.k, w: row.w), ranks: ranks,
                                       options: CheckerOptions(workers: workers, stopOnViolation: false, progressInterval: nil))
        #expect(counted.statistics.distinctStates == row.distinct)
        #expect(counted.statistics.transitions == row.transitions)
        #expect(counted.statistics.terminalStates == row.terminal)
    }
}
