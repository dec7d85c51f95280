import ModelChecking

/// The IC's reject codes (interface specification, "Reject codes"; ic-semantics.md §3).
public enum RejectCode: Int, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible, Fingerprintable {
    /// Fatal system error; retrying is unlikely to help.
    case sysFatal = 1
    /// Transient system error (frozen callee, queue full, stop timeout); a retry might work.
    case sysTransient = 2
    /// The destination does not exist.
    case destinationInvalid = 3
    /// An explicit reject by the callee (`ic0.msg_reject`), or an uninstall rejecting open contexts.
    case canisterReject = 4
    /// A canister error: trap, no response, stopping or stopped callee.
    case canisterError = 5
    /// Response unknown: the system stopped waiting (best-effort calls only).
    case sysUnknown = 6

    /// The name the interface specification uses, e.g. `SYS_UNKNOWN`.
    public var description: String {
        switch self {
        case .sysFatal: "SYS_FATAL"
        case .sysTransient: "SYS_TRANSIENT"
        case .destinationInvalid: "DESTINATION_INVALID"
        case .canisterReject: "CANISTER_REJECT"
        case .canisterError: "CANISTER_ERROR"
        case .sysUnknown: "SYS_UNKNOWN"
        }
    }

    /// Whether the callee certainly did not change state (the Rust CDK's `is_clean_reject`).
    public var isClean: Bool { rawValue <= 3 }


    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(rawValue) }
}
