import Foundation

/// A saved breadth-first search, at a level boundary: the visited set (sorted fingerprints),
/// the parent log, the frontier (entries as bytes), the counters and the states that decided
/// checks so far. One file, `DIR/icmc.checkpoint`, written to a temporary file, synced and
/// renamed, so a crash leaves the previous checkpoint intact. It ends with a checksum of
/// everything before it, and its header names the model and the options that change the
/// search (`key`), so a recovery refuses a corrupt file or one written for another search.
///
/// A model whose frontier entries are the states themselves, as plain bytes (IC-Ring,
/// TwoPhase), has its frontier saved as bytes. The IC model's entries are indices into
/// in-memory tables and its states have no byte codec: its checkpoint keeps, instead, each
/// state's index among its parent's successors (`SuccessorLog`), and recovery rebuilds the
/// frontier by re-executing the paths from the initial states (`replaysFrontier`), at the cost
/// of expanding the frontier's ancestors once more.
@usableFromInline
enum Checkpoint {
    @usableFromInline static let fileName = "icmc.checkpoint"
    static let magic: UInt64 = 0x3150_4B43_434D_4349  // "ICMCCKP1"

    /// Why a checkpoint cannot be used, as one line.
    @usableFromInline
    struct Problem: Error, CustomStringConvertible {
        @usableFromInline let description: String
        init(_ description: String) { self.description = description }
    }

    /// The header: what identifies the search, and the counters at the boundary.
    struct Header: Codable {
        var key: [String: String]
        var frontierBase: Int
        var depth: Int
        var transitions: Int
        var terminal: Int
        var seconds: Double
        var distinct: Int
        var fingerprints: Int
        var frontier: Int
        /// Per decided check: its index and the id of its last state (entries follow in order).
        var traced: [[Int]]
        /// Whether the state limit was hit while this level was made (the search stops there).
        var stateLimitHit: Bool?
    }

    /// What identifies a search: the model (name, initial states and their successors), its
    /// checks and the options that change what is explored.
    @usableFromInline
    static func key<System: TransitionSystem>(_ search: DiskBreadthFirstSearch<System>) -> [String: String] {
        key(system: search.system, options: search.options)
    }

    /// `key` of a search of `system` with `options`.
    @usableFromInline
    static func key<System: TransitionSystem>(system: System, options: CheckerOptions) -> [String: String] {
        var hasher = FingerprintHasher()
        for state in system.initialStates {
            hasher.combine(state.fingerprint)
            system.forEachSuccessor(of: state) { _, successor in hasher.combine(successor.fingerprint) }
        }
        return [
            "model": system.name,
            "states": String(hasher.finalize(), radix: 16),
            "properties": system.properties.map(\.name).joined(separator: ","),
            "deadlocks": String(system.reportsDeadlocks),
            "entryBytes": String(MemoryLayout<System.Frontier.Entry>.stride),
            "frontier": replaysFrontier(System.self) ? "paths" : "bytes",
            "stopOnViolation": String(options.stopOnViolation),
            "maxDepth": options.maxDepth.map(String.init) ?? "none",
            "maxStates": options.maxStates.map(String.init) ?? "none",
        ]
    }

    /// Why `System` cannot be checkpointed, or `nil`.
    @usableFromInline
    static func support<System: TransitionSystem>(_: System.Type) -> String? {
        guard _isPOD(System.Frontier.Entry.self) else {
            return "this model's frontier entries are not plain bytes, so it cannot be checkpointed"
        }
        return nil
    }

    /// Whether a checkpoint of `System` rebuilds its frontier by re-executing paths rather
    /// than saving it as bytes: when the entries are not the states themselves as plain bytes.
    @inlinable
    static func replaysFrontier<System: TransitionSystem>(_: System.Type) -> Bool {
        !(System.Frontier.self == PlainFrontierStorage<System.State>.self && _isPOD(System.State.self))
    }

    /// A running checksum over 8-byte words (every section is a multiple of 8 bytes).
    struct Checksum {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            precondition(bytes.count % 8 == 0)
            for offset in stride(from: 0, to: bytes.count, by: 8) {
                value = (value ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                value = value << 29 | value >> 35
            }
        }
    }

    /// A writer that checksums what it appends.
    final class Writer {
        let file: ByteFile
        var checksum = Checksum()
        init(_ file: ByteFile) { self.file = file }
        func append(_ bytes: UnsafeRawBufferPointer) {
            checksum.add(bytes)
            file.append(bytes)
        }
        func append(word: UInt64) { withUnsafeBytes(of: word) { append($0) } }
        /// `bytes` padded with zeros to a multiple of 8.
        func appendPadded(_ bytes: [UInt8]) {
            let padded = bytes + [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8)
            padded.withUnsafeBytes { append($0) }
        }
    }

    /// Writes the checkpoint of `level` (at a level boundary, no pending candidates) to `directory`.
    @usableFromInline
    static func write<System: TransitionSystem>(
        to directory: String, level: inout DiskSearchLevel<System>, search: DiskBreadthFirstSearch<System>,
        frontierBase: Int, traced: [(Int, Int, System.Frontier.Entry)], seconds: Double
    ) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(fileName)"
        guard let file = ByteFile(creating: path + ".tmp") else {
            level.counters.progressWarning("checkpoint: cannot write \(path).tmp; going on without a checkpoint")
            return
        }
        level.visited.flush()
        let counters = level.counters
        let header = Header(
            key: key(search), frontierBase: frontierBase, depth: counters.depth, transitions: counters.transitions,
            terminal: counters.terminal, seconds: seconds, distinct: counters.log.count, fingerprints: level.visited.diskCount,
            frontier: level.current.count, traced: traced.map { [$0.0, $0.1] }, stateLimitHit: counters.stateLimitHit)
        let writer = Writer(file)
        writer.append(word: magic)
        let json = (try? JSONEncoder().encode(header)) ?? Data()
        writer.append(word: UInt64(json.count))
        writer.appendPadded(Array(json))
        level.visited.forEachBlock { writer.append($0) }
        counters.log.forEachBlock { writer.append($0) }
        if let successors = level.successorLog {
            // The frontier and the decided checks' states are rebuilt from the paths.
            successors.forEachBlock { writer.appendPadded(Array($0)) }
            finish(writer, file: file, path: path, directory: directory, level: &level)
            return
        }
        let entryBytes = DiskSearchLevel<System>.entryBytes
        level.current.file.flush()
        var offset = 0
        let total = level.current.count * MemoryLayout<System.Frontier.Entry>.stride
        var block = [UInt8](repeating: 0, count: 1 << 18)
        while offset < total {
            let bytes = min(block.count, total - offset)
            block.withUnsafeMutableBytes { buffer in
                _ = level.current.file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes]), at: offset)
            }
            writer.appendPadded(Array(block[0..<bytes]))  // only the last block can need padding
            offset += bytes
        }
        for (_, _, entry) in traced {
            var bytes = withUnsafeBytes(of: entry) { Array($0) }
            bytes += [UInt8](repeating: 0, count: entryBytes - bytes.count)
            writer.appendPadded(bytes)
        }
        finish(writer, file: file, path: path, directory: directory, level: &level)
    }

    /// Appends the checksum, syncs, and renames the temporary file over the checkpoint.
    static func finish<System: TransitionSystem>(
        _ writer: Writer, file: ByteFile, path: String, directory: String, level: inout DiskSearchLevel<System>
    ) {
        file.append(value: writer.checksum.value)
        file.synchronize()
        guard rename(path + ".tmp", path) == 0 else {
            level.counters.progressWarning("checkpoint: cannot rename \(path).tmp to \(path)")
            return
        }
        let directoryDescriptor = open(directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}

extension SearchCounters {
    /// A line on standard error (checkpoint trouble must not stop the search).
    @usableFromInline
    func progressWarning(_ line: String) {
        FileHandle.standardError.write(Data("warning: \(line)\n".utf8))
    }
}

extension ParentLog {
    /// Every entry, in id order, in blocks of bytes.
    @usableFromInline
    func forEachBlock(_ body: (UnsafeRawBufferPointer) -> Void) {
        if let file = spillFile, spilled > 0 {
            var block = [UInt64](repeating: 0, count: 1 << 15)
            var done = 0
            while done < spilled {
                let entries = min(block.count, spilled - done)
                block.withUnsafeMutableBytes { buffer in
                    let n = pread(file.descriptor, buffer.baseAddress!, entries * 8, off_t(done * 8))
                    precondition(n == entries * 8, "parent log: cannot read its spill file back")
                    body(UnsafeRawBufferPointer(rebasing: buffer[0..<entries * 8]))
                }
                done += entries
            }
        }
        for segment in segments { segment.withUnsafeBytes(body) }
        current.withUnsafeBytes(body)
    }
}
