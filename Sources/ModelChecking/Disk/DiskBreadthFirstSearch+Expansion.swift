import Foundation

extension DiskBreadthFirstSearch {
    /// Frontier states read back per batch.
    @inlinable static var batchStates: Int { max(BreadthFirstSearch<System>.chunkSize, min(8192, System.Frontier.parallelBatchStates)) }

    /// What expanding one level hands back.
    @usableFromInline
    struct Expansion {
        @usableFromInline var firstDeadlock: Int?
        @usableFromInline var stop: CheckOutcome?
        @inlinable init() {}
    }

    /// Phases 2-4 of one level: batches of the current frontier are expanded (chunks on
    /// `workers` threads) and their successors offered to `level` in frontier order.
    @inlinable
    func expand(_ level: inout DiskSearchLevel<System>, base frontierBase: Int, workers: Int) -> Expansion {
        var expansion = Expansion()
        let batchStates = Self.batchStates
        var chunks: [SuccessorChunk<System, System.State>] = []
        let store = level.store
        var batch: [System.Frontier.Entry] = []
        let frontierCount = level.current.count
        var position = 0
        while position < frontierCount {
            let upper = min(frontierCount, position + batchStates)
            level.current.read(position..<upper, into: &batch)
            // Positions in the level; parents get the level's base below.
            let expanded = search.expandChunks(
                batch, range: batch.indices, offset: position, store: store, workers: workers, into: &chunks)
            if expanded.cancelled {
                expansion.stop = .interrupted
                return expansion
            }
            if let stop = level.counters.limits.reached(after: batch.count) {
                expansion.stop = stop
                return expansion
            }
            for chunk in chunks.prefix(expanded.chunks) {
                level.counters.transitions &+= chunk.transitions
                level.counters.terminal &+= chunk.terminal
                if expansion.firstDeadlock == nil { expansion.firstDeadlock = chunk.firstDeadlock }
                chunk.drain { state, fingerprint, parent, successor in
                    level.offer(
                        state, fingerprint: fingerprint, parent: UInt32(truncatingIfNeeded: frontierBase) &+ parent,
                        successor: successor)
                }
            }
            position = upper
            level.counters.report(queue: frontierCount - position + level.next.count)
        }
        level.resolve()
        return expansion
    }

    /// Phase 1 over the level file, batch by batch: for each open check, the first frontier
    /// index whose state decides it; `nil` if cancelled.
    @inlinable
    func firstDecidingStates(level: DiskSearchLevel<System>, open: [Int], workers: Int) -> [(check: Int, index: Int)]? {
        guard !open.isEmpty else { return [] }
        var found: [(check: Int, index: Int)] = []
        var stillOpen = open
        var batch: [System.Frontier.Entry] = []
        var position = 0
        while position < level.current.count && !stillOpen.isEmpty {
            let upper = min(level.current.count, position + Self.batchStates)
            level.current.read(position..<upper, into: &batch)
            guard let hits = search.firstDecidingStates(in: batch, store: level.store, open: stillOpen, workers: workers) else {
                return nil
            }
            for hit in hits { found.append((hit.check, position + hit.index)) }
            let decided = Set(hits.map(\.check))
            stillOpen.removeAll { decided.contains($0) }
            position = upper
        }
        return found.sorted { open.firstIndex(of: $0.check)! < open.firstIndex(of: $1.check)! }
    }

    /// Whether some state of the frontier file is within the model's boundary.
    @inlinable
    func anyWithinBoundary(_ frontier: EntryFile<System.Frontier.Entry>, store: System.Frontier) -> Bool {
        var batch: [System.Frontier.Entry] = []
        var position = 0
        while position < frontier.count {
            let upper = min(frontier.count, position + Self.batchStates)
            frontier.read(position..<upper, into: &batch)
            position = upper
            if batch.contains(where: { system.isWithinBoundary(store.state(of: $0)) }) { return true }
        }
        return false
    }

    /// The trace to state `id`, rebuilt from the parent log (or, if the model is not
    /// deterministic, the state alone, as the in-memory search does).
    @inlinable
    func trace(to id: Int, state: System.State, log: ParentLog, warnings: inout [String]) -> Trace<System> {
        log.trace(to: UInt32(truncatingIfNeeded: id), finalState: state, system: system, warnings: &warnings)
            ?? Trace(system: system, initialState: state, steps: [])
    }

    /// The result, as the in-memory search states it.
    @inlinable
    func finish(
        outcome: CheckOutcome, level: DiskSearchLevel<System>, traces: [Trace<System>?], warnings: [String],
        start: ContinuousClock.Instant, override: Int?, elapsedBefore: Double = 0
    ) -> CheckResult<System> {
        let counters = level.counters
        let statistics = CheckStatistics(
            distinctStates: override ?? counters.log.count, transitions: counters.transitions,
            terminalStates: counters.terminal, maxDepth: counters.depth,
            seconds: elapsedBefore + (ContinuousClock.now - start).seconds, peakMemoryBytes: peakMemoryBytes(),
            workers: max(1, options.workers), parallelBatches: 0, sequentialBatches: 0)
        return CheckResult(
            modelName: system.name, outcome: outcome, statistics: statistics,
            verdicts: checks.verdicts(system: system, traces: traces, outcome: outcome), warnings: warnings)
    }
}
