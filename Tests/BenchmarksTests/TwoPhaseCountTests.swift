import ModelChecking
import Testing
@testable import Benchmarks

@Suite("TwoPhase reference counts")
struct TwoPhaseCountTests {
    /// (RMs, distinct, states generated counting the initial state once), from TLC.
    @Test(arguments: [(3, 288, 1_146), (5, 8_832, 58_146), (7, 296_448, 2_744_706)], [1, 2, 4])
    func referenceRow(_ row: (rms: Int, distinct: Int, generated: Int), workers: Int) throws {
        let result = checkAll(try TwoPhase(resourceManagers: row.rms), workers: workers)
        #expect(result.outcome == .complete)
        #expect(result.statistics.distinctStates == row.distinct)
        // TLC counts the one initial state among the states generated; the engine's
        // `generatedStates` counts successors only (one per transition).
        #expect(result.statistics.generatedStates + 1 == row.generated)
        #expect(result.statistics.transitions == row.generated - 1)
        #expect(labels(result) == ["Consistent": "holds"])
    }
}
