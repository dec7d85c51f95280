/// Consumes a value opaquely, so that the loads in the `touch` loops are not optimised away.
@usableFromInline @inline(never)
func blackHole(_ value: UInt64) {}

/// A set of 64-bit fingerprints: open addressing with linear probing in one flat array of
/// `UInt64` (8 bytes per slot, at most 80 % full, grown by 1.5×: 10–15 bytes per state).
///
/// Only fingerprints are stored, never states. 0 marks an empty slot, so the fingerprint 0 is
/// kept in a separate flag. A plain struct over a manually managed buffer: the owner
/// (`ShardedFingerprintSet`) frees it, and hot-loop access needs no exclusivity checks.
@usableFromInline
struct FingerprintTable {
    @usableFromInline var slots: UnsafeMutablePointer<UInt64>
    @usableFromInline var capacity: Int
    @usableFromInline var count: Int = 0
    @usableFromInline var growthThreshold: Int
    @usableFromInline var containsZero = false

    @usableFromInline
    init(capacity requested: Int) {
        capacity = max(requested, 16)
        slots = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        growthThreshold = capacity / 5 * 4
    }

    @usableFromInline
    func deallocate() { slots.deallocate() }

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

    /// Loads the home slot of every fingerprint, so that the following probes hit the cache.
    /// The loads are independent, so the processor overlaps their misses (a portable prefetch).
    @inlinable
    func touch(_ fingerprints: UnsafeBufferPointer<UInt64>) {
        var sum: UInt64 = 0
        for fingerprint in fingerprints { sum &+= slots[home(fingerprint)] }
        blackHole(sum)
    }

    /// Inserts `fingerprint`; returns whether it was new.
    @inlinable
    mutating func insert(_ fingerprint: UInt64) -> Bool {
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
    mutating func grow() {
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
///
/// `@unchecked Sendable`: the parallel search shares it between threads in strictly separated
/// phases: during expansion every thread only reads (`contains`); during the merge each shard
/// is written (`insert`) by exactly one thread and read by none. The phases are separated by
/// the join of `DispatchQueue.concurrentPerform`, which orders the memory accesses.
@usableFromInline
final class ShardedFingerprintSet: @unchecked Sendable {
    @usableFromInline let shards: UnsafeMutablePointer<FingerprintTable>
    @usableFromInline let shardCount: Int
    @usableFromInline let mask: UInt64

    @usableFromInline
    init(shardCount: Int, initialCapacity: Int = 4096) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0, "shard count must be a power of two")
        self.shardCount = shardCount
        shards = .allocate(capacity: shardCount)
        for index in 0..<shardCount {
            (shards + index).initialize(to: FingerprintTable(capacity: initialCapacity))
        }
        mask = UInt64(shardCount - 1)
    }

    deinit {
        for index in 0..<shardCount { shards[index].deallocate() }
        shards.deinitialize(count: shardCount)
        shards.deallocate()
    }

    @inlinable @inline(__always)
    func shardIndex(_ fingerprint: UInt64) -> Int { Int(truncatingIfNeeded: fingerprint & mask) }

    @inlinable @inline(__always)
    func contains(_ fingerprint: UInt64) -> Bool { shards[shardIndex(fingerprint)].contains(fingerprint) }

    /// Inserts into the owning shard; only the shard's owner may call it during a merge.
    @inlinable @inline(__always)
    func insert(_ fingerprint: UInt64) -> Bool { shards[shardIndex(fingerprint)].insert(fingerprint) }

    /// `FingerprintTable.touch` across shards.
    @inlinable
    func touch(_ fingerprints: UnsafeBufferPointer<UInt64>) {
        var sum: UInt64 = 0
        for fingerprint in fingerprints {
            let shard = shards[shardIndex(fingerprint)]
            sum &+= shard.slots[shard.home(fingerprint)]
        }
        blackHole(sum)
    }

    @usableFromInline var count: Int { (0..<shardCount).reduce(0) { $0 + shards[$1].count } }
    @usableFromInline var memoryBytes: Int { (0..<shardCount).reduce(0) { $0 + shards[$1].memoryBytes } }
}

/// A small, reusable fingerprint set for one chunk of the parallel expansion: drops successors
/// already discovered in the same chunk before they reach the (cache-missing) global set.
/// `reset` empties it in time proportional to its use, not its capacity.
@usableFromInline
struct ChunkDeduplicator {
    @usableFromInline var table: FingerprintTable
    /// The slots filled since the last reset, while `usedIsExact`.
    @usableFromInline var used: [Int] = []
    /// Whether `used` lists every filled slot of the current slot array. An insert through the
    /// table (0, or when it is due to grow) may move every slot, even when it finds the
    /// fingerprint already there, so it ends the tracking; `reset` then clears everything.
    /// (Comparing `used.count` with `table.count` missed a growth on a duplicate: stale slots
    /// stayed, uncounted, until the table was full and a probe never ended.)
    @usableFromInline var usedIsExact = true

    @inlinable
    init(table: FingerprintTable) { self.table = table }

    /// Inserts `fingerprint`; returns whether it was new in this chunk.
    @inlinable
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        if fingerprint == 0 || table.count >= table.growthThreshold {
            usedIsExact = false
            return table.insert(fingerprint)
        }
        var index = table.home(fingerprint)
        while true {
            let slot = table.slots[index]
            if slot == fingerprint { return false }
            if slot == 0 {
                table.slots[index] = fingerprint
                table.count += 1
                used.append(index)
                return true
            }
            index &+= 1
            if index == table.capacity { index = 0 }
        }
    }

    @inlinable
    mutating func reset() {
        if usedIsExact {
            for index in used { table.slots[index] = 0 }
        } else {
            // It may have grown (slots moved) or holds 0: clear everything.
            table.slots.update(repeating: 0, count: table.capacity)
        }
        table.count = 0
        table.containsZero = false
        used.removeAll(keepingCapacity: true)
        usedIsExact = true
    }
}
