import ICCore
import ModelChecking
import Testing
@testable import ReferenceExecutor

@Test func cyclesAreConservedThroughACall() throws {
    var executor = ICExecutor(configuration: Fixtures.configuration())
    let total = executor.state.initialTotalCycles
    try executor.perform(.ingress(slot: 0, choices: [], trap: false))
    #expect(executor.state.balance(of: 0) == 98)
    #expect(executor.state.pendingRequests(from: 0, to: 1).map(\.cycles) == [2])
    try executor.perform(.deliverRequest(from: 0, to: 1, choices: [], trap: false))
    #expect(executor.state.balance(of: 1) == 52)
    #expect(executor.state.accountedCycles == total)
    try executor.perform(.deliverResponse(call: Fixtures.c0c1, choices: [], trap: false))
    #expect(executor.state.history.ingressResponses[0] == .reply([]))
    #expect(executor.state.history.calls[Fixtures.c0c1]?.deliveredResponses == [.reply([1])])
    try executor.perform(.removeContext(.call(Fixtures.c0c1)))
    try executor.perform(.removeContext(.ingress(slot: 0)))
    #expect(executor.state.contexts.isEmpty)
    #expect(executor.state.accountedCycles == total)
}

@Test func expiryGivesSysUnknownAndTheLateResponseIsLost() throws {
    var executor = ICExecutor(configuration: Fixtures.configuration())
    try executor.perform(.ingress(slot: 0, choices: [], trap: false))
    #expect(throws: ExecutorError.self) { try executor.perform(.expireCall(call: Fixtures.c0c1)) }  // deadline 5 not reached
    for _ in 0..<5 { try executor.perform(.tick) }
    try executor.perform(.expireCall(call: Fixtures.c0c1))
    try executor.perform(.deliverRequest(from: 0, to: 1, choices: [], trap: false))
    #expect(executor.state.pendingResponses.count == 2)
    try executor.perform(.deliverResponse(call: Fixtures.c0c1, choices: [], trap: false))
    #expect(executor.state.history.calls[Fixtures.c0c1]?.deliveredResponse == .reject(.sysUnknown, ""))
    try executor.perform(.discardResponse(call: Fixtures.c0c1))
    #expect(executor.state.lostCycles == 0)  // the ledger accepted everything: refund 0
    #expect(executor.state.accountedCycles == executor.state.initialTotalCycles)
}

@Test func stoppedCalleeRejectsWithCanisterError() throws {
    var executor = ICExecutor(configuration: Fixtures.configuration())
    try executor.perform(.stopCanister(1))
    try executor.perform(.completeStop(1))
    try executor.perform(.ingress(slot: 0, choices: [], trap: false))
    #expect(throws: ExecutorError.self) { try executor.perform(.deliverRequest(from: 0, to: 1, choices: [], trap: false)) }
    #expect(throws: ExecutorError.self) { try executor.perform(.rejectRequest(from: 0, to: 1, code: .sysTransient)) }
    try executor.perform(.rejectRequest(from: 0, to: 1, code: .canisterError))
    #expect(executor.state.pendingResponses.first?.refund == 2)
}

@Test func subnetLayoutDoesNotChangeObservableBehaviour() throws {
    let separate = try ICExecutor.record(Fixtures.reorderActions, configuration: Fixtures.configuration())
    let single = try ICExecutor.record(
        Fixtures.reorderActions, configuration: Fixtures.configuration(), options: ExecutorOptions(layout: .single(canisters: 2))
    )
    #expect(separate.states == single.states)
}
