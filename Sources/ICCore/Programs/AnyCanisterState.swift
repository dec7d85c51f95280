import ModelChecking

/// A canister program's state with its type erased, so that canisters running different
/// programs live side by side in one system state.
public struct AnyCanisterState: Hashable, Sendable, Encodable, Fingerprintable, CustomStringConvertible {
    public let base: any CanisterState

    public init<S: CanisterState>(_ base: S) { self.base = base }

    /// The state as its concrete type, or `nil` if it has another type.
    public func `as`<S: CanisterState>(_ type: S.Type) -> S? { base as? S }

    public static func == (lhs: AnyCanisterState, rhs: AnyCanisterState) -> Bool {
        AnyHashable(lhs.base) == AnyHashable(rhs.base)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(AnyHashable(base)) }
    public func fingerprint(into hasher: inout FingerprintHasher) { base.fingerprint(into: &hasher) }
    public func encode(to encoder: Encoder) throws { try base.encode(to: encoder) }

    /// The state as plain JSON data: what traces record and replay compares.
    public var json: JSONValue { JSONValue(encoding: base) }

    public var description: String { json.compactDescription }
}

/// A continuation with its type erased (see `AnyCanisterState`).
public struct AnyContinuation: Hashable, Sendable, Encodable, Fingerprintable, CustomStringConvertible {
    public let base: any ContinuationValue

    public init<C: ContinuationValue>(_ base: C) { self.base = base }

    public func `as`<C: ContinuationValue>(_ type: C.Type) -> C? { base as? C }

    public static func == (lhs: AnyContinuation, rhs: AnyContinuation) -> Bool {
        AnyHashable(lhs.base) == AnyHashable(rhs.base)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(AnyHashable(base)) }
    public func fingerprint(into hasher: inout FingerprintHasher) { base.fingerprint(into: &hasher) }
    public func encode(to encoder: Encoder) throws { try base.encode(to: encoder) }

    public var json: JSONValue { JSONValue(encoding: base) }
    public var description: String { json.compactDescription }
}
