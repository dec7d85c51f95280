/// A system task: an execution the system starts without a message (AB entry points
/// `Heartbeat` and `GlobalTimer`). It runs in its own call context (origin `FromSystemTask`),
/// which has no caller, no cycles and needs no response; it can make calls.
public enum SystemTask: String, Hashable, Sendable, Codable, CaseIterable {
    /// `canister_heartbeat`: runs at (nearly) every round while the canister is running.
    case heartbeat
    /// `canister_global_timer`: runs once the canister's global timer (`ic0.global_timer_set`)
    /// has passed; firing deactivates the timer.
    case globalTimer
}
