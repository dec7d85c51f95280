import ICCore
import ICMessaging
import ModelChecking

/// Test canisters for the agreement check: together they perform guaranteed and best-effort
/// calls from ingress and from methods, accept any part of the attached cycles, reply, reject,
/// trap, stay silent, and respond from callbacks.

/// C0: `go` calls C1 `work` guaranteed (10 cycles) and best effort (6 cycles); a callback
/// does nothing, traps, or calls C2 best effort (3 cycles).
struct AgreementClient: CanisterProgram {
    struct State: CanisterState { var responses = 0 }
    typealias Continuation = Int
    var name: String { "agreement-client" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        try execution.call(1, "work", cycles: 10, kind: .guaranteed, then: 0)
        try execution.call(1, "work", cycles: 6, kind: .bestEffort, timeout: 1, then: 1)
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.responses += 1
        switch try execution.choose(3) {
        case 0: break
        case 1: try execution.trap("client callback traps")
        default: if continuation < 2 { try execution.call(2, "work", cycles: 3, kind: .bestEffort, timeout: 1, then: 2) }
        }
    }
}

/// C1: `work` accepts 0, half or all; then replies, rejects, forwards to C2 (best effort or
/// guaranteed, 4 cycles) and awaits, or traps. Its callback replies, accepts 1 and rejects, or
/// does nothing (the context starves).
struct AgreementRelay: CanisterProgram {
    struct State: CanisterState { var handled = 0 }
    typealias Continuation = Int
    var name: String { "agreement-relay" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.handled += 1
        let available = execution.availableCycles
        execution.accept([0, available / 2, available][try execution.choose(3)])
        switch try execution.choose(5) {
        case 0: try execution.reply([execution.state.handled])
        case 1: try execution.reject("relay rejects")
        case 2: try execution.call(2, "work", cycles: 4, kind: .bestEffort, timeout: 1, then: 0)
        case 3: try execution.call(2, "work", cycles: 4, kind: .guaranteed, then: 0)
        default: try execution.trap("relay traps")
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        switch try execution.choose(3) {
        case 0: try execution.reply()
        case 1:
            execution.accept(1)
            try execution.reject("relay rejects after callback")
        default: break
        }
    }
}

/// C2: `work` accepts nothing or everything, then replies, rejects or stays silent.
struct AgreementSink: CanisterProgram {
    struct State: CanisterState { var handled = 0 }
    typealias Continuation = Int
    var name: String { "agreement-sink" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.handled += 1
        if try execution.choose(2) == 1 { execution.accept(execution.availableCycles) }
        switch try execution.choose(3) {
        case 0: try execution.reply()
        case 1: try execution.reject("sink rejects")
        default: break
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

enum AgreementSystems {
    /// Client, relay, sink under every fault switch; controllers may stop, start and upgrade the
    /// relay and the sink. `frozenSink`: the sink is below its freezing threshold (SYS_TRANSIENT).
    /// `cycleRefunds`: where dropped best-effort cycles go (the refund rules or the lost sink).
    static func system(frozenSink: Bool = false, ingressCount: Int = 1, cycleRefunds: CycleRefunds = .replica) -> ICSystem {
        let configuration = SystemConfiguration(
            canisters: [
                CanisterSetup(AgreementClient(), balance: 100),
                CanisterSetup(AgreementRelay(), balance: 100),
                CanisterSetup(AgreementSink(), balance: frozenSink ? 50 : 100, freezingThreshold: frozenSink ? 60 : 0),
            ],
            ingress: Array(repeating: IngressMessage(to: 0, "go"), count: ingressCount),
            controller: ControllerActions(stop: [1, 2], start: [1, 2], upgrade: [1], uninstall: [1, 2], maxActions: 3),
            faults: .adversarial,
            limits: MessagingLimits(maxTime: 2), cycleRefunds: cycleRefunds)
        return ICSystem(configuration: configuration, properties: [], name: frozenSink ? "agreement-frozen" : "agreement")
    }
}

/// C0 and C2: `go` calls the management canister for C1, one of `deposit_cycles` (4 cycles),
/// `stop_canister`, `start_canister`, `install_code` in each mode (2 cycles each, refunded);
/// `stop`, `start`: always that method. The callback does nothing. C0 is C1's controller, C2 is not
/// (its lifecycle calls are rejected).
struct AgreementManager: CanisterProgram {
    struct State: CanisterState { var answers = 0 }
    typealias Continuation = Int
    var name: String { "agreement-manager" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        let requests = ManagementMethod.allCases.filter { $0 != .installCode }.map { ($0, InstallMode.upgrade) }
            + InstallMode.allCases.map { (ManagementMethod.installCode, $0) }
        let (method, mode) = switch call.method {
        case "stop": (ManagementMethod.stopCanister, InstallMode.upgrade)
        case "start": (.startCanister, .upgrade)
        default: requests[try execution.choose(requests.count)]
        }
        try execution.callManagement(method, 1, mode: mode, cycles: method == .depositCycles ? 4 : 2, then: 0)
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.answers += 1
    }
}

extension AgreementSystems {
    /// Two managers of the sink C1 (C0 its controller, C2 not) under every fault switch, each
    /// with ingress messages (C0 `stop` and `go`, C2 `go`); the environment may stop, start and
    /// uninstall C1 too (so that install finds it empty).
    static func managementSystem() -> ICSystem {
        var sink = CanisterSetup(AgreementSink(), balance: 100)
        sink.controllers = [0]
        let configuration = SystemConfiguration(
            canisters: [CanisterSetup(AgreementManager(), balance: 100), sink, CanisterSetup(AgreementManager(), balance: 100)],
            ingress: [IngressMessage(to: 0, "stop"), IngressMessage(to: 0, "go"), IngressMessage(to: 2, "go")],
            controller: ControllerActions(stop: [1], start: [1], uninstall: [1], maxActions: 2),
            faults: .adversarial, limits: MessagingLimits(maxTime: 2))
        return ICSystem(configuration: configuration, properties: [], name: "agreement-management")
    }
}

extension AgreementSystems {
    /// The management canister's lifecycle steps with little else: C0 (C1's controller) stops C1
    /// twice, starts it, and makes one call of its choice; C2 (no controller) tries to start C1;
    /// the environment may uninstall C1 once (`controller`); held stop calls may time out; no other fault.
    static func lifecycleSystem(controller: ControllerActions = ControllerActions(uninstall: [1], maxActions: 1)) -> ICSystem {
        var sink = CanisterSetup(AgreementSink(), balance: 100)
        sink.controllers = [0]
        let configuration = SystemConfiguration(
            canisters: [CanisterSetup(AgreementManager(), balance: 100), sink, CanisterSetup(AgreementManager(), balance: 100)],
            ingress: ["stop", "stop", "start", "go"].map { IngressMessage(to: 0, $0) } + [IngressMessage(to: 2, "start")],
            controller: controller,
            faults: FaultSwitches(stopTimeouts: true))
        return ICSystem(configuration: configuration, properties: [], name: "agreement-lifecycle")
    }
}
