import ICCore
import ICSpec

/// A controller canister that upgrades C0 through the management canister and retries
/// `install_code` after every reject, until an upgrade succeeds.
public struct UpgradeRetrier: CanisterProgram {
    public struct State: CanisterState {
        /// An upgrade was asked for (the user's `upgrade`).
        public var requested = false
        /// `install_code` replied: the new code is in.
        public var upgraded = false
    }
    public enum Continuation: ContinuationValue { case installed }

    public let target: CanisterId

    public init(target: CanisterId) { self.target = target }

    public var name: String { "upgrade-retrier" }
    public var initialState: State { State() }
    public var callees: Set<CanisterId>? { [.management] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        execution.state.requested = true
        try execution.callManagement(.installCode, target, then: .installed)
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if response.isReply {
            execution.state.upgraded = true
            try execution.reply()
        } else {
            try execution.callManagement(.installCode, target, then: .installed)  // retry at once, for ever
        }
    }
}

/// `MGMT2-unupgradeable-canister`: a trapping `pre_upgrade` and a callback that never comes back
/// make a canister un-upgradeable for ever (motoko#2677, #2937).
enum PermanentlyUnupgradeable {
    static let upgradeEventually = ICLivenessProperty(
        name: "upgrade-eventually-succeeds",
        statement: "Once C2 has asked for C0's upgrade, C0 eventually runs the new code (code version ≥ 1).",
        observes: .none, observesContextRemoval: false, reads: .canisters(fields: [0, 2]),
        premise: { $0.programState(of: 2, as: UpgradeRetrier.State.self)?.requested == true },
        goal: { ($0.codeVersion(of: 0) ?? 0) >= 1 })

    /// C0 (Motoko-style: `pre_upgrade` traps while callbacks are outstanding) serves a user by
    /// calling the silent C1 with a call of `kind`; C2, C0's controller, upgrades it by retrying
    /// `install_code`.
    static func configuration(kind: CallKind) -> SystemConfiguration {
        var guarded = CanisterSetup(UpgradeGuardedCaller(callee: 1, kind: kind))
        guarded.controllers = [2]
        return SystemConfiguration(
            canisters: [guarded, CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false)), CanisterSetup(UpgradeRetrier(target: 0))],
            ingress: [IngressMessage(to: 0, "go"), IngressMessage(to: 2, "upgrade")], limits: MessagingLimits(maxTime: 2))
    }

    static let environment = "C1 never answers (no request to it is ever executed or rejected); the user's call to C0 and the request for the upgrade may come in any order. No faults. Time is relative: the clock has no bound (2 s without relative time), and a state keeps each deadline as the time it has left; with canonical call ids and no call history kept, each retry brings the run back to the state it left. Checked form: liveness (`requested ~> upgraded`) under weak fairness of the system's own steps (deliveries, executions, the management canister's, expiry, clock ticks)."

    static var specs: [Spec] {
        Spec.bugPattern(
            "MGMT2-unupgradeable-canister", callKinds: [.guaranteed, .bestEffort], livenessProperties: [upgradeEventually],
            silentCanisters: [1], violates: upgradeEventually.name,
            buggy: .init(
                summary: "A guaranteed call that is never answered plus a pre_upgrade that traps on outstanding callbacks: no upgrade can ever succeed.",
                details: "Un-upgradeable canister (motoko#2677, #2937; beyond B7, U2, U3). C0 is written in a language whose runtime, like Motoko's, traps in `pre_upgrade` while callbacks are outstanding. It serves a user by a guaranteed-response call to C1, which never answers, so the callback is outstanding for ever. C2, C0's controller canister, calls install_code on the management canister and retries after every reject: each attempt runs `pre_upgrade`, which traps, and the management canister answers CANISTER_ERROR, for ever. Stopping first does not help either: C0 can never stop while the call is open (U2). The canister is stuck on its old code for good (the only ways out on the IC are uninstalling it, which wipes its state, or a runtime that can upgrade with outstanding callbacks). \(environment) Claim: once C2 asks for the upgrade, C0 eventually runs the new code. Expected: violated (upgrade-eventually-succeeds): a lasso whose loop is the failing retry.",
                configuration: configuration(kind: .guaranteed), callKinds: [.guaranteed]),
            fixed: .init(
                summary: "With a best-effort call the callback expires at its deadline, and the next install_code succeeds.",
                details: "Fix of MGMT2: C0 makes the call to C1 best-effort (timeout 1 s). However long C1 stays silent, the call expires at its deadline, the callback runs on the SYS_UNKNOWN and closes, so `pre_upgrade` no longer sees an outstanding callback and C2's next install_code attempt succeeds (attempts before that still fail). Same canisters as the buggy variant. \(environment) Claim: once C2 asks for the upgrade, C0 eventually runs the new code. Expected: holds.",
                configuration: configuration(kind: .bestEffort), callKinds: [.bestEffort])
        ).map { ScalableMessagingSpecs.relativeTime($0) }
    }
}
