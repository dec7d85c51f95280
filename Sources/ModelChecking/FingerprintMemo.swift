import Synchronization

/// Remembers the fingerprints of values seen before, for types whose fingerprint is expensive
/// (the encoder-based default of a user's `Codable` state) and whose values recur often.
///
/// A canister program's state or continuation takes few distinct values in a bounded model, but
/// each of the model's message executions makes one afresh; looking it up with `Hashable` costs a
/// fraction of encoding it again. Thread-safe; stops remembering at `capacity` values, so memory
/// stays bounded whatever the model does.
public final class FingerprintMemo<Value: Hashable & Sendable & Fingerprintable>: Sendable {
    @usableFromInline let table = Mutex<[Value: UInt64]>([:])
    /// The most values remembered.
    public let capacity: Int

    public init(capacity: Int = 1 << 16) { self.capacity = capacity }

    /// `value.fingerprint`, from memory when `value` was seen before. Inlinable: it runs once per
    /// message execution, and specialised for `Value` it skips the runtime's generic lookups.
    @inlinable
    public func fingerprint(of value: Value) -> UInt64 {
        if let known = table.withLock({ $0[value] }) { return known }
        let computed = value.fingerprint
        table.withLock { table in
            if table.count < capacity { table[value] = computed }
        }
        return computed
    }
}
