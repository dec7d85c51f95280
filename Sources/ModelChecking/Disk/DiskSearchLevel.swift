/// The mutable state of a disk-backed search: its files, its visited set, the candidates
/// waiting for a lookup in the visited set's file, and the search-wide counters.
///
/// A successor is a candidate when the in-memory table did not know its fingerprint; while the
/// file is empty it is accepted at once, otherwise it is written to the candidate file and its
/// fingerprint to `pending`. `resolve` looks the pending fingerprints up in the file in one
/// sorted pass and accepts, in generation order, the candidates it does not hold. So a state is
/// accepted exactly when the in-memory search would accept it, with the same id.
@usableFromInline
struct DiskSearchLevel<System: TransitionSystem> {
    @usableFromInline typealias Entry = System.Frontier.Entry
    @usableFromInline let visited: DiskFingerprintSet
    /// The frontier being expanded and the next one.
    @usableFromInline var current: EntryFile<Entry>
    @usableFromInline var next: EntryFile<Entry>
    @usableFromInline let candidates: ByteFile
    @usableFromInline var pending: [UInt64] = []
    @usableFromInline var counters: SearchCounters
    @usableFromInline let store: System.Frontier
    /// Per state, its index among its parent's successors, when the frontier cannot be saved
    /// as bytes and a checkpoint must rebuild it by re-execution (`Checkpoint.replaysFrontier`).
    @usableFromInline var successorLog: SuccessorLog?

    @inlinable static var entryBytes: Int { (MemoryLayout<Entry>.stride + 7) & ~7 }
    @inlinable static var recordBytes: Int { 16 + entryBytes }

    @usableFromInline
    init(directory: String, budget: Int, preallocate: Bool, counters: SearchCounters, store: System.Frontier) {
        visited = DiskFingerprintSet(directory: directory, budget: budget, preallocate: preallocate)
        guard let first = ByteFile(creating: directory + "/queue-0"), let second = ByteFile(creating: directory + "/queue-1"),
            let candidateFile = ByteFile(creating: directory + "/candidates")
        else { preconditionFailure("disk search: cannot create files in \(directory)") }
        current = EntryFile(first)
        next = EntryFile(second)
        candidates = candidateFile
        self.counters = counters
        self.store = store
    }

    /// Frees the files.
    @usableFromInline
    func removeFiles() {
        current.file.remove()
        next.file.remove()
        candidates.remove()
        successorLog?.remove()
    }

    /// Makes the next frontier the current one.
    @inlinable
    mutating func advance() {
        swap(&current, &next)
        next.removeAll()
    }

    /// Handles one successor, in generation order.
    @inlinable
    mutating func offer(_ state: System.State, fingerprint: UInt64, parent: UInt32, successor: UInt32) {
        guard visited.insert(fingerprint) else { return }
        if visited.diskCount == 0 {
            admit(store.entry(for: state), fingerprint: fingerprint, parent: parent, successor: successor)
        } else {
            pending.append(fingerprint)
            candidates.append(value: fingerprint)
            candidates.append(value: UInt64(successor) << 32 | UInt64(parent))
            var entry = store.entry(for: state)
            withUnsafeBytes(of: &entry) { candidates.append($0) }
            for _ in 0..<(Self.entryBytes - MemoryLayout<Entry>.size) { candidates.append(value: UInt8(0)) }
        }
        if visited.isFull { spill() }
    }

    /// A new state: it joins the next frontier and the parent log, unless the state limit is reached.
    @inlinable
    mutating func admit(_ entry: Entry, fingerprint: UInt64, parent: UInt32, successor: UInt32) {
        if counters.log.count < counters.stateLimit {
            next.append(entry)
            counters.log.append(parent: parent, fingerprint: fingerprint)
            successorLog?.append(successor)
        } else {
            counters.stateLimitHit = true
        }
    }

    /// Resolves the pending candidates, then merges the table into the file.
    @inlinable
    mutating func spill() {
        resolve()
        visited.flush()
    }

    /// Looks the pending fingerprints up in the file and admits, in order, the candidates it
    /// does not hold.
    @inlinable
    mutating func resolve() {
        guard !pending.isEmpty else { return }
        pending.withUnsafeMutableBufferPointer { $0.sortInPlace() }
        let visited = self.visited
        let found = pending.withUnsafeMutableBufferPointer { visited.retainFoundOnDisk($0) }
        candidates.flush()
        let recordBytes = Self.recordBytes
        let total = candidates.size / recordBytes
        let blockRecords = max(1, (1 << 18) / recordBytes)
        var block = [UInt8](repeating: 0, count: blockRecords * recordBytes)
        var record = 0
        while record < total {
            let records = min(blockRecords, total - record)
            block.withUnsafeMutableBytes { bytes in
                _ = candidates.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<records * recordBytes]), at: record * recordBytes)
            }
            for position in 0..<records {
                let offset = position * recordBytes
                let (fingerprint, parent, entry) = block.withUnsafeBytes { bytes in
                    (
                        bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                        bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self),
                        bytes.loadUnaligned(fromByteOffset: offset + 16, as: Entry.self)
                    )
                }
                if found > 0 && Self.contains(pending, count: found, fingerprint) { continue }
                admit(entry, fingerprint: fingerprint, parent: UInt32(truncatingIfNeeded: parent), successor: UInt32(truncatingIfNeeded: parent >> 32))
            }
            record += records
        }
        candidates.truncate()
        pending.removeAll(keepingCapacity: true)
    }

    /// Binary search in the ascending prefix `sorted[0..<count]`.
    @inlinable
    static func contains(_ sorted: [UInt64], count: Int, _ fingerprint: UInt64) -> Bool {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < fingerprint { low = middle + 1 } else { high = middle }
        }
        return low < count && sorted[low] == fingerprint
    }
}

