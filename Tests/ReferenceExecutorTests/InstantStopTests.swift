import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// Instant-stop mode (issue 11, a forum proposal): on stopping, the canister's outstanding
/// best-effort calls get SYS_UNKNOWN at once and it can make no more calls. Off by default.
/// Each scenario runs in the model and in the executor, compared after every step.

/// `go` makes one best-effort and one guaranteed call to C1; each callback tries one more
/// best-effort call and records how `call_perform` went.
struct EagerCaller: CanisterProgram {
    struct State: CanisterState { var retries: [String] = [] }
    var name: String { "eager-caller" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        try execution.call(CanisterId(1), "work", kind: .bestEffort, timeout: 100, then: 0)
        try execution.call(CanisterId(1), "work", then: 1)
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        let result = try execution.call(CanisterId(1), "work", kind: .bestEffort, timeout: 100, then: 2)
        switch result {
        case .performed: execution.state.retries.append("performed")
        case .failed(let error): execution.state.retries.append(error.rawValue)
        }
    }
}

private func configuration(instantStop: Bool) -> SystemConfiguration {
    SystemConfiguration(
        canisters: [CanisterSetup(EagerCaller(), instantStop: instantStop), CanisterSetup(EagerCaller())],
        ingress: [IngressMessage(to: 0, "go")], controller: ControllerActions(stop: [0], maxActions: 1),
        limits: MessagingLimits(maxTime: 2))
}

private let bestEffort = CallId(caller: 0, sequence: 0)
private let guaranteed = CallId(caller: 0, sequence: 1)


@Test func stoppingExpiresOutstandingBestEffortCallsOnlyInInstantStopMode() throws {
    let go = ICAction.ingress(slot: 0, choices: [], trap: false)
    let (instant, executor) = try runBoth([go, .stopCanister(0)], configuration(instantStop: true))
    #expect(instant.callback(bestEffort)?.expired == true)
    #expect(instant.callback(guaranteed)?.expired == false)
    #expect(instant.pendingResponses.map(\.call) == [bestEffort])
    #expect(executor.state.pendingResponses.first?.response == .reject(.sysUnknown, ""))
    let (normal, _) = try runBoth([go, .stopCanister(0)], configuration(instantStop: false))
    #expect(normal.callback(bestEffort)?.expired == false && normal.pendingResponses.isEmpty)
}

@Test func aStoppingCanisterInInstantStopModeMakesNoMoreCalls() throws {
    let go = ICAction.ingress(slot: 0, choices: [], trap: false)
    let respond = ICAction.deliverResponse(call: bestEffort, choices: [], trap: false)
    let (instant, executor) = try runBoth([go, .stopCanister(0), respond], configuration(instantStop: true))
    #expect(instant.programState(of: 0, as: EagerCaller.State.self)?.retries == ["systemRefused"])
    #expect(executor.state.programState(of: 0, as: EagerCaller.State.self)?.retries == ["systemRefused"])
    // Without instant stop the callback (after an early expiry) still calls while stopping.
    var normal = configuration(instantStop: false)
    normal.faults.earlyExpiry = true
    let (stopping, _) = try runBoth([go, .stopCanister(0), .expireCall(call: bestEffort), respond], normal)
    #expect(stopping.programState(of: 0, as: EagerCaller.State.self)?.retries == ["performed"])
}
