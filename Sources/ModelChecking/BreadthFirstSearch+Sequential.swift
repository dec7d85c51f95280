extension BreadthFirstSearch {
    /// Phases 2-4 on one thread, fused: each successor is inserted at once; the order of
    /// acceptance is the parallel search's. A state's successors are collected first and their
    /// table slots touched in a tight loop, so the cache misses of the probes overlap.
    @inlinable
    func expandSequentially(
        _ frontier: [System.Frontier.Entry], base frontierBase: Int, store: System.Frontier,
        visited: ShardedFingerprintSet, counters: inout SearchCounters
    ) -> LevelExpansion {
        var level = LevelExpansion()
        expandSequentially(
            frontier, range: frontier.indices, base: frontierBase, store: store, visited: visited, level: &level,
            counters: &counters)
        return level
    }

    /// The fused expansion of `frontier[range]`, appending to `level`: also what a parallel
    /// search runs for a batch that one worker expands faster (see `WorkerGovernor`).
    @inlinable
    func expandSequentially(
        _ frontier: [System.Frontier.Entry], range: Range<Int>, base frontierBase: Int, store: System.Frontier,
        visited: ShardedFingerprintSet, level: inout LevelExpansion, counters: inout SearchCounters
    ) {
        var batchStates = ScratchBuffer<System.State>()
        var batchFingerprints = ScratchBuffer<UInt64>()
        defer {
            batchStates.deallocate()
            batchFingerprints.deallocate()
        }
        for index in range {
            if index & 1023 == 1023 {
                if let stop = counters.limits.reached(after: 1024) {
                    level.stop = stop
                    return
                }
                counters.report(queue: frontier.count - index + level.next.count)
            }
            let state = store.state(of: frontier[index])
            guard system.isWithinBoundary(state) else { continue }
            let parent = UInt32(truncatingIfNeeded: frontierBase + index)
            batchStates.removeAll()
            batchFingerprints.removeAll()
            system.forEachSuccessor(of: state) { _, successor in
                batchStates.append(successor)
                batchFingerprints.append(successor.fingerprint)
            }
            let successors = batchStates.count
            visited.touch(batchFingerprints.buffer)
            for position in 0..<successors {
                let fingerprint = batchFingerprints[position]
                guard visited.insert(fingerprint) else { continue }
                if counters.log.count < counters.stateLimit {
                    level.next.append(store.entry(for: batchStates[position]))
                    counters.log.append(parent: parent, fingerprint: fingerprint)
                } else {
                    counters.stateLimitHit = true
                }
            }
            counters.transitions &+= successors
            if successors == 0 {
                counters.terminal &+= 1
                if level.firstDeadlock == nil { level.firstDeadlock = index }
            }
        }
    }
}
