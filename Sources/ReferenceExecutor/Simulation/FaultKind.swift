import ICCore

/// A fault the simulator injects into one call.
public enum FaultKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `call_perform` fails synchronously (no callback ever runs).
    case syncFailure
    /// The system rejects the request in flight with this code (T6).
    case reject(RejectCode)
    /// The best-effort request is shed (its cycles are lost; the caller learns by expiry).
    case drop
    /// The best-effort call expires at once, before its deadline (T7).
    case earlyExpiry
    /// The callee's execution of the request traps (instruction limit).
    case trapInCallee
    /// The caller's callback traps (cleanup runs if registered).
    case trapInCallback
    /// The caller is stopped while the call is outstanding, and started again a few rounds later.
    case stopCaller

    public var description: String {
        switch self {
        case .syncFailure: "sync-failure"
        case .reject(let code): "reject-\(code)"
        case .drop: "drop"
        case .earlyExpiry: "early-expiry"
        case .trapInCallee: "trap-in-callee"
        case .trapInCallback: "trap-in-callback"
        case .stopCaller: "stop-caller"
        }
    }

    /// Every fault the IC allows for a call of `kind` (no drops, expiry or SYS_UNKNOWN for
    /// guaranteed-response calls).
    static func kinds(for kind: CallKind) -> [FaultKind] {
        var kinds: [FaultKind] = [.syncFailure] + RejectCode.spontaneousCodes(for: kind).map(FaultKind.reject)
        if kind.isBestEffort { kinds += [.drop, .earlyExpiry] }
        return kinds + [.trapInCallee, .trapInCallback, .stopCaller]
    }

    public static func < (lhs: FaultKind, rhs: FaultKind) -> Bool { lhs.description < rhs.description }
}
