import ICCore
import ICSpec

/// B7: a canister whose language runtime refuses to upgrade while calls await responses, as
/// Motoko's does: its `pre_upgrade` traps when callbacks are outstanding (motoko#2677, #2937).
public struct UpgradeGuardedCaller: CanisterProgram {
    public struct State: CanisterState {
        /// Calls to C1 whose responses arrived.
        public var completed = 0
    }
    public enum Continuation: ContinuationValue { case done }

    public let callee: CanisterId
    /// The kind of the call to C1 (timeout 1 s when best-effort).
    public let kind: CallKind
    /// `pre_upgrade` traps whatever the state (as one that serialises a heap too large for the
    /// instruction limit does): no upgrade can succeed.
    public let preUpgradeAlwaysTraps: Bool

    public var name: String { preUpgradeAlwaysTraps ? "guarded-caller(trapping pre_upgrade)" : "guarded-caller" }
    public var initialState: State { State() }
    /// Declared for partial-order reduction (`icmc check --por`).
    public var callees: Set<CanisterId>? { [callee] }

    public init(callee: CanisterId, kind: CallKind = .guaranteed, preUpgradeAlwaysTraps: Bool = false) {
        self.callee = callee
        self.kind = kind
        self.preUpgradeAlwaysTraps = preUpgradeAlwaysTraps
    }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let result = try execution.call(callee, "work", kind: kind, timeout: 1, then: .done)
        if !result.succeeded { try execution.reject("call failed") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        execution.state.completed += 1
        try execution.reply()
    }

    /// Motoko's runtime: the continuation table is on the heap and cannot be carried over.
    public func preUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws {
        if preUpgradeAlwaysTraps { throw CanisterTrap("canister_pre_upgrade: instruction limit exceeded") }
        if upgrade.outstandingCallbacks > 0 {
            throw CanisterTrap("canister_pre_upgrade attempted with outstanding message callbacks (try stopping the canister before upgrade)")
        }
    }
}

enum B07 {
    static let upgradesSucceed = ICProperty(
        name: "upgrades-succeed", statement: "Every upgrade of C0 the controller attempts succeeds (no hook traps).",
        observes: .upgrades, mentions: .only([0]), observesContextRemoval: false
    ) { view in view.failedUpgrades(of: 0) == 0 }

    static func configuration(stopsFirst: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(UpgradeGuardedCaller(callee: 1)),
                CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false)),
            ],
            ingress: [IngressMessage(to: 0, "go")],
            controller: stopsFirst
                ? ControllerActions(stop: [0], start: [0], upgrade: [0], maxActions: 3, stopsBeforeUpgrade: true)
                : ControllerActions(upgrade: [0], maxActions: 1))
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B7-upgrade-with-open-callbacks", callKinds: [.guaranteed], properties: [upgradesSucceed], violates: "upgrades-succeed",
            buggy: .init(
                summary: "Upgrading a running canister that awaits a response: a Motoko-style pre_upgrade traps and the upgrade fails.",
                details: "Bug B7 (T15; motoko#2677, #2937). C0 calls C1 (guaranteed) for a user and awaits the reply. Its runtime, like Motoko's, traps in `pre_upgrade` while callbacks are outstanding, so an upgrade attempted then is rejected and the old code keeps running with its old state (install_code is atomic). The controller may upgrade C0 once, in any status. Claim: every upgrade of C0 succeeds. Environment: no faults. Expected: violated (upgrades-succeed).",
                configuration: configuration(stopsFirst: false)),
            fixed: .init(
                summary: "Stop, then upgrade, then start: a stopped canister has no outstanding calls, so pre_upgrade succeeds.",
                details: "Fix of B7: the controller follows the documented procedure (`ControllerActions.stopsBeforeUpgrade`): it stops C0, upgrades it only once it is stopped, and may start it again (at most 3 controller actions). A stopped canister has no call contexts, hence no outstanding callbacks, so the Motoko-style `pre_upgrade` never traps. Claim: every upgrade of C0 succeeds. Environment: no faults. Expected: holds.",
                configuration: configuration(stopsFirst: true))
        )
    }
}
