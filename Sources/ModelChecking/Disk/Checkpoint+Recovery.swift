import Foundation

extension Checkpoint {
    /// An opened, verified checkpoint file: header parsed, checksum matched.
    struct Reader<Contents: Decodable> {
        let file: ByteFile
        let header: Contents
        /// Where the first section after the header starts.
        let dataOffset: Int

        /// Opens the checkpoint file at `path` and checks its framing and checksum.
        init(path: String) throws(Problem) {
            let directory = (path as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: path) else { throw Problem("no checkpoint in \(directory) (expected \(path))") }
            guard let file = ByteFile(reading: path) else { throw Problem("cannot open the checkpoint \(path)") }
            let corrupt = Problem("the checkpoint \(path) is corrupt (truncated or altered); it cannot be recovered")
            let size = file.size
            guard size >= 24, size % 8 == 0 else { throw corrupt }
            var words = [UInt64](repeating: 0, count: 2)
            words.withUnsafeMutableBytes { _ = file.read(into: $0, at: 0) }
            guard words[0] == magic, words[1] < UInt64(size) else { throw corrupt }
            let jsonBytes = Int(words[1])
            var json = [UInt8](repeating: 0, count: jsonBytes)
            json.withUnsafeMutableBytes { _ = file.read(into: $0, at: 16) }
            // Checksum everything before the last word.
            var checksum = Checksum()
            var block = [UInt8](repeating: 0, count: 1 << 18)
            var offset = 0
            while offset < size - 8 {
                let bytes = min(block.count, size - 8 - offset)
                block.withUnsafeMutableBytes { buffer in
                    let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes])
                    _ = file.read(into: slice, at: offset)
                    checksum.add(UnsafeRawBufferPointer(slice))
                }
                offset += bytes
            }
            var stored: UInt64 = 0
            withUnsafeMutableBytes(of: &stored) { _ = file.read(into: $0, at: size - 8) }
            guard stored == checksum.value, let header = try? JSONDecoder().decode(Contents.self, from: Data(json)) else { throw corrupt }
            self.file = file
            self.header = header
            dataOffset = 16 + (jsonBytes + 7) & ~7
        }
    }

    /// Why the checkpoint in `directory` cannot resume `search`, as one line, or `nil`.
    @usableFromInline
    static func problem<System: TransitionSystem>(in directory: String, for search: DiskBreadthFirstSearch<System>) -> String? {
        if let unsupported = support(System.self) { return unsupported }
        do {
            let reader = try Reader<Header>(path: "\(directory)/\(fileName)")
            let expected = key(search)
            for name in expected.keys.sorted() where reader.header.key[name] != expected[name] {
                return "the checkpoint in \(directory) was written for another search: \(name) is \(reader.header.key[name] ?? "missing") "
                    + "there, \(expected[name]!) here"
            }
            return nil
        } catch {
            return error.description
        }
    }

    /// What a recovery hands back to the search loop.
    @usableFromInline
    struct Restored<Entry> {
        @usableFromInline let frontierBase: Int
        @usableFromInline let seconds: Double
        @usableFromInline let traced: [(check: Int, id: Int, entry: Entry)]
    }

    /// Loads the checkpoint in `directory` into `level` (fresh): visited set, parent log,
    /// frontier (as the current level) and counters.
    @usableFromInline
    static func restore<System: TransitionSystem>(
        from directory: String, into level: inout DiskSearchLevel<System>, search: DiskBreadthFirstSearch<System>
    ) throws(Problem) -> Restored<System.Frontier.Entry> {
        if let problem = problem(in: directory, for: search) { throw Problem(problem) }
        let reader = try Reader<Header>(path: "\(directory)/\(fileName)")
        let header = reader.header
        var offset = reader.dataOffset
        var block = [UInt8](repeating: 0, count: 1 << 18)
        /// Streams `bytes` bytes from `offset` through `body` in blocks.
        func stream(_ bytes: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
            var done = 0
            while done < bytes {
                let count = min(block.count, bytes - done)
                block.withUnsafeMutableBytes { buffer in
                    let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
                    _ = reader.file.read(into: slice, at: offset + done)
                    body(UnsafeRawBufferPointer(slice))
                }
                done += count
            }
            offset += (bytes + 7) & ~7
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 8)
        defer { buffer.deallocate() }
        var fingerprintBytes = 0
        level.visited.restore(sortedCount: header.fingerprints) {
            let count = min(buffer.count, header.fingerprints * 8 - fingerprintBytes)
            guard count > 0 else { return nil }
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
            _ = reader.file.read(into: slice, at: offset + fingerprintBytes)
            fingerprintBytes += count
            return UnsafeRawBufferPointer(slice)
        }
        offset += header.fingerprints * 8
        stream(header.distinct * 8) { bytes in
            for position in 0..<bytes.count / 8 {
                let entry = bytes.loadUnaligned(fromByteOffset: position * 8, as: UInt64.self)
                level.counters.log.append(parent: UInt32(truncatingIfNeeded: entry >> 32), fingerprint: entry)
            }
        }
        level.current.removeAll()
        if replaysFrontier(System.self) {
            guard let successors = level.successorLog, header.frontierBase + header.frontier == header.distinct else {
                throw Problem("the checkpoint in \(directory) is corrupt (its frontier is not the last level)")
            }
            stream(header.distinct * 4) { successors.file.append($0) }
            successors.count = header.distinct
            successors.file.flush()
            let traced = try replay(header, into: &level, successors: successors, search: search, directory: directory)
            return Restored(frontierBase: header.frontierBase, seconds: header.seconds, traced: traced)
        }
        let stride = MemoryLayout<System.Frontier.Entry>.stride
        stream(header.frontier * stride) { level.current.file.append($0) }
        level.current.count = header.frontier
        var traced: [(check: Int, id: Int, entry: System.Frontier.Entry)] = []
        for pair in header.traced {
            guard pair.count == 2 else { throw Problem("the checkpoint in \(directory) is corrupt (a decided check)") }
            var entry: System.Frontier.Entry?
            stream(DiskSearchLevel<System>.entryBytes) { bytes in entry = bytes.loadUnaligned(as: System.Frontier.Entry.self) }
            traced.append((pair[0], pair[1], entry!))
        }
        restoreCounters(header, into: &level)
        return Restored(frontierBase: header.frontierBase, seconds: header.seconds, traced: traced)
    }
}

extension Checkpoint {
    static func restoreCounters<System: TransitionSystem>(_ header: Header, into level: inout DiskSearchLevel<System>) {
        level.counters.transitions = header.transitions
        level.counters.terminal = header.terminal
        level.counters.depth = header.depth
        level.counters.stateLimitHit = header.stateLimitHit ?? false
    }

    /// Rebuilds the frontier (ids `frontierBase..<distinct`) and the decided checks' states by
    /// re-executing their paths; hands back the decided checks.
    static func replay<System: TransitionSystem>(
        _ header: Header, into level: inout DiskSearchLevel<System>, successors: SuccessorLog,
        search: DiskBreadthFirstSearch<System>, directory: String
    ) throws(Problem) -> [(check: Int, id: Int, entry: System.Frontier.Entry)] {
        let diverged = Problem(
            "the checkpoint in \(directory) does not re-execute on this model (a corrupt file, or a model that is not deterministic)")
        var replayer = LogReplayer(system: search.system)
        let log = level.counters.log
        for id in header.frontierBase..<header.distinct {
            guard let state = replayer.state(of: id, log: log, successorLog: successors) else { throw diverged }
            level.current.append(level.store.entry(for: state))
        }
        var traced: [(check: Int, id: Int, entry: System.Frontier.Entry)] = []
        for pair in header.traced {
            guard pair.count == 2, pair[0] >= 0, pair[0] < search.checks.checks.count else {
                throw Problem("the checkpoint in \(directory) is corrupt (a decided check)")
            }
            var single = LogReplayer(system: search.system)
            guard let state = single.state(of: pair[1], log: log, successorLog: successors) else { throw diverged }
            traced.append((pair[0], pair[1], level.store.entry(for: state)))
        }
        restoreCounters(header, into: &level)
        return traced
    }
}
