import ModelChecking

/// The three kinds of inter-canister call of the scalable messaging model.
public enum CallKind: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible, Fingerprintable {
    /// Guaranteed response (unbounded wait): exactly one response, never `SYS_UNKNOWN`,
    /// payloads up to 2 MB.
    case guaranteed
    /// Small guaranteed response (scalable-messaging proposal): payload at most 1 kB, counted
    /// against per-canister quotas of in-flight small messages.
    case smallGuaranteed
    /// Best effort (bounded wait): a deadline; the system may drop messages and answer
    /// `SYS_UNKNOWN` with refund 0.
    case bestEffort

    public var isBestEffort: Bool { self == .bestEffort }
    public var isGuaranteed: Bool { self != .bestEffort }
    public var description: String { rawValue }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        switch self {
        case .guaranteed: hasher.combine(UInt64(0))
        case .smallGuaranteed: hasher.combine(UInt64(1))
        case .bestEffort: hasher.combine(UInt64(2))
        }
    }
}
