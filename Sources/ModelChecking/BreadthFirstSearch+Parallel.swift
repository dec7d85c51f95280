import Dispatch
import Synchronization

extension BreadthFirstSearch {
    /// Phases 2-4 on `workers` threads, in batches of chunks so that candidate buffers stay
    /// small. Merging batch after batch in chunk order accepts exactly what merging the whole
    /// level in chunk order would.
    ///
    /// `open`: the state checks to run on each frontier state as it is rebuilt for expansion
    /// (`LevelExpansion.hits`, in frontier order whatever the schedule); with
    /// `stopsWhenDecided`, the level stops after the batch that decides the last of them.
    @inlinable
    func expandInParallel(
        _ frontier: [System.Frontier.Entry], base frontierBase: Int, store: System.Frontier,
        visited: ShardedFingerprintSet, workers: Int, buffers: inout [ChunkBuffer], governor: inout WorkerGovernor,
        checking open: [Int] = [], stopsWhenDecided: Bool = false, counters: inout SearchCounters
    ) -> LevelExpansion {
        var level = LevelExpansion()
        var undecided = open
        let chunkCount = (frontier.count + Self.chunkSize - 1) / Self.chunkSize
        var batchStart = 0
        while batchStart < chunkCount {
            let batchCount = min(Self.batchChunks, chunkCount - batchStart)
            while buffers.count < batchCount { buffers.append(ChunkBuffer(visited: visited)) }
            // The governor decides whether this batch runs on all workers or, fused, on one;
            // the states accepted and their order are the same either way.
            let parallel = governor.nextBatchIsParallel()
            let batchStarted = ContinuousClock.now
            let transitionsBefore = counters.transitions
            let hitsBefore = level.hits.count
            if parallel {
                expandBatchInParallel(
                    frontier, chunks: batchStart..<batchStart + batchCount, base: frontierBase, store: store,
                    visited: visited, workers: workers, buffers: buffers, level: &level,
                    checking: undecided, stopsWhenDecided: stopsWhenDecided, counters: &counters)
            } else {
                let lower = batchStart * Self.chunkSize
                let upper = min(frontier.count, (batchStart + batchCount) * Self.chunkSize)
                expandSequentially(
                    frontier, range: lower..<upper, base: frontierBase, store: store, visited: visited, level: &level,
                    checking: undecided, stopsWhenDecided: stopsWhenDecided, counters: &counters)
            }
            for (check, _) in level.hits[hitsBefore...] { undecided.removeAll { $0 == check } }
            if level.stoppedDecided { return level }
            governor.record(
                parallel: parallel, transitions: counters.transitions - transitionsBefore,
                duration: ContinuousClock.now - batchStarted)
            if level.stop != nil { return level }
            batchStart += batchCount
            counters.report(queue: frontier.count - batchStart * Self.chunkSize + level.next.count)
        }
        return level
    }

    /// Phases 2-4 for the chunks `chunks` of `frontier` on `workers` threads, appending to `level`;
    /// the checks `open` run on each state as it is expanded (see `expandInParallel`).
    @inlinable
    func expandBatchInParallel(
        _ frontier: [System.Frontier.Entry], chunks: Range<Int>, base frontierBase: Int, store: System.Frontier,
        visited: ShardedFingerprintSet, workers: Int, buffers: [ChunkBuffer], level: inout LevelExpansion,
        checking open: [Int] = [], stopsWhenDecided: Bool = false, counters: inout SearchCounters
    ) {
        let batchStart = chunks.lowerBound
        let batchCount = chunks.count
        // Each chunk keeps, per open check, its first deciding frontier index.
        let hits = ChunkHits(chunks: batchCount, open: open)
        defer { hits.deallocate() }
        // Large states: drop those visited before this batch in the expansion, on the thread
        // that made them, while their memory is hot (the visited set only changes in the
        // merge, so this read is race-free and the same on any schedule). Kept until the
        // merge, they took the malloc slow paths and made two workers slower than one on the
        // IC model.
        let skipsVisited = !_isPOD(System.State.self)
        // Phase 2: expand.
        let cancelled = forEachChunk(batchCount, workers: workers) { slot in
            let buffer = buffers[slot]
            // The buffer keeps its filter (deduplicator and shard lists) between chunks; taken
            // out while in use, so that its arrays are not copied on write.
            var filter = buffer.filter.take()!
            filter.prepare(skipsVisited: skipsVisited)
            defer { buffer.filter = filter }
            let lower = (batchStart + slot) * Self.chunkSize
            var recorder = hits.recorder(chunk: slot)
            buffer.successors.expand(
                frontier, range: lower..<min(frontier.count, lower + Self.chunkSize), offset: 0, system: system,
                store: store, filter: &filter,
                inspect: { index, state in
                    recorder.record(index) { checks.decides($0, state) }
                }, keep: { store.candidate(for: $0) })
        }
        if cancelled {
            level.stop = .interrupted
            return
        }
        // The batch's first deciding state per check: the first chunk's hit, in frontier order.
        let found = hits.combined()
        level.hits.append(contentsOf: found)
        if !open.isEmpty, found.count == open.count, stopsWhenDecided {
            level.stoppedDecided = true
            return
        }
        if let stop = counters.limits.reached(after: batchCount * Self.chunkSize) {
            level.stop = stop
            return
        }
        for slot in 0..<batchCount {
            let chunk = buffers[slot].successors
            counters.transitions += chunk.transitions
            counters.terminal += chunk.terminal
            if level.firstDeadlock == nil { level.firstDeadlock = chunk.firstDeadlock }
        }
        mergeAndCompact(
            buffers: buffers, count: batchCount, visited: visited, workers: workers,
            frontierBase: frontierBase, store: store, next: &level.next, counters: &counters)
    }

    /// Phases 3 and 4 for the first `count` chunk buffers: merge (each worker owns the shards
    /// congruent to it modulo the worker count and inserts their candidates in chunk order),
    /// then append the accepted candidates, in chunk order, to the next frontier.
    @inlinable
    func mergeAndCompact(
        buffers: [ChunkBuffer], count chunkCount: Int, visited: ShardedFingerprintSet, workers: Int,
        frontierBase: Int, store: System.Frontier, next: inout [System.Frontier.Entry], counters: inout SearchCounters
    ) {
        var offsets: [Int] = [0]
        offsets.reserveCapacity(chunkCount + 1)
        for chunk in 0..<chunkCount { offsets.append(offsets[chunk] + buffers[chunk].successors.states.count) }
        let accepted = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(offsets[chunkCount], 1))
        defer { accepted.deallocate() }
        let mergeWorkers = min(workers, visited.shardCount)
        let shared = UncheckedSendable(accepted)
        // Workers claim whole shards one at a time (a descheduled worker holds up at most the
        // shard it has); within a shard, candidates go in chunk order, then in order within a
        // chunk, so the first discoverer in frontier order wins whoever merges the shard.
        let nextShard = Atomic<Int>(0)
        let merge: (Int) -> Void = { _ in
            let accepted = shared.value
            while true {
                let shard = nextShard.add(1, ordering: .relaxed).oldValue
                if shard >= visited.shardCount { break }
                for chunk in 0..<chunkCount {
                    let offset = offsets[chunk]
                    let buffer = buffers[chunk]
                    buffer.successors.fingerprints.withUnsafeBufferPointer { fingerprints in
                        buffer.filter!.shardMembers[shard].withUnsafeBufferPointer { members in
                            // Groups of 16: touch the slots (overlapping the misses), then insert.
                            var groupStart = 0
                            while groupStart < members.count {
                                let groupEnd = min(members.count, groupStart + 16)
                                var sum: UInt64 = 0
                                for member in groupStart..<groupEnd {
                                    let fingerprint = fingerprints[Int(members[member])]
                                    sum &+= visited.shards[shard].slots[visited.shards[shard].home(fingerprint)]
                                }
                                blackHole(sum)
                                for member in groupStart..<groupEnd {
                                    let index = Int(members[member])
                                    accepted[offset + index] = visited.shards[shard].insert(fingerprints[index])
                                }
                                groupStart = groupEnd
                            }
                        }
                    }
                }
            }
        }
        withoutActuallyEscaping(merge) { merge in
            let box = UncheckedSendable(merge)
            DispatchQueue.concurrentPerform(iterations: mergeWorkers) { box.value($0) }
        }
        for chunk in 0..<chunkCount {
            let buffer = buffers[chunk].successors
            let offset = offsets[chunk]
            for index in buffer.states.indices where accepted[offset + index] {
                if counters.log.count >= counters.stateLimit {
                    counters.stateLimitHit = true
                    return
                }
                next.append(store.entry(forCandidate: buffer.states[index]))
                counters.log.append(
                    parent: UInt32(truncatingIfNeeded: frontierBase + Int(buffer.parents[index])),
                    fingerprint: buffer.fingerprints[index])
            }
            // Dropped here, while this thread has just touched them (the storage holds what it
            // kept), rather than by whichever worker next overwrites the slot.
            buffer.states.removeAll(keepingCapacity: true)
        }
    }

    /// Per-chunk output of the expand phase (`SuccessorChunk`) and the filter that chose it.
    @usableFromInline
    final class ChunkBuffer: @unchecked Sendable {
        @usableFromInline let successors = SuccessorChunk<System, System.Frontier.Candidate>()
        /// The chunk's filter, kept between chunks (`nil` only while a chunk uses it).
        @usableFromInline var filter: NewCandidateFilter?

        @inlinable init(visited: ShardedFingerprintSet) { filter = NewCandidateFilter(visited: visited) }

        deinit { filter?.deduplicator.table.deallocate() }
    }
}

/// The in-memory parallel search's successor filter: drops successors met earlier in the same
/// chunk (cheap, in cache; the merge decides about the global visited set) and, for states with
/// references, those visited before the batch; lists each candidate under its visited-set shard.
@usableFromInline
struct NewCandidateFilter: SuccessorFilter {
    @usableFromInline var deduplicator = ChunkDeduplicator(table: FingerprintTable(capacity: 8192))
    /// Per visited-set shard, the indices of the candidates that fall in it, in order.
    @usableFromInline var shardMembers: [[UInt32]]
    /// The visited set's shard tables and mask, not the set: even `unowned(unsafe)`, a call on
    /// the set retained and released it for every successor (5 % of the instructions once; with
    /// two workers, a reference count moving between the cores on every successor, 4.6 % of the
    /// contended reference counting of `bench-pubsub` 2 × 2). The search keeps the set alive
    /// for as long as its buffers.
    @usableFromInline let shards: UnsafeMutablePointer<FingerprintTable>
    @usableFromInline let shardMask: UInt64
    @usableFromInline var skipsVisited = false

    @inlinable
    init(visited: ShardedFingerprintSet) {
        shards = visited.shards
        shardMask = visited.mask
        shardMembers = Array(repeating: [], count: visited.shardCount)
    }

    @inlinable static var recordsSuccessorIndices: Bool { false }

    /// Empties the filter for the next chunk.
    @inlinable
    mutating func prepare(skipsVisited: Bool) {
        deduplicator.reset()
        for shard in shardMembers.indices { shardMembers[shard].removeAll(keepingCapacity: true) }
        self.skipsVisited = skipsVisited
    }

    @inlinable @inline(__always)
    mutating func admit(_ fingerprint: UInt64, as candidate: Int) -> Bool {
        let shard = Int(truncatingIfNeeded: fingerprint & shardMask)
        if skipsVisited, shards[shard].contains(fingerprint) { return false }
        guard deduplicator.insert(fingerprint) else { return false }
        shardMembers[shard].append(UInt32(truncatingIfNeeded: candidate))
        return true
    }
}
