/// The order-independent fingerprint of a dictionary, kept up to date entry by entry.
///
/// `Dictionary`'s fingerprint sums and xors one hash per entry, so a change to one entry can be
/// folded in without a walk over the others. A state component that changes one entry per step
/// (a ghost history of calls) keeps its digest beside the dictionary; `fingerprint(into:)` then
/// feeds exactly what the dictionary's own fingerprint would.
public struct DictionaryDigest: Sendable, Hashable, Fingerprintable {
    @usableFromInline var count: UInt64 = 0
    @usableFromInline var sum: UInt64 = 0
    @usableFromInline var xor: UInt64 = 0

    /// The digest of an empty dictionary.
    @inlinable public init() {}

    /// The digest of `dictionary` (one walk).
    @inlinable
    public init<Key: Fingerprintable, Value: Fingerprintable>(of dictionary: [Key: Value]) {
        for (key, value) in dictionary { insert(key, value) }
    }

    @inlinable
    static func entry<Key: Fingerprintable, Value: Fingerprintable>(_ key: Key, _ value: Value) -> UInt64 {
        var hasher = FingerprintHasher()
        key.fingerprint(into: &hasher)
        value.fingerprint(into: &hasher)
        return hasher.finalize()
    }

    /// Accounts for a new entry.
    @inlinable
    public mutating func insert<Key: Fingerprintable, Value: Fingerprintable>(_ key: Key, _ value: Value) {
        let hash = Self.entry(key, value)
        count &+= 1
        sum &+= hash
        xor ^= hash
    }

    /// Accounts for an entry that is no longer there.
    @inlinable
    public mutating func remove<Key: Fingerprintable, Value: Fingerprintable>(_ key: Key, _ value: Value) {
        let hash = Self.entry(key, value)
        count &-= 1
        sum &-= hash
        xor ^= hash
    }

    /// Feeds the same words as `Dictionary.fingerprint(into:)` of the dictionary digested.
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(count)
        hasher.combine(sum)
        hasher.combine(xor)
    }
}
