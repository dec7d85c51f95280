import Foundation

extension Checker {
    /// Why this search cannot run with `options.storage`, as one line for the user, or `nil`:
    /// a model whose frontier entries are not plain bytes (`--disk`), one that cannot be
    /// checkpointed, a directory that cannot be written, a missing, corrupt or mismatched
    /// checkpoint (`--recover`). Call it before `run()`, which assumes the answer is `nil`.
    public func storageProblem() -> String? {
        let storage = options.storage
        guard storage.isActive else { return nil }
        if let communicator = options.communicator { return distributedStorageProblem(communicator) }
        guard case .breadthFirst = options.strategy else { return "--disk, --checkpoint and --recover need breadth-first search" }
        guard _isPOD(System.Frontier.Entry.self) else {
            return "--disk: this model's frontier entries are not plain bytes, so its queue cannot go to disk"
        }
        for directory in [storage.disk?.directory, storage.checkpoint?.directory].compactMap({ $0 }) {
            if let problem = Self.writableProblem(directory) { return problem }
        }
        if storage.checkpoint != nil, let unsupported = Checkpoint.support(System.self) { return "--checkpoint: \(unsupported)" }
        if let recover = storage.recoverDirectory {
            let search = DiskBreadthFirstSearch(BreadthFirstSearch(system: system, options: options, checks: SafetyChecks(system: system)))
            if let problem = Checkpoint.problem(in: recover, for: search) { return "--recover: \(problem)" }
        }
        return nil
    }

    /// `storageProblem()` of a distributed search, agreed by every rank (collective: every rank
    /// must call it). Checkpoints are written per rank; `--disk` is not supported there yet.
    func distributedStorageProblem(_ communicator: any Communicator) -> String? {
        let storage = options.storage
        let search = DistributedBreadthFirstSearch(system: system, options: options, checks: SafetyChecks(system: system), communicator: communicator)
        var local: String?
        if storage.disk != nil {
            local = "--disk does not combine with a distributed search yet (--checkpoint and --recover do)"
        } else if case .breadthFirst = options.strategy {
            local = storage.checkpoint.flatMap { Self.writableProblem($0.directory) }
        } else {
            local = "--checkpoint and --recover need breadth-first search"
        }
        if let problem = search.agreedProblem(local) { return problem }
        if let recover = storage.recoverDirectory, let problem = search.checkpointProblem(in: recover) { return "--recover: \(problem)" }
        return nil
    }

    /// Why `directory` cannot hold the search's files (created if missing), or `nil`.
    static func writableProblem(_ directory: String) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            return "cannot create the directory \(directory)"
        }
        let probe = "\(directory)/.icmc-probe-\(getpid())"
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else { return "cannot write in the directory \(directory)" }
        try? FileManager.default.removeItem(atPath: probe)
        return nil
    }
}
