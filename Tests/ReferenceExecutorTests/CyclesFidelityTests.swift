import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// Issue 11's cycle bugs, checked on both sides: the model (`ICSystem`) and the executor
/// (`ICExecutor`) implement the System API independently, so each gets the same scenario.

/// One program for every canister: `spend [target, cycles]` attaches cycles to a call,
/// `forward [target, cycles]` first accepts what is attached, `relay [proxy, target, cycles]`
/// sends `cycles` to `proxy`'s `forward`, `sink` accepts everything and replies. The state
/// records each `call_perform` outcome.
struct CyclesMover: CanisterProgram {
    struct State: Hashable, Codable, Fingerprintable, Sendable { var outcomes: [String] = [] }
    var name: String { "cycles-mover" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        let a = try call.arguments(as: [Int].self)
        switch call.method {
        case "spend":
            try attach(a[1], to: CanisterId(a[0]), "sink", [], in: &execution)
        case "forward":
            execution.accept(execution.availableCycles)
            try attach(a[1], to: CanisterId(a[0]), "sink", [], in: &execution)
        case "relay":
            try attach(a[2], to: CanisterId(a[0]), "forward", [a[1], a[2]], in: &execution)
        default:
            execution.accept(execution.availableCycles)
            try execution.reply()
        }
    }

    private func attach(_ cycles: Cycles, to target: CanisterId, _ method: String, _ arguments: [Int],
                        in execution: inout Execution<State, Int>) throws {
        let result = try execution.call(target, method, arguments: arguments, cycles: cycles, then: 0)
        switch result {
        case .performed: execution.state.outcomes.append("performed")
        case .failed(let error): execution.state.outcomes.append(error.rawValue)
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

private func configuration(
    balances: [Cycles], threshold: Cycles = 0, ingress: IngressMessage, faults: FaultSwitches = .benign
) -> SystemConfiguration {
    SystemConfiguration(
        canisters: balances.enumerated().map { CanisterSetup(CyclesMover(), balance: $1, freezingThreshold: $0 == 0 ? threshold : 0) },
        ingress: [ingress], faults: faults, limits: MessagingLimits(maxTime: 3)
    )
}

private func outcomes(_ state: AnyCanisterState) -> [String] { state.as(CyclesMover.State.self)?.outcomes ?? [] }

private let go = ICAction.ingress(slot: 0, choices: [], trap: false)


/// Bug 1: `call_cycles_add128` checks the liquid balance (balance − freezing threshold).
@Test(arguments: [(80, "insufficientCycles"), (50, "performed")])
func attachedCyclesAreLimitedByTheLiquidBalance(_ attached: Cycles, _ expected: String) throws {
    let setup = configuration(balances: [100, 0], threshold: 50, ingress: IngressMessage(to: 0, "spend", arguments: [1, attached]))
    let (model, executor) = try runBoth([go], setup)
    #expect(outcomes(model[canister: 0].programState) == [expected])
    #expect(outcomes(executor.state.programState(of: 0)) == [expected])
    #expect(model[canister: 0].balance >= 50, "the canister froze itself")
}

/// Bug 2: accepted cycles are added to the balance at once, so a proxy can forward them.
@Test func acceptedCyclesCanBeForwarded() throws {
    let setup = configuration(balances: [100, 0, 0], ingress: IngressMessage(to: 0, "relay", arguments: [1, 2, 10]))
    let (model, executor) = try runBoth([go, .deliverRequest(from: 0, to: 1, choices: [], trap: false)], setup)
    #expect(outcomes(model[canister: 1].programState) == ["performed"])
    #expect(outcomes(executor.state.programState(of: 1)) == ["performed"])
    #expect(model[canister: 1].balance == 0)
}

/// Bug 3: a dropped best-effort response leaves the callback expired in the model too (AB: the
/// response's origin is marked `Expired` before it is dropped), so replay agrees.
@Test func droppedResponseExpiresTheCallbackInBothImplementations() throws {
    let mover = IngressMessage(to: 0, "spend", arguments: [1, 0])
    var setup = configuration(balances: [100, 0], ingress: mover, faults: .lossy)
    setup.canisters[0] = CanisterSetup(BestEffortCaller(), balance: 100)
    let call = CallId(caller: 0, sequence: 0)
    let (model, executor) = try runBoth(
        [go, .deliverRequest(from: 0, to: 1, choices: [], trap: false), .dropResponse(call: call)], setup)
    #expect(model.callback(call)?.expired == true)
    #expect(executor.observableState == ObservableState(model))
}

/// Calls C1's `sink` best-effort with 10 cycles.
struct BestEffortCaller: CanisterProgram {
    var name: String { "best-effort-caller" }
    var initialState: Int { 0 }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<Int, Int>) throws {
        try execution.call(CanisterId(1), "sink", cycles: 10, kind: .bestEffort, timeout: 2, then: 0)
    }
    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<Int, Int>) throws {
        execution.state += 1
    }
}

/// Bug 4: the cycles of a shed best-effort request are lost under the spec's semantics and come
/// back to the caller's balance (no callback) under the replica's, in both implementations.
@Test(arguments: CycleRefunds.allCases)
func droppedRequestCyclesFollowTheRefundSwitch(_ refunds: CycleRefunds) throws {
    var setup = configuration(balances: [100, 0], ingress: IngressMessage(to: 0, "go"), faults: .lossy)
    setup.canisters[0] = CanisterSetup(BestEffortCaller(), balance: 100)
    setup.cycleRefunds = refunds
    let call = CallId(caller: 0, sequence: 0)
    let (model, executor) = try runBoth([go, .dropRequest(call: call)], setup)
    let returned = refunds == .replica ? 10 : 0
    #expect(model[canister: 0].balance == 90 + returned)
    #expect(model.lostCycles == 10 - returned)
    #expect(model.history.calls[call]?.returned == returned)
    #expect(executor.state.balance(of: 0) == 90 + returned)
}

/// Bug 4: a late response (after expiry) and a dropped response: refund lost or returned.
@Test(arguments: CycleRefunds.allCases)
func droppedAndLateResponseRefundsFollowTheRefundSwitch(_ refunds: CycleRefunds) throws {
    var setup = configuration(balances: [100, 0], ingress: IngressMessage(to: 0, "go"), faults: .lossy)
    setup.canisters[0] = CanisterSetup(BestEffortCaller(), balance: 100)
    setup.canisters[1] = CanisterSetup(Refuser(), balance: 0)
    setup.cycleRefunds = refunds
    let call = CallId(caller: 0, sequence: 0)
    let deliver = ICAction.deliverRequest(from: 0, to: 1, choices: [], trap: false)
    let returned = refunds == .replica ? 10 : 0
    let (dropped, _) = try runBoth([go, deliver, .dropResponse(call: call)], setup)
    #expect(dropped[canister: 0].balance == 90 + returned)
    let (late, _) = try runBoth([go, .expireCall(call: call), deliver, .discardResponse(call: call)], setup)
    #expect(late[canister: 0].balance == 90 + returned)
    #expect(late.lostCycles == 10 - returned)
}

/// Rejects every call, accepting nothing: the whole attachment is refunded.
struct Refuser: CanisterProgram {
    var name: String { "refuser" }
    var initialState: Int { 0 }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<Int, Int>) throws { try execution.reject() }
    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<Int, Int>) throws {}
}

/// Deadlines: each implementation clamps a best-effort timeout to MAX_CALL_TIMEOUT (300 s) on
/// its own (ICCore passes the requested timeout through).
@Test(arguments: [(1_000, 300), (-5, 0), (7, 7)])
func bestEffortDeadlinesAreClampedInBothImplementations(_ requested: Time, _ expected: Time) throws {
    struct Waiter: CanisterProgram {
        let timeout: Time
        var name: String { "waiter" }
        var initialState: Int { 0 }
        func handleCall(_ call: IncomingCall, in execution: inout Execution<Int, Int>) throws {
            try execution.call(CanisterId(1), "sink", kind: .bestEffort, timeout: timeout, then: 0)
        }
        func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<Int, Int>) throws {}
    }
    var setup = configuration(balances: [100, 0], ingress: IngressMessage(to: 0, "go"))
    setup.canisters[0] = CanisterSetup(Waiter(timeout: requested), balance: 100)
    let (model, _) = try runBoth([go], setup)
    #expect(model.callback(CallId(caller: 0, sequence: 0))?.deadline == expected)
}

/// A call to a canister that does not exist is performed and answered DESTINATION_INVALID with a
/// full refund (AB: the call is rejected, `call_perform` does not fail), in both implementations.
@Test func callToAMissingCanisterIsRejectedDestinationInvalid() throws {
    struct Stray: CanisterProgram {
        var name: String { "stray" }
        var initialState: Int { 0 }
        func handleCall(_ call: IncomingCall, in execution: inout Execution<Int, Int>) throws {
            if try execution.call(CanisterId(7), "m", cycles: 5, then: 0) == .performed { execution.state = 1 }
        }
        func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<Int, Int>) throws {
            execution.state = response.rejectCode == .destinationInvalid ? 2 : 3
        }
    }
    var setup = configuration(balances: [100, 0], ingress: IngressMessage(to: 0, "go"))
    setup.canisters[0] = CanisterSetup(Stray(), balance: 100)
    let call = CallId(caller: 0, sequence: 0)
    let (model, executor) = try runBoth([go, .deliverResponse(call: call, choices: [], trap: false)], setup)
    #expect(model[canister: 0].programState.as(Int.self) == 2)
    #expect(executor.state.balance(of: 0) == 100)
}
