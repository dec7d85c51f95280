/// The visited set of the disk-backed search, as TLC's DiskFPSet: an in-memory table of at
/// most `budget` fingerprints, and a sorted file of all older ones with an in-memory index
/// (the first fingerprint of every page of `pageEntries`).
///
/// Membership is "in the table or in the file". A caller inserts into the table first (which
/// also drops repeats of a pending fingerprint), collects the fingerprints the table did not
/// know, and asks the file about them in one sorted batch (`retainFoundOnDisk`) before the next
/// `flush`, which sorts the table and merges it into the file. A fingerprint may be both in the
/// table and in the file; the merge keeps one copy.
@usableFromInline
final class DiskFingerprintSet: @unchecked Sendable {
    /// Behind a pointer: inserted into once per candidate, and a class property would cost a
    /// dynamic exclusivity check per access.
    @usableFromInline let tablePointer: UnsafeMutablePointer<FingerprintTable>
    @usableFromInline var table: FingerprintTable {
        get { tablePointer.pointee }
        set { tablePointer.pointee = newValue }
    }
    @usableFromInline let budget: Int
    let directory: String
    /// Fingerprints in the file.
    @usableFromInline var diskCount: Int { diskCountPointer.pointee }
    @usableFromInline let diskCountPointer: UnsafeMutablePointer<Int> = {
        let pointer = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return pointer
    }()
    /// First fingerprint of each page of the file.
    private var index: [UInt64] = []
    private var file: ByteFile?
    private var generation = 0
    static let pageEntries = 1024

    /// `preallocate`: size the table for `budget` at once (it then never grows: a flush empties
    /// it before `budget`, below its growth threshold, is passed); otherwise it starts small.
    @usableFromInline init(directory: String, budget: Int, preallocate: Bool) {
        self.directory = directory
        self.budget = budget
        tablePointer = .allocate(capacity: 1)
        tablePointer.initialize(to: FingerprintTable(capacity: preallocate ? budget + budget / 4 + 64 : 1 << 16))
    }

    deinit {
        tablePointer.pointee.deallocate()
        tablePointer.deinitialize(count: 1)
        tablePointer.deallocate()
        diskCountPointer.deallocate()
        file?.remove()
    }

    @inlinable var isFull: Bool { tablePointer.pointee.count >= budget }
    @usableFromInline var count: Int { diskCount + table.count }

    /// Inserts into the table; false if the table has it (visited, or pending in this batch).
    @inlinable @inline(__always)
    func insert(_ fingerprint: UInt64) -> Bool { tablePointer.pointee.insert(fingerprint) }

    /// Keeps, in place, only the elements of `sorted` (ascending) that the file holds; returns
    /// how many (they form the prefix). Reads each page that may hold one of them once.
    @usableFromInline
    func retainFoundOnDisk(_ sorted: UnsafeMutableBufferPointer<UInt64>) -> Int {
        guard diskCount > 0, let file, !sorted.isEmpty else { return 0 }
        var page = [UInt64](repeating: 0, count: Self.pageEntries)
        var loadedPage = -1
        var loadedCount = 0
        var found = 0
        var pageIndex = 0
        for position in sorted.indices {
            let fingerprint = sorted[position]
            // The last page whose first fingerprint is at most this one (queries ascend).
            while pageIndex + 1 < index.count && index[pageIndex + 1] <= fingerprint { pageIndex += 1 }
            if fingerprint < index[0] { continue }
            if loadedPage != pageIndex {
                let entries = min(Self.pageEntries, diskCount - pageIndex * Self.pageEntries)
                page.withUnsafeMutableBytes { bytes in
                    _ = file.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<entries * 8]), at: pageIndex * Self.pageEntries * 8)
                }
                loadedPage = pageIndex
                loadedCount = entries
            }
            // Binary search in the page.
            var low = 0
            var high = loadedCount
            while low < high {
                let middle = (low + high) / 2
                if page[middle] < fingerprint { low = middle + 1 } else { high = middle }
            }
            if low < loadedCount && page[low] == fingerprint {
                sorted[found] = fingerprint
                found += 1
            }
        }
        return found
    }

    /// Sorts the table and merges it into the file; empties the table.
    @usableFromInline
    func flush() {
        guard table.count > 0 else { return }
        // Compact the table's fingerprints to the front of its slots and sort them in place.
        var filled = 0
        let slots = table.slots
        for slot in 0..<table.capacity where slots[slot] != 0 {
            slots[filled] = slots[slot]
            filled += 1
        }
        let fresh = UnsafeMutableBufferPointer(start: slots, count: filled)
        fresh.sortInPlace()
        generation += 1
        guard let merged = ByteFile(creating: "\(directory)/fingerprints-\(generation)") else {
            preconditionFailure("disk search: cannot create a fingerprint file in \(directory)")
        }
        var newIndex: [UInt64] = []
        var total = 0
        var last: UInt64?
        func emit(_ fingerprint: UInt64) {
            if let last, last == fingerprint { return }
            if total % Self.pageEntries == 0 { newIndex.append(fingerprint) }
            merged.append(value: fingerprint)
            total += 1
            last = fingerprint
        }
        if table.containsZero { emit(0) }
        var next = 0
        if let file {
            let blockEntries = 1 << 15
            var block = [UInt64](repeating: 0, count: blockEntries)
            var offset = 0
            while offset < diskCount {
                let entries = min(blockEntries, diskCount - offset)
                block.withUnsafeMutableBytes { bytes in
                    _ = file.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<entries * 8]), at: offset * 8)
                }
                for position in 0..<entries {
                    let old = block[position]
                    while next < filled && fresh[next] < old {
                        emit(fresh[next])
                        next += 1
                    }
                    emit(old)
                }
                offset += entries
            }
            file.remove()
        }
        while next < filled {
            emit(fresh[next])
            next += 1
        }
        merged.flush()
        file = merged
        diskCountPointer.pointee = total
        index = newIndex
        table.slots.update(repeating: 0, count: table.capacity)
        table.count = 0
        table.containsZero = false
    }

    /// Every fingerprint, ascending, after a `flush` (the file's contents), in blocks.
    @usableFromInline
    func forEachBlock(_ body: (UnsafeRawBufferPointer) -> Void) {
        precondition(table.count == 0, "disk search: flush before reading the set back")
        guard let file else { return }
        var block = [UInt8](repeating: 0, count: 1 << 18)
        var offset = 0
        while offset < diskCount * 8 {
            let bytes = min(block.count, diskCount * 8 - offset)
            block.withUnsafeMutableBytes { buffer in
                _ = file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes]), at: offset)
                body(UnsafeRawBufferPointer(rebasing: buffer[0..<bytes]))
            }
            offset += bytes
        }
    }

    /// Replaces the set with `sortedCount` ascending, distinct fingerprints given in blocks
    /// by `next` (which returns `nil` at the end): how a checkpoint is restored.
    @usableFromInline
    func restore(sortedCount: Int, next: () -> UnsafeRawBufferPointer?) {
        generation += 1
        guard let restored = ByteFile(creating: "\(directory)/fingerprints-\(generation)") else {
            preconditionFailure("disk search: cannot create a fingerprint file in \(directory)")
        }
        var newIndex: [UInt64] = []
        var total = 0
        while let bytes = next() {
            for position in 0..<bytes.count / 8 {
                let fingerprint = bytes.loadUnaligned(fromByteOffset: position * 8, as: UInt64.self)
                if total % Self.pageEntries == 0 { newIndex.append(fingerprint) }
                total += 1
            }
            restored.append(bytes)
        }
        precondition(total == sortedCount, "disk search: the checkpoint's fingerprint section is short")
        restored.flush()
        file?.remove()
        file = restored
        diskCountPointer.pointee = total
        index = newIndex
    }
}
