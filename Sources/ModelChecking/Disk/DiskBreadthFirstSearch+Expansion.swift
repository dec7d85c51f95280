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

    /// One chunk's successors, in generation order. Written by one worker, read after the barrier.
    @usableFromInline
    final class ChunkSuccessors: @unchecked Sendable {
        @usableFromInline var states: [System.State] = []
        @usableFromInline var fingerprints: [UInt64] = []
        @usableFromInline var parents: [UInt32] = []
        /// Each successor's index among its parent's successors.
        @usableFromInline var indices: [UInt32] = []
        @usableFromInline var transitions = 0
        @usableFromInline var terminal = 0
        @usableFromInline var firstDeadlock: Int?
        @inlinable init() {}
    }

    /// Phases 2-4 of one level: batches of the current frontier are expanded (chunks on
    /// `workers` threads) and their successors offered to `level` in frontier order.
    @inlinable
    func expand(_ level: inout DiskSearchLevel<System>, base frontierBase: Int, workers: Int) -> Expansion {
        var expansion = Expansion()
        let chunkSize = BreadthFirstSearch<System>.chunkSize
        let batchStates = Self.batchStates
        let chunks = (0..<(batchStates + chunkSize - 1) / chunkSize).map { _ in ChunkSuccessors() }
        let store = level.store
        let system = self.system
        var batch: [System.Frontier.Entry] = []
        let frontierCount = level.current.count
        var position = 0
        while position < frontierCount {
            let upper = min(frontierCount, position + batchStates)
            level.current.read(position..<upper, into: &batch)
            let chunkCount = (batch.count + chunkSize - 1) / chunkSize
            let batchStart = position
            let entries = UncheckedSendable(batch)
            let cancelled = search.forEachChunk(chunkCount, workers: workers) { chunk in
                let out = chunks[chunk]
                // Filled as locals (class properties would cost an exclusivity check each).
                var states: [System.State] = []
                var fingerprints: [UInt64] = []
                var parents: [UInt32] = []
                var indices: [UInt32] = []
                swap(&states, &out.states)
                swap(&fingerprints, &out.fingerprints)
                swap(&parents, &out.parents)
                swap(&indices, &out.indices)
                states.removeAll(keepingCapacity: true)
                fingerprints.removeAll(keepingCapacity: true)
                parents.removeAll(keepingCapacity: true)
                indices.removeAll(keepingCapacity: true)
                var transitions = 0
                var terminal = 0
                var firstDeadlock: Int?
                for index in chunk * chunkSize..<min(entries.value.count, (chunk + 1) * chunkSize) {
                    let state = store.state(of: entries.value[index])
                    guard system.isWithinBoundary(state) else { continue }
                    let parent = UInt32(truncatingIfNeeded: frontierBase + batchStart + index)
                    var successors = 0
                    system.forEachSuccessor(of: state) { _, successor in
                        states.append(successor)
                        fingerprints.append(successor.fingerprint)
                        parents.append(parent)
                        indices.append(UInt32(truncatingIfNeeded: successors))
                        successors &+= 1
                    }
                    transitions &+= successors
                    if successors == 0 {
                        terminal &+= 1
                        if firstDeadlock == nil { firstDeadlock = batchStart + index }
                    }
                }
                swap(&states, &out.states)
                swap(&fingerprints, &out.fingerprints)
                swap(&parents, &out.parents)
                swap(&indices, &out.indices)
                out.transitions = transitions
                out.terminal = terminal
                out.firstDeadlock = firstDeadlock
            }
            if cancelled {
                expansion.stop = .interrupted
                return expansion
            }
            if let stop = level.counters.limits.reached(after: batch.count) {
                expansion.stop = stop
                return expansion
            }
            for chunk in 0..<chunkCount {
                let out = chunks[chunk]
                level.counters.transitions &+= out.transitions
                level.counters.terminal &+= out.terminal
                if expansion.firstDeadlock == nil { expansion.firstDeadlock = out.firstDeadlock }
                var states: [System.State] = []
                var fingerprints: [UInt64] = []
                var parents: [UInt32] = []
                var indices: [UInt32] = []
                swap(&states, &out.states)
                swap(&fingerprints, &out.fingerprints)
                swap(&parents, &out.parents)
                swap(&indices, &out.indices)
                for candidate in states.indices {
                    level.offer(
                        states[candidate], fingerprint: fingerprints[candidate], parent: parents[candidate], successor: indices[candidate])
                }
                states.removeAll(keepingCapacity: true)
                swap(&states, &out.states)
                swap(&fingerprints, &out.fingerprints)
                swap(&parents, &out.parents)
                swap(&indices, &out.indices)
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
