import Foundation
import ModelChecking
import Testing
@testable import Benchmarks

@Suite("Model parameters, invariants and trace states")
struct ModelUnitTests {
    @Test func icRingRejectsUnsupportedParameters() {
        #expect(throws: BenchmarkParameterError.self) { try ICRing(n: 0, k: 2, w: 1) }
        #expect(throws: BenchmarkParameterError.self) { try ICRing(n: 5, k: 2, w: 1) }
        #expect(throws: BenchmarkParameterError.self) { try ICRing(n: 2, k: 0, w: 1) }
        #expect(throws: BenchmarkParameterError.self) { try ICRing(n: 2, k: 5, w: 1) }
        #expect(throws: BenchmarkParameterError.self) { try ICRing(n: 2, k: 2, w: 0) }
        #expect(throws: BenchmarkParameterError.self) { try ICRing(n: 2, k: 2, w: 1, rejectRefund: 3) }
        #expect(throws: Never.self) { try ICRing(n: 4, k: 4, w: 9) }
    }

    @Test func twoPhaseRejectsUnsupportedParameters() {
        #expect(throws: BenchmarkParameterError.self) { try TwoPhase(resourceManagers: 0) }
        #expect(throws: BenchmarkParameterError.self) { try TwoPhase(resourceManagers: 16) }
        #expect(throws: Never.self) { try TwoPhase(resourceManagers: 15) }
    }

    @Test func initialStateMatchesTheSpec() throws {
        let model = try ICRing(n: 3, k: 4, w: 2)
        let initial = try #require(model.initialStates.first)
        let readable = model.traceState(of: initial)
        #expect(readable.next == [1, 1, 1])
        #expect(readable.balance == [8, 8, 8])
        #expect(readable.reqs == [[], [], []])
        #expect(readable.waiting == [[], [], []])
        #expect(readable.lost == 0)
        // Only the three Call actions are enabled.
        #expect(model.successors(of: initial).map(\.action) == [.call(canister: 0), .call(canister: 1), .call(canister: 2)])
    }

    /// Walks one run by action names and checks the readable state after each step.
    @Test func stepsFollowTheSpec() throws {
        let model = try ICRing(n: 2, k: 4, w: 2)
        var state = model.initialStates[0]
        func step(_ action: ICRingAction) throws {
            let next = try #require(model.successors(of: state).first { $0.action == action }, "\(action) not enabled")
            state = next.state
        }
        try step(.call(canister: 0))  // id 1 (guaranteed)
        try step(.call(canister: 0))  // id 2 (best-effort)
        #expect(model.successors(of: state).contains { $0.action == .call(canister: 0) } == false)  // window W = 2
        try step(.reply(canister: 0))  // (1, 1); callee 1 keeps a cycle
        try step(.timeout(canister: 0, id: 2))
        try step(.reject(canister: 0))  // (2, 2), late
        var readable = model.traceState(of: state)
        #expect(readable.reqs[0] == [])
        #expect(readable.resps[0] == [.init(id: 1, refund: 1), .init(id: 2, refund: 2)])
        #expect(readable.waiting[0] == [1])
        #expect(readable.balance == [4, 9])
        // A late response has two ways out (Deliver and DropResponse), both losing its refund.
        let exits = model.successors(of: state).filter {
            $0.action == .deliver(canister: 0, id: 2, refund: 2) || $0.action == .dropResponse(canister: 0, id: 2, refund: 2)
        }
        #expect(exits.count == 2)
        #expect(exits[0].state == exits[1].state)
        #expect(exits[0].state.lost == 2)
        try step(.deliver(canister: 0, id: 1, refund: 1))
        readable = model.traceState(of: state)
        #expect(readable.balance == [5, 9])
        #expect(readable.waiting[0] == [])
        #expect(ICRing.conserves(state, n: 2, k: 4))
    }

    /// The invariants are real checks: hand-made bad states fail them.
    @Test func invariantsRejectBadStates() throws {
        let model = try ICRing(n: 2, k: 4, w: 2)
        // Canister 0: next = 3, reqs = <<2, 1>>, waiting = {}, balance = 4, response (1, 1).
        var word: UInt32 = 3
        word |= 2 << CanisterWord.lengthShift
        word |= (1 | 0 << 2) << CanisterWord.slotsShift  // ids 2, 1 stored as id − 1
        word |= 1 << CanisterWord.respsShift
        word |= 4 << CanisterWord.balanceShift
        var state = ICRingState(lo: 0, hi: 0)
        state.setWord(0, word)
        state.setWord(1, 1 | 8 << CanisterWord.balanceShift)
        #expect(model.traceState(of: state).reqs == [[2, 1], []])
        #expect(!ICRing.requestsAreOrdered(state, n: 2))
        #expect(!ICRing.guaranteedResponsesAreOnTime(state, n: 2))
        // 4 + 2·2 + 1 + 8 = 17 ≠ 16.
        #expect(!ICRing.conserves(state, n: 2, k: 4))
        state.setWord(0, word &- (1 << CanisterWord.balanceShift))
        #expect(ICRing.conserves(state, n: 2, k: 4))
        state.lostCycles = 1
        #expect(!ICRing.conserves(state, n: 2, k: 4))
    }

    /// `lost` is split over two words; every value up to 2·K·N must round-trip.
    @Test func lostCyclesRoundTrip() throws {
        var state = try ICRing(n: 4, k: 4, w: 4).initialStates[0]
        let canisters = (0..<4).map { state.word($0) }
        for value in UInt32(0)...255 {
            state.lostCycles = value
            #expect(state.lostCycles == value)
            #expect((0..<4).map { state.word($0) } == canisters)
        }
    }

    @Test func fingerprintsSeparateStatesThatDifferOnlyInLostCycles() throws {
        let model = try ICRing(n: 2, k: 2, w: 1)
        var a = model.initialStates[0]
        var b = a
        a.lostCycles = 2
        b.lostCycles = 4
        #expect(a.fingerprint != b.fingerprint)
    }

    @Test func readableResponsesEncodeAsPairs() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(ICRingTraceState.Response(id: 2, refund: 1))
        #expect(String(decoding: data, as: UTF8.self) == "[2,1]")
        let decoded = try JSONDecoder().decode(ICRingTraceState.Response.self, from: data)
        #expect(decoded == .init(id: 2, refund: 1))
    }

    @Test func twoPhaseTraceState() throws {
        let model = try TwoPhase(resourceManagers: 2)
        var state = model.initialStates[0]
        for action in [TwoPhaseAction.rmPrepare(rm: 1), .tmRcvPrepared(rm: 1), .tmAbort, .rmRcvAbortMsg(rm: 0)] {
            state = try #require(model.successors(of: state).first { $0.action == action }).state
        }
        let readable = model.traceState(of: state)
        #expect(readable.rmState == ["aborted", "prepared"])
        #expect(readable.tmState == "done")
        #expect(readable.tmPrepared == [1])
        #expect(readable.msgs == ["Prepared(1)", "Abort"])
        #expect(TwoPhase.isConsistent(state))
    }
}
