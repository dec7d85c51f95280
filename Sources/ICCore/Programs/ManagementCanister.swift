/// The management canister (`aaaaa-aa`) as a call target: the methods of it the model knows.
///
/// A call to it is an ordinary guaranteed-response call (a callback, cycles attached, a reply
/// or a reject later); the system executes it instead of a program (ICMessaging's
/// `managementCall` rule, the executor's own implementation). The target canister is the
/// call's argument.
public enum ManagementMethod: String, Hashable, Sendable, Codable, CaseIterable {
    /// Adds every attached cycle to the target's balance; reply `()`, refund 0. Anyone may call it.
    case depositCycles = "deposit_cycles"
    /// Controllers only. The target starts stopping; the reply comes when it is stopped (or a
    /// reject: SYS_TRANSIENT on a stop timeout, CANISTER_ERROR if it is started first).
    case stopCanister = "stop_canister"
    /// Controllers only. The target runs again; its pending stop calls are rejected.
    case startCanister = "start_canister"
    /// Controllers only. `install_code` in upgrade mode: the target's hooks run (the
    /// configuration's `upgradedProgram`); reply on success, CANISTER_ERROR if a hook traps.
    case installCode = "install_code"

    /// Whether only the target's controllers may call it.
    public var needsController: Bool { self != .depositCycles }
}

extension CanisterId {
    /// The management canister `aaaaa-aa` (outside the configuration's canisters).
    public static let management = CanisterId(-1)
}

extension Execution {
    /// Calls the management canister's `method` for `target` (`ic0.call_new` to `aaaaa-aa`),
    /// attaching `cycles` (what `deposit_cycles` deposits; refunded by the other methods). The
    /// callback runs `continuation` with the reply or reject. Returns `.failed` when the system
    /// refuses the call synchronously.
    @discardableResult @inlinable
    public mutating func callManagement(
        _ method: ManagementMethod, _ target: CanisterId, cycles: Cycles = 0, then continuation: Continuation
    ) throws -> CallPerformResult {
        try perform(
            .management, method.rawValue, arguments: Payload(target), cycles: cycles, kind: .guaranteed, timeout: 300,
            payloadBytes: 100, then: continuation, cleanup: false)
    }
}
