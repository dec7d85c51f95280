import ModelChecking

/// Numbers the distinct values of one component kind, in order of first appearance.
///
/// Values live in fixed-size chunks that never move, so reading an entry needs no lock while
/// no one appends (see `FrontierTables` for when that holds). Lookups probe an open-addressing
/// index by the value's 64-bit fingerprint (cached for the boxed components) and compare
/// values only when fingerprints match: a `Dictionary` hashed every key again with SipHash,
/// 4–6 % of an IC-model search's instructions.
struct InternTable<Value: Hashable & Fingerprintable> {
    private var chunks: [UnsafeMutablePointer<Value>] = []
    private(set) var count = 0
    /// Per slot the fingerprint of the value there; meaningful only where `slotIds` is not 0.
    private var slotKeys: [UInt64] = Array(repeating: 0, count: 64)
    /// Per slot the value's id + 1, or 0 for an empty slot.
    private var slotIds: [UInt32] = Array(repeating: 0, count: 64)
    static var chunkShift: Int { 12 }
    static var chunkSize: Int { 1 << chunkShift }

    mutating func id(of value: Value) -> UInt32 {
        let key = value.fingerprint
        let mask = slotIds.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while slotIds[slot] != 0 {
            if slotKeys[slot] == key {
                let id = slotIds[slot] - 1
                if self[id] == value { return id }
            }
            slot = (slot + 1) & mask
        }
        let id = UInt32(truncatingIfNeeded: count)
        if count & (Self.chunkSize - 1) == 0 { chunks.append(.allocate(capacity: Self.chunkSize)) }
        (chunks[count >> Self.chunkShift] + (count & (Self.chunkSize - 1))).initialize(to: value)
        count += 1
        slotKeys[slot] = key
        slotIds[slot] = id + 1
        if count * 2 > slotIds.count { grow() }
        return id
    }

    subscript(id: UInt32) -> Value {
        let index = Int(id)
        return chunks[index >> Self.chunkShift][index & (Self.chunkSize - 1)]
    }

    /// Doubles the index, moving each entry by its stored fingerprint (no value is hashed again).
    private mutating func grow() {
        let capacity = slotIds.count * 2
        var keys = [UInt64](repeating: 0, count: capacity)
        var ids = [UInt32](repeating: 0, count: capacity)
        for old in slotIds.indices where slotIds[old] != 0 {
            var slot = Int(truncatingIfNeeded: slotKeys[old]) & (capacity - 1)
            while ids[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = slotKeys[old]
            ids[slot] = slotIds[old]
        }
        slotKeys = keys
        slotIds = ids
    }

    /// Frees the values; the table must not be used afterwards.
    mutating func release() {
        for (chunk, start) in zip(chunks, stride(from: 0, to: count, by: Self.chunkSize)) {
            chunk.deinitialize(count: min(Self.chunkSize, count - start))
            chunk.deallocate()
        }
        chunks = []
        slotKeys = []
        slotIds = []
        count = 0
    }
}
