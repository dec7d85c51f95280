import ModelChecking

/// A canister program's state with its type erased, so that canisters running different
/// programs live side by side in one system state.
///
/// The fingerprint is computed once, when the value is made (after a message execution), and
/// cached: a program state is carried unchanged through most transitions, and the
/// encoder-based default fingerprint of a user's `Codable` state is far too slow to recompute
/// for every successor.
public struct AnyCanisterState: Hashable, Sendable, Encodable, Fingerprintable, CustomStringConvertible {
    public let base: any CanisterState
    /// `base.fingerprint`, cached.
    public let cachedFingerprint: UInt64

    public init<S: CanisterState>(_ base: S) {
        self.base = base
        cachedFingerprint = base.fingerprint
    }

    /// With the fingerprint known already (from a `FingerprintMemo`).
    @usableFromInline
    init<S: CanisterState>(_ base: S, fingerprint: UInt64) {
        self.base = base
        cachedFingerprint = fingerprint
    }

    /// The state as its concrete type, or `nil` if it has another type. Inlinable so that
    /// properties, which ask on every state, get it specialised for their type.
    @inlinable
    public func `as`<S: CanisterState>(_ type: S.Type) -> S? { base as? S }

    public static func == (lhs: AnyCanisterState, rhs: AnyCanisterState) -> Bool {
        lhs.cachedFingerprint == rhs.cachedFingerprint && equal(lhs.base, rhs.base)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(cachedFingerprint) }
    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(cachedFingerprint) }
    public func encode(to encoder: Encoder) throws { try base.encode(to: encoder) }

    /// The state as plain JSON data: what traces record and replay compares.
    public var json: JSONValue { JSONValue(encoding: base) }

    public var description: String { json.compactDescription }
}

/// A continuation with its type erased and its fingerprint cached (see `AnyCanisterState`).
public struct AnyContinuation: Hashable, Sendable, Encodable, Fingerprintable, CustomStringConvertible {
    public let base: any ContinuationValue
    /// `base.fingerprint`, cached.
    public let cachedFingerprint: UInt64

    public init<C: ContinuationValue>(_ base: C) {
        self.base = base
        cachedFingerprint = base.fingerprint
    }

    /// With the fingerprint known already (from a `FingerprintMemo`).
    init<C: ContinuationValue>(_ base: C, fingerprint: UInt64) {
        self.base = base
        cachedFingerprint = fingerprint
    }

    public func `as`<C: ContinuationValue>(_ type: C.Type) -> C? { base as? C }

    public static func == (lhs: AnyContinuation, rhs: AnyContinuation) -> Bool {
        lhs.cachedFingerprint == rhs.cachedFingerprint && equal(lhs.base, rhs.base)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(cachedFingerprint) }
    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(cachedFingerprint) }
    public func encode(to encoder: Encoder) throws { try base.encode(to: encoder) }

    public var json: JSONValue { JSONValue(encoding: base) }
    public var description: String { json.compactDescription }
}
