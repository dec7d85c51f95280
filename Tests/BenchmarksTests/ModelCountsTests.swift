import Testing
import ModelChecking
@testable import Benchmarks

@Test(arguments: [
    (2, 2, 1, 650, 2_076, 23),
    (2, 3, 2, 32_681, 171_198, 33),
    (3, 2, 2, 152_893, 992_877, 132),
    (2, 4, 2, 539_261, 3_796_578, 75),
])
func icRingReferenceBFS(_ row: (Int, Int, Int, Int, Int, Int)) throws {
    let model = try ICRing(n: row.0, k: row.1, w: row.2)
    let result = ReferenceBFS(system: model).run()
    #expect(result.violation == nil)
    #expect(result.distinct == row.3)
    #expect(result.transitions == row.4)
    #expect(result.terminal == row.5)
}

@Test(arguments: [(3, 288, 1_145), (5, 8_832, 58_145)])
func twoPhaseReferenceBFS(_ row: (Int, Int, Int)) throws {
    let model = try TwoPhase(resourceManagers: row.0)
    let result = ReferenceBFS(system: model).run()
    #expect(result.violation == nil)
    #expect(result.distinct == row.1)
    #expect(result.transitions == row.2)
}

@Test func brokenRejectRefundReferenceBFS() throws {
    let model = try ICRing(n: 2, k: 2, w: 1, rejectRefund: 3)
    let result = ReferenceBFS(system: model).run()
    // Call(0), Reject(0): the response carries 3 cycles for the 2 that were sent.
    #expect(result.violation?.property == "Conservation")
    #expect(result.violation?.steps == 2)
}
@Test func brokenTwoPhaseReferenceBFS() throws {
    let model = try TwoPhase(resourceManagers: 3, abortAfterPrepare: true)
    let result = ReferenceBFS(system: model).run()
    // 3 × RMPrepare, 3 × TMRcvPrepared, TMCommit, RMRcvCommitMsg, RMChooseToAbort.
    #expect(result.violation?.property == "Consistent")
    #expect(result.violation?.steps == 9)
}
