import ICCore
import ICSpec

/// A controller canister that upgrades another one through the management canister: it calls
/// `stop_canister`, then `install_code`, then `start_canister` (the documented procedure, done by
/// a canister: an SNS root, a DAO, an orchestrator). It also tops the target up with
/// `deposit_cycles` for a user.
public struct UpgradeOrchestrator: CanisterProgram {
    public struct State: CanisterState {
        /// The answers of the management canister, in order (`stop:reply`, `install:CANISTER_ERROR`, …).
        public var log: [String] = []
    }
    public enum Continuation: ContinuationValue { case stopped, installed, started, deposited }

    public let target: CanisterId
    /// Whether the orchestrator upgrades only after `stop_canister` replied (a stop that timed
    /// out leaves the target stopping, its calls still outstanding: then it starts it again).
    public let waitsForStop: Bool

    public init(target: CanisterId, waitsForStop: Bool) {
        self.target = target
        self.waitsForStop = waitsForStop
    }

    public var name: String { waitsForStop ? "orchestrator(waits for stop)" : "orchestrator" }
    public var initialState: State { State() }
    public var callees: Set<CanisterId>? { [.management] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "upgrade": try execution.callManagement(.stopCanister, target, then: .stopped)
        case "top-up": try execution.callManagement(.depositCycles, target, cycles: 5, then: .deposited)
        default: try execution.reject("no method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        let outcome = response.rejectCode.map(\.description) ?? "reply"
        switch continuation {
        case .stopped:
            execution.state.log.append("stop:\(outcome)")
            if response.isReply || !waitsForStop {
                try execution.callManagement(.installCode, target, then: .installed)
            } else {
                try execution.callManagement(.startCanister, target, then: .started)
            }
        case .installed:
            execution.state.log.append("install:\(outcome)")
            try execution.callManagement(.startCanister, target, then: .started)
        case .started:
            execution.state.log.append("start:\(outcome)")
            try execution.reply()
        case .deposited:
            execution.state.log.append("deposit:\(outcome)")
            try execution.reply()
        }
    }
}

/// `MGMT1-upgrade-on-stop-timeout`: the orchestrator takes a timed-out `stop_canister` for a stop.
public enum ManagementSpecs {
    static let upgradesSucceed = ICProperty(
        name: "upgrades-succeed", statement: "Every upgrade of C1 the orchestrator attempts succeeds (no hook traps).",
        observes: .upgrades, mentions: .only([1]), observesContextRemoval: false
    ) { view in view.failedUpgrades(of: 1) == 0 }

    /// C0 orchestrates C1 (a Motoko-style canister whose `pre_upgrade` traps while callbacks are
    /// outstanding, B7) which serves a user by calling C2. Stop requests may time out.
    static func configuration(waitsForStop: Bool) -> SystemConfiguration {
        var guarded = CanisterSetup(UpgradeGuardedCaller(callee: 2))
        guarded.controllers = [0]
        return SystemConfiguration(
            canisters: [
                CanisterSetup(UpgradeOrchestrator(target: 1, waitsForStop: waitsForStop)),
                guarded,
                CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false)),
            ],
            ingress: [IngressMessage(to: 1, "go"), IngressMessage(to: 0, "upgrade"), IngressMessage(to: 0, "top-up")],
            faults: FaultSwitches(stopTimeouts: true))
    }

    public static var all: [Spec] { orchestrator + PermanentlyUnupgradeable.specs }

    static var orchestrator: [Spec] {
        Spec.bugPattern(
            "MGMT1-upgrade-on-stop-timeout", callKinds: [.guaranteed], properties: [upgradesSucceed], violates: "upgrades-succeed",
            buggy: .init(
                summary: "An orchestrator canister upgrades after stop_canister, even when the stop timed out: the target still awaits a response and its pre_upgrade traps.",
                details: "Management canister as a call target (issue 11). C0 is C1's controller and upgrades it by calls to aaaaa-aa: stop_canister, then install_code, then start_canister; a user also has it deposit 5 cycles to C1 (deposit_cycles). C1 serves a user by calling C2 and, like a Motoko canister, traps in pre_upgrade while callbacks are outstanding (B7). The management canister replies to stop_canister only once C1 is stopped; a stop that takes too long is rejected SYS_TRANSIENT while C1 stays stopping (the replica's stop timeout, `faults.stopTimeouts`). This orchestrator goes on to install_code whatever the stop's answer, so after a timeout it upgrades a canister that still awaits C2. Claim: every upgrade of C1 succeeds. Environment: stop timeouts only. Expected: violated (upgrades-succeed).",
                configuration: configuration(waitsForStop: false)),
            fixed: .init(
                summary: "The orchestrator upgrades only after stop_canister replied; after a timeout it starts the target again.",
                details: "Fix of MGMT1: C0 calls install_code only when stop_canister replied, which the management canister does once C1 is stopped, so C1 has no call contexts and no outstanding callbacks and its pre_upgrade cannot trap; after a SYS_TRANSIENT timeout C0 calls start_canister instead (the stop is abandoned). Same canisters, deposit and environment as the buggy variant. Claim: every upgrade of C1 succeeds. Expected: holds.",
                configuration: configuration(waitsForStop: true))
        )
    }
}
