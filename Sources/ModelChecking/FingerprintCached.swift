import Synchronization

/// A state component whose fingerprint is computed at most once per distinct value.
///
/// A successor state copies its parent and changes one or two components; the rest are carried
/// unchanged. Keeping each large component in an immutable shared box with a lazily cached
/// fingerprint means an unchanged component costs one word to fingerprint, not a walk over its
/// contents, and parent and successors share its storage instead of holding copies. Equality
/// compares the cached fingerprints first (different fingerprints: different values).
public struct FingerprintCached<Value: Hashable & Sendable & Fingerprintable>: Hashable, Sendable, Fingerprintable {
    @usableFromInline
    final class Box: Sendable {
        @usableFromInline let value: Value
        /// The fingerprint, or 0 while not yet computed (a value whose fingerprint is 0 is just
        /// recomputed each time).
        @usableFromInline let cache = Atomic<UInt64>(0)

        @inlinable init(_ value: Value) { self.value = value }

        @inlinable var fingerprint: UInt64 {
            let cached = cache.load(ordering: .relaxed)
            if cached != 0 { return cached }
            let computed = value.fingerprint
            cache.store(computed, ordering: .relaxed)
            return computed
        }
    }

    @usableFromInline var box: Box

    @inlinable
    public init(_ value: Value) { box = Box(value) }

    /// The component. Setting it replaces the box, so the next fingerprint is computed afresh.
    @inlinable
    public var value: Value {
        get { box.value }
        set { box = Box(newValue) }
    }

    /// The component's own 64-bit fingerprint (cached).
    @inlinable
    public var fingerprint: UInt64 { box.fingerprint }

    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(box.fingerprint) }

    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || (lhs.box.fingerprint == rhs.box.fingerprint && lhs.box.value == rhs.box.value)
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(box.fingerprint) }
}
