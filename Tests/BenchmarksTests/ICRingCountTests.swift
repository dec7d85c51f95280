import ModelChecking
import Testing
@testable import Benchmarks

/// A row of the reference table of shared/bench/ic-ring.md.
struct ICRingRow: Sendable, CustomStringConvertible {
    let n, k, w, distinct, transitions, terminal: Int
    var description: String { "IC-Ring(\(n),\(k),\(w))" }
}

let icRingRows = [
    ICRingRow(n: 2, k: 2, w: 1, distinct: 650, transitions: 2_076, terminal: 23),
    ICRingRow(n: 2, k: 3, w: 2, distinct: 32_681, transitions: 171_198, terminal: 33),
    ICRingRow(n: 3, k: 2, w: 2, distinct: 152_893, transitions: 992_877, terminal: 132),
    ICRingRow(n: 2, k: 4, w: 2, distinct: 539_261, transitions: 3_796_578, terminal: 75),
]

@Suite("IC-Ring reference counts")
struct ICRingCountTests {
    @Test(arguments: icRingRows, [1, 2, 4])
    func referenceRow(_ row: ICRingRow, workers: Int) throws {
        let result = checkAll(try ICRing(n: row.n, k: row.k, w: row.w), workers: workers)
        #expect(result.outcome == .complete)
        #expect(result.statistics.distinctStates == row.distinct)
        #expect(result.statistics.transitions == row.transitions)
        #expect(result.statistics.terminalStates == row.terminal)
        #expect(result.statistics.workers == workers)
        #expect(labels(result) == ["Conservation": "holds", "ReqOrder": "holds", "GuaranteedNotLate": "holds"])
    }

    @Test func maxDepthDoesNotDependOnWorkers() throws {
        let model = try ICRing(n: 3, k: 2, w: 2)
        let depths = [1, 2, 4].map { checkAll(model, workers: $0).statistics.maxDepth }
        #expect(depths[0] > 0)
        #expect(Set(depths).count == 1)
    }
}
