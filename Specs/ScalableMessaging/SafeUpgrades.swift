import ICCore
import ICSpec

/// Safe upgrades: the controller stops the canister, upgrades it once it is stopped, and may
/// start it again. Whether that completes depends on the calls outstanding and the upgrade hooks.
public enum SafeUpgradeSpecs {
    /// C0 (a Motoko-style caller, `pre_upgrade` refusing outstanding callbacks) calls the silent
    /// C1 for a user; the controller stops it and upgrades it once stopped (2 actions).
    static func configuration(kind: CallKind, preUpgradeAlwaysTraps: Bool = false) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(UpgradeGuardedCaller(callee: 1, kind: kind, preUpgradeAlwaysTraps: preUpgradeAlwaysTraps)),
                CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false)),
            ],
            ingress: [IngressMessage(to: 0, "go")],
            controller: ControllerActions(stop: [0], upgrade: [0], maxActions: 2, stopsBeforeUpgrade: true))
    }

    static let environment = "The controller may stop C0 and upgrade it once it is stopped (the documented procedure: `ControllerActions.stopsBeforeUpgrade`), at most 2 actions (no start: starting a stopping canister cancels the stop, which the claim is not about); the user's call may come at any time; C1 never answers (no request to it is ever executed or rejected). No faults. Time is relative: the clock has no bound, and a state keeps each deadline as the time it has left. Checked forms: safety `upgrades-succeed` on every reachable state, and liveness `stopping ~> stopped` (the upgrade can then be done) under weak fairness of the system's own steps; the controller is not forced to act."

    public static var all: [Spec] {
        [
            ScalableMessagingSpecs.relativeTime(Spec(
                name: "U1-stop-then-upgrade-best-effort",
                summary: "With only best-effort calls outstanding, stop-then-upgrade always completes, even if the callee never answers.",
                details: "Claim: a canister whose outstanding calls are all best-effort can always be stopped and then upgraded: its calls expire at their deadlines, the callbacks run, the call contexts close and the canister stops; a stopped canister has no outstanding callbacks, so even a Motoko-style `pre_upgrade` (which traps on outstanding callbacks, B7) succeeds. C0 calls C1 with a best-effort call (timeout 1 s). \(environment) Expected: holds.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort], configuration: configuration(kind: .bestEffort),
                properties: [B07.upgradesSucceed], livenessProperties: [ScalableMessagingSpecs.stopsEventually],
                silentCanisters: [1], expectation: .holds)),
            ScalableMessagingSpecs.relativeTime(Spec(
                name: "U2-upgrade-blocked-by-silent-callee",
                summary: "A guaranteed-response call to a callee that never answers keeps stop-then-upgrade from ever completing.",
                details: "Claim refuted: 'stop-then-upgrade always completes'. C0 calls C1 with a guaranteed-response call; C1 never answers, so C0's call context never closes, C0 stays stopping for ever and the controller can never upgrade it (it upgrades only a stopped canister). The upgrades attempted still succeed: the failure is that none can be attempted. \(environment) Expected: violated (stopping-leads-to-stopped).",
                category: .scalableMessagingClaim, callKinds: [.guaranteed], configuration: configuration(kind: .guaranteed),
                properties: [B07.upgradesSucceed], livenessProperties: [ScalableMessagingSpecs.stopsEventually],
                silentCanisters: [1], expectation: .violated(property: ScalableMessagingSpecs.stopsEventually.name))),
            ScalableMessagingSpecs.relativeTime(Spec(
                name: "U3-trapping-pre-upgrade-blocks",
                summary: "A pre_upgrade hook that traps blocks the upgrade, even of a stopped canister.",
                details: "Claim refuted: 'stop-then-upgrade always completes'. As U1-stop-then-upgrade-best-effort (best-effort calls only, so C0 does stop), but C0's `pre_upgrade` always traps (it serialises a heap too large for the instruction limit): install_code is atomic, so the upgrade fails and the old code keeps running with its old state. \(environment) Expected: violated (upgrades-succeed).",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: configuration(kind: .bestEffort, preUpgradeAlwaysTraps: true),
                properties: [B07.upgradesSucceed], livenessProperties: [ScalableMessagingSpecs.stopsEventually],
                silentCanisters: [1], expectation: .violated(property: B07.upgradesSucceed.name))),
        ]
    }
}
