import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// A new program on upgrade (issue 11): `pre_upgrade` runs on the old code, `post_upgrade` on the
/// new, and the callbacks of calls the old code made run on the new code. Both implementations,
/// compared step by step.

/// Version 1 of an escrow: `go` holds 10 in `pending` and calls C1; the callback settles it.
/// Version 2 (`settlesPending: false`) moved the bookkeeping elsewhere: its callback counts the
/// payment but leaves `pending` alone, so an old call answered after the upgrade leaves 10 held.
struct VersionedEscrow: CanisterProgram {
    struct State: CanisterState {
        var pending = 0
        var paid = 0
        var hooks: [String] = []
    }
    enum Continuation: ContinuationValue { case settle }
    var version = 1
    var name: String { "escrow-v\(version)" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        execution.state.pending += 10
        try execution.call(CanisterId(1), "work", then: .settle)
    }

    func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {
        if response.isReply { execution.state.paid += 10 }
        if version == 1 { execution.state.pending -= 10 }
    }

    func preUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws { state.hooks.append("pre v\(version)") }
    func postUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws { state.hooks.append("post v\(version)") }
}

/// A program with another continuation type: it cannot replace `VersionedEscrow`.
struct Unrelated: CanisterProgram {
    typealias State = VersionedEscrow.State
    var name: String { "unrelated" }
    var initialState: State { State() }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {}
    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

private func escrowConfiguration(upgradedTo newCode: AnyCanisterProgram?) -> SystemConfiguration {
    SystemConfiguration(
        canisters: [CanisterSetup(VersionedEscrow(), upgradedTo: newCode), CanisterSetup(Answering())],
        ingress: [IngressMessage(to: 0, "go")], controller: ControllerActions(upgrade: [0], maxActions: 2))
}

private let go = ICAction.ingress(slot: 0, choices: [], trap: false)
private let deliver = ICAction.deliverRequest(from: 0, to: 1, choices: [], trap: false)
private let respond = ICAction.deliverResponse(call: CallId(caller: 0, sequence: 0), choices: [], trap: false)

@Test func theOldCodesCallbackRunsOnTheNewCode() throws {
    let steps = [go, deliver, .upgradeCanister(0), respond]
    let (upgraded, executor) = try runBoth(steps, escrowConfiguration(upgradedTo: AnyCanisterProgram(VersionedEscrow(version: 2))))
    let state = try #require(upgraded.programState(of: 0, as: VersionedEscrow.State.self))
    #expect(state.hooks == ["pre v1", "post v2"])
    #expect(state.paid == 10 && state.pending == 10)  // version 2 handled version 1's callback
    #expect(executor.state.programState(of: 0, as: VersionedEscrow.State.self) == state)
    // The same upgrade to the same program settles the call.
    let (same, _) = try runBoth(steps, escrowConfiguration(upgradedTo: nil))
    #expect(same.programState(of: 0, as: VersionedEscrow.State.self)?.pending == 0)
    #expect(same.programState(of: 0, as: VersionedEscrow.State.self)?.hooks == ["pre v1", "post v1"])
    // A second upgrade runs version 2's hooks on both sides.
    let (twice, _) = try runBoth(steps + [.upgradeCanister(0)], escrowConfiguration(upgradedTo: AnyCanisterProgram(VersionedEscrow(version: 2))))
    #expect(twice.programState(of: 0, as: VersionedEscrow.State.self)?.hooks == ["pre v1", "post v2", "pre v2", "post v2"])
}

@Test func onlyAProgramWithTheSameStateAndContinuationTypesCanReplaceAnother() {
    let escrow = AnyCanisterProgram(VersionedEscrow())
    #expect(escrow.canBeUpgraded(to: AnyCanisterProgram(VersionedEscrow(version: 2))))
    #expect(!escrow.canBeUpgraded(to: AnyCanisterProgram(Unrelated())))
}
