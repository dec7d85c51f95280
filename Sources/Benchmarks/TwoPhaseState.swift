import ModelChecking

/// One TwoPhase state packed into a single word (at most 15 resource managers).
///
/// | bits    | field                                                                  |
/// |---------|------------------------------------------------------------------------|
/// | 0–29    | `rmState`, 2 bits per RM: 0 working, 1 prepared, 2 committed, 3 aborted |
/// | 30–44   | `tmPrepared`, one bit per RM                                            |
/// | 45–59   | the `Prepared` messages in `msgs`, one bit per RM                        |
/// | 60      | `tmState = "done"`                                                      |
/// | 61, 62  | the `Commit` and `Abort` messages in `msgs`                             |
public struct TwoPhaseState: Hashable, Sendable, Fingerprintable {
    @usableFromInline var bits: UInt64

    @inlinable
    init(bits: UInt64) { self.bits = bits }

    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(bits)
    }
}

/// Bit positions of `TwoPhaseState`.
@usableFromInline
enum TwoPhaseBits {
    @usableFromInline static let maxResourceManagers = 15
    @usableFromInline static let tmPreparedShift: UInt64 = 30
    @usableFromInline static let preparedMsgShift: UInt64 = 45
    @usableFromInline static let tmDone: UInt64 = 1 << 60
    @usableFromInline static let commitMsg: UInt64 = 1 << 61
    @usableFromInline static let abortMsg: UInt64 = 1 << 62

    @usableFromInline static let working: UInt64 = 0
    @usableFromInline static let prepared: UInt64 = 1
    @usableFromInline static let committed: UInt64 = 2
    @usableFromInline static let aborted: UInt64 = 3
}
