import Foundation

/// Checkpoints of a distributed search (`--checkpoint`/`--recover` under `--distributed`): at
/// the same level boundary every rank writes its part, `DIR/icmc.checkpoint.rank-R`, framed and
/// checksummed as a single-process checkpoint (`Checkpoint.Writer`/`Reader`): a JSON header
/// (the search's key with the number of ranks, the level's global layout, the counters, the
/// paths of the states that decided checks), the fingerprints the rank owns, and the paths of
/// its block of the frontier. A state travels as its path here too, as between ranks: recovery
/// re-executes each path (`PathReplayer`), so no byte codec for states is needed and the IC
/// model can be saved. Each rank writes a temporary file and syncs it; only once every rank has
/// done so (a reduction) do they rename theirs, so a crash before the renames leaves the previous
/// checkpoint, and a crash between them leaves files of two levels, which recovery refuses.
/// Recovery needs the same number of ranks.
extension DistributedBreadthFirstSearch {
    /// One rank's checkpoint header.
    @usableFromInline
    struct CheckpointHeader: Codable {
        @usableFromInline var key: [String: String]
        @usableFromInline var rank: Int
        @usableFromInline var base: Int
        @usableFromInline var count: Int
        @usableFromInline var starts: [Int]
        @usableFromInline var depth: Int
        @usableFromInline var transitions: Int
        @usableFromInline var terminal: Int
        @usableFromInline var distinct: Int
        @usableFromInline var stateLimitHit: Bool
        @usableFromInline var seconds: Double
        @usableFromInline var fingerprints: Int
        @usableFromInline var pathLength: Int
        /// Per decided check: its index, then the path of its deciding state.
        @usableFromInline var traced: [[Int]]
    }

    /// What a recovery hands back to the search loop.
    @usableFromInline
    struct RestoredSearch {
        @usableFromInline var level: Level
        @usableFromInline var header: CheckpointHeader
        @usableFromInline var traced: [(check: Int, path: [UInt32])]
    }

    @usableFromInline
    static func checkpointPath(_ directory: String, rank: Int) -> String { "\(directory)/\(Checkpoint.fileName).rank-\(rank)" }

    /// The search's key: a single-process key plus the number of ranks and the frontier's form.
    @usableFromInline
    func checkpointKey() -> [String: String] {
        var key = Checkpoint.key(system: system, options: options)
        key["ranks"] = String(ranks)
        key["frontier"] = "distributed paths"
        return key
    }

    /// Writes this rank's part of the checkpoint (collective: every rank calls it at the same
    /// level boundary).
    @usableFromInline
    func writeCheckpoint(
        to directory: String, level: Level, visited: ShardedFingerprintSet, counters: SearchCounters, distinct: Int,
        traced: [(check: Int, path: [UInt32])], seconds: Double
    ) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = Self.checkpointPath(directory, rank: rank)
        var written = false
        if let file = ByteFile(creating: path + ".tmp") {
            let header = CheckpointHeader(
                key: checkpointKey(), rank: rank, base: level.base, count: level.count, starts: level.starts, depth: counters.depth,
                transitions: counters.transitions, terminal: counters.terminal, distinct: distinct, stateLimitHit: counters.stateLimitHit,
                seconds: seconds, fingerprints: visited.count, pathLength: level.paths.length,
                traced: traced.map { [$0.check] + $0.path.map(Int.init) })
            let writer = Checkpoint.Writer(file)
            writer.append(word: Checkpoint.magic)
            let json = (try? JSONEncoder().encode(header)) ?? Data()
            writer.append(word: UInt64(json.count))
            writer.appendPadded(Array(json))
            visited.forEachBlock { writer.append($0) }
            let elements = level.paths.elements
            for lower in stride(from: 0, to: elements.count, by: 1 << 16) {
                // Blocks of an even number of elements: only the last can need padding.
                elements[lower..<min(elements.count, lower + (1 << 16))].withUnsafeBytes { writer.appendPadded(Array($0)) }
            }
            file.append(value: writer.checksum.value)
            file.synchronize()
            written = true
        }
        guard communicator.reduce([written ? 1 : 0], .minimum)[0] == 1 else {
            try? FileManager.default.removeItem(atPath: path + ".tmp")
            if rank == 0 { counters.progressWarning("checkpoint: a rank could not write its part in \(directory); going on without one") }
            return
        }
        if rename(path + ".tmp", path) != 0 { counters.progressWarning("checkpoint: cannot rename \(path).tmp to \(path)") }
        let descriptor = open(directory, O_RDONLY)
        if descriptor >= 0 {
            _ = fsync(descriptor)
            close(descriptor)
        }
    }

    /// This rank's checkpoint file, opened and checked against this search, or why not.
    func openCheckpoint(in directory: String) throws(Checkpoint.Problem) -> Checkpoint.Reader<CheckpointHeader> {
        let reader = try Checkpoint.Reader<CheckpointHeader>(path: Self.checkpointPath(directory, rank: rank))
        let expected = checkpointKey()
        for name in expected.keys.sorted() where reader.header.key[name] != expected[name] {
            throw Checkpoint.Problem(
                "the checkpoint in \(directory) was written for another search: \(name) is \(reader.header.key[name] ?? "missing") there, "
                    + "\(expected[name]!) here")
        }
        let header = reader.header
        guard header.rank == rank, header.starts.count == ranks + 1, header.pathLength >= 1, header.traced.allSatisfy({ !$0.isEmpty }),
            header.starts.last == header.count
        else { throw Checkpoint.Problem("the checkpoint \(Self.checkpointPath(directory, rank: rank)) is corrupt (its layout)") }
        return reader
    }

    /// Why the checkpoint in `directory` cannot resume this search, agreed by all ranks
    /// (collective), or `nil`.
    @usableFromInline
    func checkpointProblem(in directory: String) -> String? {
        var local: String?
        var level: Int64 = -1
        do {
            let header = try openCheckpoint(in: directory).header
            level = Int64(header.base)
        } catch {
            local = error.description
        }
        if let problem = agreedProblem(local) { return problem }
        if Set(communicator.allGather(level)).count > 1 {
            return "the checkpoint files in \(directory) are from different levels (a crash while they were renamed); it cannot be recovered"
        }
        return nil
    }

    /// The first failing rank's problem on every rank (collective), or `nil` if none failed.
    @usableFromInline
    func agreedProblem(_ local: String?) -> String? {
        let failing = communicator.allGather(local == nil ? Int64.max : Int64(rank)).min() ?? .max
        guard failing != .max else { return nil }
        let source = Int(failing)
        let bytes = Array((local ?? "").utf8)
        let length = Int(communicator.broadcast([Int64(bytes.count)], from: source)[0])
        let message = communicator.broadcast(
            source == rank ? bytes.map(Int64.init) : Array(repeating: 0, count: length), from: source)
        let line = String(decoding: message.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
        return source > 0 ? "rank \(source): \(line)" : line
    }

    /// Loads this rank's part: its fingerprints into `visited`, its block of the frontier
    /// (re-executed from the paths). `nil` if a path does not re-execute.
    @usableFromInline
    func restoreCheckpoint(
        from directory: String, visited: ShardedFingerprintSet, store: System.Frontier, initialStates: [System.State]
    ) -> RestoredSearch? {
        guard let reader = try? openCheckpoint(in: directory) else { return nil }
        let header = reader.header
        var offset = reader.dataOffset
        var block = [UInt64](repeating: 0, count: 1 << 15)
        var remaining = header.fingerprints
        while remaining > 0 {
            let count = min(block.count, remaining)
            block.withUnsafeMutableBytes { _ = reader.file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<count * 8]), at: offset) }
            for fingerprint in block[0..<count] { _ = visited.insert(fingerprint) }
            offset += count * 8
            remaining -= count
        }
        var level = Level(pathLength: header.pathLength)
        level.base = header.base
        level.count = header.count
        level.starts = header.starts
        level.start = header.starts[rank]
        let elements = (header.starts[rank + 1] - header.starts[rank]) * header.pathLength
        guard elements >= 0 else { return nil }
        level.paths.elements = [UInt32](repeating: 0, count: elements)
        level.paths.elements.withUnsafeMutableBytes { _ = reader.file.read(into: $0, at: offset) }
        var replayer = PathReplayer(system: system, initialStates: initialStates)
        for index in 0..<level.paths.count {
            guard let state = replayer.state(at: Array(level.paths.path(index))) else { return nil }
            level.frontier.append(store.entry(for: state))
        }
        store.compact(&level.frontier)
        let traced = header.traced.map { (check: $0[0], path: $0.dropFirst().map { UInt32(truncatingIfNeeded: $0) }) }
        return RestoredSearch(level: level, header: header, traced: traced)
    }
}

extension ShardedFingerprintSet {
    /// Every fingerprint held, in blocks of bytes (for a checkpoint; no concurrent inserts).
    @usableFromInline
    func forEachBlock(_ body: (UnsafeRawBufferPointer) -> Void) {
        var block: [UInt64] = []
        block.reserveCapacity(1 << 15)
        func emit(_ fingerprint: UInt64) {
            block.append(fingerprint)
            if block.count == 1 << 15 {
                block.withUnsafeBytes(body)
                block.removeAll(keepingCapacity: true)
            }
        }
        for index in 0..<shardCount {
            let table = shards[index]
            if table.containsZero { emit(0) }
            for slot in 0..<table.capacity where table.slots[slot] != 0 { emit(table.slots[slot]) }
        }
        if !block.isEmpty { block.withUnsafeBytes(body) }
    }
}
