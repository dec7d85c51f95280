/// A set of 64-bit fingerprints: open addressing with linear probing in one flat array of
/// `UInt64` (8 bytes per slot, at most 80 % full, grown by 1.5×: 10–15 bytes per state).
///
/// Only fingerprints are stored, never states. 0 marks an empty slot, so the fingerprint 0 is
/// kept in a separate flag.
///
/// `@unchecked Sendable`: the parallel search shares tables between threads in strictly
/// separated phases: during expansion every thread only reads (`contains`); during the merge
/// each table is written (`insert`) by exactly one thread and read by none. The phases are
/// separated by the join of `DispatchQueue.concurrentPerform`, which orders the memory accesses.
@usableFromInline
final class FingerprintTable: @unchecked Sendable {
    @usableFromInline var slots: UnsafeMutablePointer<UInt64>
    @usableFromInline var capacity: Int
    @usableFromInline var count: Int = 0
    @usableFromInline var growthThreshold: Int
    @usableFromInline var containsZero = false

    @usableFromInline
    init(capacity requested: Int = 1024) {
        capacity = max(requested, 16)
        slots = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        growthThreshold = capacity / 5 * 4
    }

    deinit { slots.deallocate() }

    /// Bytes held by the slot array.
    @usableFromInline var memoryBytes: Int { capacity * 8 }

    @inlinable @inline(__always)
    func home(_ fingerprint: UInt64) -> Int {
        // Lemire's multiply-shift range reduction: uses the high bits of the fingerprint, while
        // shard selection uses the low bits.
        Int(truncatingIfNeeded: fingerprint.multipliedFullWidth(by: UInt64(truncatingIfNeeded: capacity)).high)
    }

    @inlinable
    func contains(_ fingerprint: UInt64) -> Bool {
        if fingerprint == 0 { return containsZero }
        var index = home(fingerprint)
        while true {
            let slot = slots[index]
            if slot == fingerprint { return true }
            if slot == 0 { return false }
            index &+= 1
            if index == capacity { index = 0 }
        }
    }

    /// Inserts `fingerprint`; returns whether it was new.
    @inlinable
    func insert(_ fingerprint: UInt64) -> Bool {
        if fingerprint == 0 {
            if containsZero { return false }
            containsZero = true
            count += 1
            return true
        }
        if count >= growthThreshold { grow() }
        var index = home(fingerprint)
        while true {
            let slot = slots[index]
            if slot == fingerprint { return false }
            if slot == 0 {
                slots[index] = fingerprint
                count += 1
                return true
            }
            index &+= 1
            if index == capacity { index = 0 }
        }
    }

    @usableFromInline
    func grow() {
        let oldSlots = slots
        let oldCapacity = capacity
        capacity = oldCapacity + oldCapacity / 2
        growthThreshold = capacity / 5 * 4
        slots = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        for old in 0..<oldCapacity {
            let fingerprint = oldSlots[old]
            if fingerprint == 0 { continue }
            var index = home(fingerprint)
            while slots[index] != 0 {
                index &+= 1
                if index == capacity { index = 0 }
            }
            slots[index] = fingerprint
        }
        oldSlots.deallocate()
    }
}

/// The visited set of a search: fingerprints split into a power-of-two number of shards by
/// their low bits, so parallel workers can each own a disjoint set of shards while merging.
@usableFromInline
struct ShardedFingerprintSet: @unchecked Sendable {
    @usableFromInline let shards: [FingerprintTable]
    @usableFromInline let mask: UInt64

    @usableFromInline
    init(shardCount: Int, initialCapacity: Int = 4096) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0, "shard count must be a power of two")
        shards = (0..<shardCount).map { _ in FingerprintTable(capacity: initialCapacity) }
        mask = UInt64(shardCount - 1)
    }

    @inlinable @inline(__always)
    func shardIndex(_ fingerprint: UInt64) -> Int { Int(truncatingIfNeeded: fingerprint & mask) }

    @inlinable @inline(__always)
    func contains(_ fingerprint: UInt64) -> Bool { shards[shardIndex(fingerprint)].contains(fingerprint) }

    @usableFromInline var count: Int { shards.reduce(0) { $0 + $1.count } }
    @usableFromInline var memoryBytes: Int { shards.reduce(0) { $0 + $1.memoryBytes } }
}
