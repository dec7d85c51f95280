extension BreadthFirstSearch {
    /// Phases 2-4 on one thread, fused: each successor is inserted at once; the order of
    /// acceptance is the parallel search's. A plain-data state's successors are collected first
    /// and their table slots touched in a tight loop, so the cache misses of the probes overlap.
    ///
    /// `open`: the state checks to run on each frontier state before it is expanded
    /// (`LevelExpansion.hits`); with `stopsWhenDecided`, the expansion stops once all are decided.
    @inlinable
    func expandSequentially(
        _ frontier: [System.Frontier.Entry], base frontierBase: Int, store: System.Frontier,
        visited: ShardedFingerprintSet, checking open: [Int] = [], stopsWhenDecided: Bool = false, counters: inout SearchCounters
    ) -> LevelExpansion {
        var level = LevelExpansion()
        expandSequentially(
            frontier, range: frontier.indices, base: frontierBase, store: store, visited: visited, level: &level,
            checking: open, stopsWhenDecided: stopsWhenDecided, counters: &counters)
        return level
    }

    /// The fused expansion of `frontier[range]`, appending to `level`: also what a parallel
    /// search runs for a batch that one worker expands faster (see `WorkerGovernor`).
    @inlinable
    func expandSequentially(
        _ frontier: [System.Frontier.Entry], range: Range<Int>, base frontierBase: Int, store: System.Frontier,
        visited: ShardedFingerprintSet, level: inout LevelExpansion, checking open: [Int] = [], stopsWhenDecided: Bool = false,
        counters: inout SearchCounters
    ) {
        var undecided = open
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
            if !undecided.isEmpty {
                undecided.removeAll { check in
                    guard checks.decides(check, state) else { return false }
                    level.hits.append((check, index))
                    return true
                }
                if undecided.isEmpty, stopsWhenDecided {
                    level.stoppedDecided = true
                    return
                }
            }
            guard system.isWithinBoundary(state) else { continue }
            let parent = UInt32(truncatingIfNeeded: frontierBase + index)
            var successors = 0
            if _isPOD(System.State.self) {
                batchStates.removeAll()
                batchFingerprints.removeAll()
                system.forEachSuccessor(of: state) { _, successor in
                    batchStates.append(successor)
                    batchFingerprints.append(successor.fingerprint)
                }
                successors = batchStates.count
                visited.touch(batchFingerprints.buffer)
                for position in 0..<successors {
                    let fingerprint = batchFingerprints[position]
                    guard visited.insert(fingerprint) else { continue }
                    accept(batchStates[position], fingerprint: fingerprint, parent: parent, store: store, level: &level, counters: &counters)
                }
            } else {
                // States with references (the IC model's): holding each successor for the
                // batched probe costs a reference count per component in and out, more than
                // the overlapped cache misses save, so each is inserted as it is made.
                system.forEachSuccessor(of: state) { _, successor in
                    successors &+= 1
                    let fingerprint = successor.fingerprint
                    guard visited.insert(fingerprint) else { return }
                    accept(successor, fingerprint: fingerprint, parent: parent, store: store, level: &level, counters: &counters)
                }
            }
            counters.transitions &+= successors
            if successors == 0 {
                counters.terminal &+= 1
                if level.firstDeadlock == nil { level.firstDeadlock = index }
            }
        }
    }

    /// A new state joins the next level (or is counted past the state limit).
    @inlinable @inline(__always)
    func accept(
        _ successor: System.State, fingerprint: UInt64, parent: UInt32, store: System.Frontier,
        level: inout LevelExpansion, counters: inout SearchCounters
    ) {
        if counters.log.count < counters.stateLimit {
            level.next.append(store.entry(for: successor))
            counters.log.append(parent: parent, fingerprint: fingerprint)
        } else {
            counters.stateLimitHit = true
        }
    }
}
