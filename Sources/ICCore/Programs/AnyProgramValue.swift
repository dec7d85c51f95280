import ModelChecking

/// What an erased program value is to its program: its state or a continuation. A phantom
/// type: it keeps `AnyCanisterState` and `AnyContinuation` apart while one type implements both.
public protocol ProgramValueRole: Sendable {}

/// The role of a canister's state (`AnyCanisterState`).
public enum StateRole: ProgramValueRole {}

/// The role of a call's continuation (`AnyContinuation`).
public enum ContinuationRole: ProgramValueRole {}

/// A program's state or continuation with its type erased, so that canisters running different
/// programs live side by side in one system state.
///
/// The fingerprint is computed once, when the value is made (after a message execution, from a
/// `FingerprintMemo`), and cached: such values are carried unchanged through most transitions,
/// and the encoder-based default fingerprint of a user's `Codable` type is far too slow to
/// recompute for every successor. Equality compares the cached fingerprints first, then opens
/// the existential.
public struct AnyProgramValue<Role: ProgramValueRole>: Hashable, Sendable, Encodable, Fingerprintable, CustomStringConvertible {
    public let base: any CanisterState
    /// `base.fingerprint`, cached.
    public let cachedFingerprint: UInt64

    public init<Value: CanisterState>(_ base: Value) {
        self.base = base
        cachedFingerprint = base.fingerprint
    }

    /// With the fingerprint known already (from a `FingerprintMemo`).
    @usableFromInline
    init<Value: CanisterState>(_ base: Value, fingerprint: UInt64) {
        self.base = base
        cachedFingerprint = fingerprint
    }

    /// The value as its concrete type, or `nil` if it has another type. Inlinable so that
    /// properties, which ask on every state, get it specialised for their type.
    @inlinable
    public func `as`<Value: CanisterState>(_ type: Value.Type) -> Value? { base as? Value }

    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.cachedFingerprint == rhs.cachedFingerprint && equal(lhs.base, rhs.base)
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(cachedFingerprint) }
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(cachedFingerprint) }
    public func encode(to encoder: Encoder) throws { try base.encode(to: encoder) }

    /// The value as plain JSON data: what traces record and replay compares.
    public var json: JSONValue { JSONValue(encoding: base) }

    public var description: String { json.compactDescription }
}

/// A canister program's state with its type erased (see `AnyProgramValue`).
public typealias AnyCanisterState = AnyProgramValue<StateRole>

/// A continuation with its type erased (see `AnyProgramValue`).
public typealias AnyContinuation = AnyProgramValue<ContinuationRole>
