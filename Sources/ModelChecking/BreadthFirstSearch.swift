import Dispatch
import Synchronization

/// Level-synchronous breadth-first search whose results do not depend on the number of workers.
///
/// Each level runs in phases separated by barriers:
/// 1. check: the safety checks on every frontier state (parallel over chunks); the reported
///    state for a check is the first deciding state in frontier order;
/// 2. expand: workers take fixed chunks of the frontier, generate successors, drop those already
///    generated in the same chunk and buffer the rest per chunk, in order (the visited set is
///    not touched: one probe per candidate, in the merge, is cheaper than a filter here);
/// 3. merge: the visited set is split into shards by fingerprint bits; each worker owns some
///    shards and inserts the candidates of its shards from all chunk buffers in chunk order,
///    so the first discoverer in frontier order wins, exactly as in a sequential BFS;
/// 4. compact: the accepted candidates, in chunk order, form the next frontier and get the
///    next ids.
/// Every decision depends only on frontier order, never on thread timing, so counts, verdicts
/// and traces are identical for any number of workers. No locks: only an atomic chunk counter.
/// With one worker, phases 2–4 are fused into a sequential loop with the same semantics
/// (including where it stops), which saves the candidate buffers.
@usableFromInline
struct BreadthFirstSearch<System: TransitionSystem> {
    @usableFromInline let system: System
    @usableFromInline let options: CheckerOptions
    @usableFromInline let checks: SafetyChecks<System>

    @inlinable
    init(system: System, options: CheckerOptions, checks: SafetyChecks<System>) {
        self.system = system
        self.options = options
        self.checks = checks
    }

    @inlinable static var chunkSize: Int { 512 }
    /// Chunks expanded between two merges (bounds the candidate buffers).
    @inlinable static var batchChunks: Int { 32 }

    /// Phases 3 and 4 for the first `count` chunk buffers: merge (each worker owns the shards
    /// congruent to it modulo the worker count and inserts their candidates in chunk order),
    /// then append the accepted candidates, in chunk order, to the next frontier.
    @inlinable
    func mergeAndCompact(
        buffers: [ChunkBuffer], count chunkCount: Int, visited: ShardedFingerprintSet, workers: Int,
        frontierBase: Int, stateLimit: Int, log: inout ParentLog, next: inout [System.QueuedState],
        stateLimitHit: inout Bool
    ) {
        var offsets: [Int] = [0]
        offsets.reserveCapacity(chunkCount + 1)
        for chunk in 0..<chunkCount { offsets.append(offsets[chunk] + buffers[chunk].states.count) }
        let accepted = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(offsets[chunkCount], 1))
        defer { accepted.deallocate() }
        let mergeWorkers = min(workers, visited.shardCount)
        let shared = UncheckedSendable(accepted)
        let merge: (Int) -> Void = { worker in
            let accepted = shared.value
            for chunk in 0..<chunkCount {
                let offset = offsets[chunk]
                buffers[chunk].fingerprints.withUnsafeBufferPointer { fingerprints in
                    // Groups of 16: touch the slots (overlapping the misses), then insert.
                    var groupStart = 0
                    while groupStart < fingerprints.count {
                        let groupEnd = min(fingerprints.count, groupStart + 16)
                        var sum: UInt64 = 0
                        for index in groupStart..<groupEnd {
                            let fingerprint = fingerprints[index]
                            let shard = visited.shardIndex(fingerprint)
                            if shard % mergeWorkers == worker {
                                sum &+= visited.shards[shard].slots[visited.shards[shard].home(fingerprint)]
                            }
                        }
                        blackHole(sum)
                        for index in groupStart..<groupEnd {
                            let fingerprint = fingerprints[index]
                            let shard = visited.shardIndex(fingerprint)
                            if shard % mergeWorkers == worker {
                                accepted[offset + index] = visited.shards[shard].insert(fingerprint)
                            }
                        }
                        groupStart = groupEnd
                    }
                }
            }
        }
        withoutActuallyEscaping(merge) { merge in
            let box = UncheckedSendable(merge)
            DispatchQueue.concurrentPerform(iterations: mergeWorkers) { box.value($0) }
        }
        for chunk in 0..<chunkCount {
            let buffer = buffers[chunk]
            let offset = offsets[chunk]
            for index in buffer.states.indices where accepted[offset + index] {
                if log.count >= stateLimit {
                    stateLimitHit = true
                    return
                }
                next.append(system.queued(buffer.states[index]))
                log.append(
                    parent: UInt32(truncatingIfNeeded: frontierBase + Int(buffer.parents[index])),
                    fingerprint: buffer.fingerprints[index])
            }
        }
    }

    /// Per-chunk output of the expand phase. Written by one worker, read after the barrier.
    @usableFromInline
    final class ChunkBuffer: @unchecked Sendable {
        @usableFromInline var states: [System.State] = []
        @usableFromInline var fingerprints: [UInt64] = []
        /// Index of the parent in the current frontier.
        @usableFromInline var parents: [UInt32] = []
        @usableFromInline var transitions = 0
        @usableFromInline var terminal = 0
        @usableFromInline var firstDeadlock: Int?
        /// The chunk deduplicator's storage, kept between chunks.
        @usableFromInline var dedupTable = FingerprintTable(capacity: 8192)
        @usableFromInline var dedupUsed: [Int] = []

        @inlinable init() {}

        deinit { dedupTable.deallocate() }
    }

    /// Runs `body(chunk)` for every chunk index on up to `workers` threads; stops claiming
    /// chunks once `cancellation` is set. Returns whether it was cancelled.
    @inlinable
    func forEachChunk(_ count: Int, _ body: (Int) -> Void) -> Bool {
        let cancellation = options.cancellation
        if options.workers <= 1 || count <= 1 {
            for chunk in 0..<count {
                if cancellation?.isCancelled == true { return true }
                body(chunk)
            }
            return cancellation?.isCancelled == true
        }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: min(options.workers, count)) { _ in
                while cancellation?.isCancelled != true {
                    let chunk = next.add(1, ordering: .relaxed).oldValue
                    if chunk >= count { break }
                    box.value(chunk)
                }
            }
        }
        return cancellation?.isCancelled == true
    }

    @inlinable
    func run(progress: ((ProgressReport) -> Void)?) -> CheckResult<System> {
        let clock = ContinuousClock()
        let start = clock.now
        let workers = max(1, options.workers)
        // At least 16 shards even for one worker: shards grow one at a time, so the transient
        // memory of a table resize is a sixteenth of the whole set.
        let shardCount = max(16, (4 * workers).nextPowerOfTwo)
        let visited = ShardedFingerprintSet(shardCount: shardCount)
        let checkCount = checks.checks.count
        var log = ParentLog()
        var warnings: [String] = []
        var traces: [Trace<System>?] = Array(repeating: nil, count: checkCount)
        var undecided = checkCount
        let stateLimit = min(options.maxStates ?? ParentLog.maxStates, ParentLog.maxStates)
        let stopWhenDecided = options.stopOnViolation && checkCount > 0
        var limits = SearchLimits(options, start: start)

        var transitions = 0
        var terminal = 0
        var depth = 0
        var distinctOverride: Int?

        // Level 0: the distinct initial states, in order.
        var frontier: [System.QueuedState] = []
        var stateLimitHit = false
        for state in system.initialStates {
            let fingerprint = state.fingerprint
            if visited.insert(fingerprint) {
                if log.count >= stateLimit {
                    stateLimitHit = true
                    break
                }
                frontier.append(system.queued(state))
                log.append(parent: ParentLog.noParent, fingerprint: fingerprint)
            }
        }
        var frontierBase = 0
        var buffers: [ChunkBuffer] = []
        var lastReport = start
        var outcome = CheckOutcome.complete

        /// Calls `progress` if the interval has passed; `queue` counts states not yet expanded.
        func report(queue: Int) {
            guard let progress, let interval = options.progressInterval, clock.now - lastReport >= interval else { return }
            lastReport = clock.now
            progress(
                ProgressReport(
                    distinctStates: log.count, transitions: transitions, queueSize: max(queue, 0), depth: depth,
                    seconds: (clock.now - start).seconds))
        }

        func recordTrace(check: Int, frontierIndex: Int) {
            guard traces[check] == nil else { return }
            let state = system.dequeued(frontier[frontierIndex])
            let id = UInt32(frontierBase + frontierIndex)
            traces[check] =
                log.trace(to: id, finalState: state, system: system, warnings: &warnings)
                ?? Trace(system: system, initialState: state, steps: [])
            undecided -= 1
        }

        levels: while true {
            let chunkCount = (frontier.count + Self.chunkSize - 1) / Self.chunkSize

            // Phase 1: safety checks on the frontier; per chunk and open check, the first
            // deciding frontier index (Int.max: none).
            let open = checks.stateChecks.filter { traces[$0] == nil }
            if !open.isEmpty {
                let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(chunkCount * open.count, 1))
                defer { hits.deallocate() }
                hits.initialize(repeating: .max)
                let sharedHits = UncheckedSendable(hits)
                let cancelled = forEachChunk(chunkCount) { chunk in
                    let range = chunk * Self.chunkSize..<min(frontier.count, (chunk + 1) * Self.chunkSize)
                    // Each state once (dequeuing may cost), every open check on it; a check keeps
                    // its first deciding index in the chunk.
                    var pending = open.count
                    for index in range where pending > 0 {
                        let state = system.dequeued(frontier[index])
                        for (position, check) in open.enumerated()
                        where sharedHits.value[chunk * open.count + position] == .max && checks.decides(check, state) {
                            sharedHits.value[chunk * open.count + position] = index
                            pending -= 1
                        }
                    }
                }
                if cancelled { outcome = .interrupted; break levels }
                for (position, check) in open.enumerated() {
                    for chunk in 0..<chunkCount where hits[chunk * open.count + position] != .max {
                        recordTrace(check: check, frontierIndex: hits[chunk * open.count + position])
                        break
                    }
                }
            }
            if stopWhenDecided && undecided == 0 { outcome = .stoppedOnViolation; break }
            if stateLimitHit { outcome = .stateLimitReached; break }
            if frontier.isEmpty { outcome = .complete; break }
            if let stop = limits.reached(after: frontier.count % 1024) { outcome = stop; break }
            if let maxDepth = options.maxDepth, depth >= maxDepth {
                outcome = frontier.contains { system.isWithinBoundary(system.dequeued($0)) } ? .depthLimitReached : .complete
                break
            }

            let nextBase = log.count
            var next: [System.QueuedState] = []
            var firstDeadlock: Int?
            if workers == 1 {
                // Phases 2-4 fused: insert at once; the order of acceptance is the same.
                // A state's successors are collected first and their table slots touched in a
                // tight loop, so the cache misses of the probes overlap instead of queueing.
                var batchStates = ScratchBuffer<System.State>()
                var batchFingerprints = ScratchBuffer<UInt64>()
                defer {
                    batchStates.deallocate()
                    batchFingerprints.deallocate()
                }
                for index in frontier.indices {
                    if index & 1023 == 1023 {
                        if let stop = limits.reached(after: 1024) {
                            outcome = stop
                            break levels
                        }
                        report(queue: frontier.count - index + next.count)
                    }
                    let state = system.dequeued(frontier[index])
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
                        if log.count < stateLimit {
                            next.append(system.queued(batchStates[position]))
                            log.append(parent: parent, fingerprint: fingerprint)
                        } else {
                            stateLimitHit = true
                        }
                    }
                    transitions &+= successors
                    if successors == 0 {
                        terminal &+= 1
                        if firstDeadlock == nil { firstDeadlock = index }
                    }
                }
            } else {
                // Phases 2-4 in batches of chunks, so that candidate buffers stay small. Merging
                // batch after batch in chunk order accepts exactly what merging the whole level
                // in chunk order would.
                var batchStart = 0
                while batchStart < chunkCount {
                    let batchCount = min(Self.batchChunks, chunkCount - batchStart)
                    while buffers.count < batchCount { buffers.append(ChunkBuffer()) }
                    // Phase 2: expand.
                    let cancelled = forEachChunk(batchCount) { slot in
                        let buffer = buffers[slot]
                        var states: [System.State] = []
                        var fingerprints: [UInt64] = []
                        var parents: [UInt32] = []
                        var deduplicator = ChunkDeduplicator(table: buffer.dedupTable)
                        swap(&deduplicator.used, &buffer.dedupUsed)
                        deduplicator.reset()
                        defer {
                            buffer.dedupTable = deduplicator.table
                            swap(&deduplicator.used, &buffer.dedupUsed)
                        }
                        swap(&states, &buffer.states)
                        swap(&fingerprints, &buffer.fingerprints)
                        swap(&parents, &buffer.parents)
                        states.removeAll(keepingCapacity: true)
                        fingerprints.removeAll(keepingCapacity: true)
                        parents.removeAll(keepingCapacity: true)
                        let lower = (batchStart + slot) * Self.chunkSize
                        let upper = min(frontier.count, lower + Self.chunkSize)
                        var transitions = 0
                        var terminal = 0
                        var firstDeadlock: Int?
                        for index in lower..<upper {
                            let state = system.dequeued(frontier[index])
                            guard system.isWithinBoundary(state) else { continue }
                            let parent = UInt32(truncatingIfNeeded: index)
                            var successors = 0
                            system.forEachSuccessor(of: state) { _, successor in
                                successors &+= 1
                                let fingerprint = successor.fingerprint
                                // Drop successors seen earlier in this chunk (cheap, in cache);
                                // the merge decides about the global visited set.
                                guard deduplicator.insert(fingerprint) else { return }
                                states.append(successor)
                                fingerprints.append(fingerprint)
                                parents.append(parent)
                            }
                            transitions &+= successors
                            if successors == 0 {
                                terminal &+= 1
                                if firstDeadlock == nil { firstDeadlock = index }
                            }
                        }
                        swap(&states, &buffer.states)
                        swap(&fingerprints, &buffer.fingerprints)
                        swap(&parents, &buffer.parents)
                        buffer.transitions = transitions
                        buffer.terminal = terminal
                        buffer.firstDeadlock = firstDeadlock
                    }
                    if cancelled { outcome = .interrupted; break levels }
                    if let stop = limits.reached(after: batchCount * Self.chunkSize) { outcome = stop; break levels }
                    for slot in 0..<batchCount {
                        let buffer = buffers[slot]
                        transitions += buffer.transitions
                        terminal += buffer.terminal
                        if firstDeadlock == nil { firstDeadlock = buffer.firstDeadlock }
                    }
                    mergeAndCompact(
                        buffers: buffers, count: batchCount, visited: visited, workers: workers,
                        frontierBase: frontierBase, stateLimit: stateLimit, log: &log, next: &next,
                        stateLimitHit: &stateLimitHit)
                    batchStart += batchCount
                    report(queue: frontier.count - batchStart * Self.chunkSize + next.count)
                }
            }

            if let deadlockCheck = checks.deadlockCheck, traces[deadlockCheck] == nil, let firstDeadlock {
                recordTrace(check: deadlockCheck, frontierIndex: firstDeadlock)
                if stopWhenDecided && undecided == 0 {
                    // Stop before this level's successors count, as the parallel search does.
                    distinctOverride = nextBase
                    outcome = .stoppedOnViolation
                    break
                }
            }
            system.compactFrontier(&next)
            frontier = next
            frontierBase = nextBase
            if !frontier.isEmpty { depth += 1 }

            report(queue: frontier.count)
        }

        let statistics = CheckStatistics(
            distinctStates: distinctOverride ?? log.count, transitions: transitions, terminalStates: terminal,
            maxDepth: depth, seconds: (clock.now - start).seconds, peakMemoryBytes: peakMemoryBytes(),
            workers: workers)
        return CheckResult(
            modelName: system.name, outcome: outcome, statistics: statistics,
            verdicts: checks.verdicts(system: system, traces: traces, outcome: outcome), warnings: warnings)
    }
}

/// Hands a value to `DispatchQueue.concurrentPerform` workers.
///
/// `@unchecked Sendable`: used only for closures and buffers whose concurrent use follows the
/// phase discipline documented on `BreadthFirstSearch` (disjoint writes, reads after barriers).
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}

extension Duration {
    @inlinable
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension Int {
    @inlinable
    var nextPowerOfTwo: Int {
        var value = 1
        while value < self { value <<= 1 }
        return value
    }
}
