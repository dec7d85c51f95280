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
    /// Controllers only. `install_code` in one of the `InstallMode`s (the argument an
    /// `InstallCodeArgument`; a bare canister id means `upgrade`): the new code is the
    /// configuration's `upgradedProgram` (else the same program); reply on success,
    /// CANISTER_ERROR if an upgrade hook traps or the mode does not fit the target.
    case installCode = "install_code"

    /// Whether only the target's controllers may call it.
    public var needsController: Bool { self != .depositCycles }
}

/// The `mode` of `install_code` (AB "Code installation", "Code upgrade").
public enum InstallMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Only on an empty canister (never installed, or uninstalled); else CANISTER_ERROR
    /// (IC0538 `CanisterNonEmpty`). Program state: the new code's initial state.
    case install
    /// On any canister: code and state (stable memory included) replaced as by `install`.
    /// Contexts and callbacks are kept (no reject, unlike `uninstall_code`).
    case reinstall
    /// On a non-empty canister (else CANISTER_ERROR, IC0537): `pre_upgrade` on the old code,
    /// `post_upgrade` on the new; a trap in either rejects the call and changes nothing.
    case upgrade
}

/// The argument of `install_code`: the target canister and the mode.
public struct InstallCodeArgument: Hashable, Sendable, Codable {
    public var canisterId: CanisterId
    public var mode: InstallMode

    public init(canisterId: CanisterId, mode: InstallMode) {
        self.canisterId = canisterId
        self.mode = mode
    }

    /// The target and mode a management request to `install_code` carries: an
    /// `InstallCodeArgument`, or a bare canister id (upgrade); `nil` for anything else.
    public static func decoding(_ arguments: Payload) -> InstallCodeArgument? {
        if let argument = arguments.as(InstallCodeArgument.self) { return argument }
        return arguments.as(CanisterId.self).map { InstallCodeArgument(canisterId: $0, mode: .upgrade) }
    }
}

extension CanisterId {
    /// The management canister `aaaaa-aa` (outside the configuration's canisters).
    public static let management = CanisterId(-1)
}

extension Execution {
    /// Calls the management canister's `method` for `target` (`ic0.call_new` to `aaaaa-aa`),
    /// attaching `cycles` (what `deposit_cycles` deposits; refunded by the other methods). The
    /// callback runs `continuation` with the reply or reject. Returns `.failed` when the system
    /// refuses the call synchronously. `mode` is `install_code`'s (ignored by other methods).
    @discardableResult @inlinable
    public mutating func callManagement(
        _ method: ManagementMethod, _ target: CanisterId, mode: InstallMode = .upgrade, cycles: Cycles = 0,
        then continuation: Continuation
    ) throws -> CallPerformResult {
        // An upgrade keeps its bare-id argument, the form traces had before the modes.
        let arguments = method == .installCode && mode != .upgrade
            ? Payload(InstallCodeArgument(canisterId: target, mode: mode)) : Payload(target)
        return try perform(
            .management, method.rawValue, arguments: arguments, cycles: cycles, kind: .guaranteed, timeout: 300,
            payloadBytes: 100, then: continuation, cleanup: false)
    }
}
