/// What the upgrade hooks of a canister see (`canister_pre_upgrade`, `canister_post_upgrade`).
///
/// The model keeps a canister's heap and stable memory as one program state, so a hook is a
/// function of that state: `preUpgrade` keeps what survives, `postUpgrade` rebuilds the rest.
/// The facts a real hook reads through the System API are passed in: `ic0.canister_status`, and
/// whether calls still await their responses (Motoko's runtime traps in `pre_upgrade` then,
/// motoko#2677, #2937).
public struct UpgradeInfo: Hashable, Sendable, Codable {
    /// The canister's status when the upgrade starts (`ic0.canister_status`).
    public let status: CanisterStatus
    /// Calls the canister made that still await their responses (its open callbacks).
    public let outstandingCallbacks: Int
    /// The code version being installed (the old one is `newVersion - 1`).
    public let newVersion: Int

    public init(status: CanisterStatus, outstandingCallbacks: Int, newVersion: Int) {
        self.status = status
        self.outstandingCallbacks = outstandingCallbacks
        self.newVersion = newVersion
    }
}

/// How an upgrade's hooks ended (AB "Code upgrade": the upgrade is atomic).
public enum UpgradeOutcome: Hashable, Sendable {
    /// Both hooks returned: the new code runs with this state.
    case upgraded(AnyCanisterState)
    /// A hook trapped: the upgrade fails and the old code keeps running with its old state.
    case trapped(String)
}
