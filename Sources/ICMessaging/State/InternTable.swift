import ModelChecking

/// Numbers the distinct values of one component kind, in order of first appearance.
///
/// Values live in fixed-size chunks that never move, so reading an entry needs no lock while
/// no one appends (see `FrontierTables` for when that holds). Lookups probe an open-addressing
/// index by the value's 64-bit fingerprint (cached for the boxed components) and compare
/// values only when fingerprints match: a `Dictionary` hashed every key again with SipHash,
/// 4–6 % of an IC-model search's instructions.
struct InternTable<Value: Hashable & Fingerprintable> {
    // Manually managed buffers, not arrays: a parallel search's workers read the tables at once
    // (`FrontierTables.state(of:)`, `candidate(for:)`), and an array read from the tables was
    // retained and released around the read, a reference count that the cores fought over.
    /// The chunk pointers (room for `chunkCapacity`).
    private var chunks: UnsafeMutablePointer<UnsafeMutablePointer<Value>>
    private var chunkCapacity = 4
    private(set) var count = 0
    /// Per slot the fingerprint of the value there; meaningful only where `slotIds` is not 0.
    private var slotKeys: UnsafeMutablePointer<UInt64>
    /// Per slot the value's id + 1, or 0 for an empty slot.
    private var slotIds: UnsafeMutablePointer<UInt32>
    /// A power of two.
    private var slotCount = 64
    static var chunkShift: Int { 12 }
    static var chunkSize: Int { 1 << chunkShift }

    init() {
        chunks = .allocate(capacity: chunkCapacity)
        slotKeys = .allocate(capacity: slotCount)
        slotIds = .allocate(capacity: slotCount)
        slotIds.initialize(repeating: 0, count: slotCount)
        slotKeys.initialize(repeating: 0, count: slotCount)
    }

    mutating func id(of value: Value) -> UInt32 {
        let key = value.fingerprint
        let (slot, existing) = probe(value, key: key)
        if let existing { return existing }
        let id = UInt32(truncatingIfNeeded: count)
        if count & (Self.chunkSize - 1) == 0 {
            let chunk = count >> Self.chunkShift
            if chunk == chunkCapacity {
                let grown = UnsafeMutablePointer<UnsafeMutablePointer<Value>>.allocate(capacity: 2 * chunkCapacity)
                grown.moveInitialize(from: chunks, count: chunkCapacity)
                chunks.deallocate()
                chunks = grown
                chunkCapacity *= 2
            }
            (chunks + chunk).initialize(to: .allocate(capacity: Self.chunkSize))
        }
        (chunks[count >> Self.chunkShift] + (count & (Self.chunkSize - 1))).initialize(to: value)
        count += 1
        slotKeys[slot] = key
        slotIds[slot] = id + 1
        if count * 2 > slotCount { grow() }
        return id
    }

    /// The id of a value equal to `value` if the table holds one; changes nothing, so any number
    /// of threads may ask while no one appends (a parallel search's workers, see
    /// `FrontierTables.candidate(for:)`).
    @inline(__always)
    func existingId(of value: Value) -> UInt32? { probe(value, key: value.fingerprint).id }

    /// The id of a value equal to `value` (fingerprint `key`), or the empty slot where it would go.
    @inline(__always)
    private func probe(_ value: Value, key: UInt64) -> (slot: Int, id: UInt32?) {
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while slotIds[slot] != 0 {
            if slotKeys[slot] == key {
                let id = slotIds[slot] - 1
                if self[id] == value { return (slot, id) }
            }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    subscript(id: UInt32) -> Value {
        let index = Int(id)
        return chunks[index >> Self.chunkShift][index & (Self.chunkSize - 1)]
    }

    /// Doubles the index, moving each entry by its stored fingerprint (no value is hashed again).
    private mutating func grow() {
        let capacity = slotCount * 2
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        let ids = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        ids.initialize(repeating: 0, count: capacity)
        for old in 0..<slotCount where slotIds[old] != 0 {
            var slot = Int(truncatingIfNeeded: slotKeys[old]) & (capacity - 1)
            while ids[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = slotKeys[old]
            ids[slot] = slotIds[old]
        }
        slotKeys.deallocate()
        slotIds.deallocate()
        slotKeys = keys
        slotIds = ids
        slotCount = capacity
    }

    /// Frees the values and the index; the table must not be used afterwards (nor its copies:
    /// they share the buffers).
    mutating func release() {
        for (chunk, start) in zip(0..<((count + Self.chunkSize - 1) >> Self.chunkShift), stride(from: 0, to: count, by: Self.chunkSize)) {
            chunks[chunk].deinitialize(count: min(Self.chunkSize, count - start))
            chunks[chunk].deallocate()
        }
        chunks.deallocate()
        slotKeys.deallocate()
        slotIds.deallocate()
        count = 0
        slotCount = 0
        chunkCapacity = 0
    }
}
