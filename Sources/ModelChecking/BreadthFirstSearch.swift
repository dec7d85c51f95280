import Dispatch
import Synchronization

/// Level-synchronous breadth-first search whose results do not depend on the number of workers.
///
/// Each level runs in phases separated by barriers:
/// 1. check: the safety checks on every frontier state; the reported state for a check is the
///    first deciding state in frontier order. A level that is expanded runs them in phase 2,
///    on the states the workers rebuild to expand (`LevelExpansion.hits`);
/// 2. expand: workers take fixed chunks of the frontier, generate successors, drop those already
///    generated in the same chunk and buffer the rest per chunk (indexed per visited-set shard),
///    in order (the visited set is not touched: one probe per candidate, in the merge, is
///    cheaper than a filter here, measured on IC-Ring);
/// 3. merge: the visited set is split into shards by fingerprint bits; workers claim shards one
///    at a time and insert each shard's candidates from all chunk buffers in chunk order, so
///    the first discoverer in frontier order wins, exactly as in a sequential BFS;
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
    /// Chunks expanded between two merges (bounds the candidate buffers; see
    /// `FrontierStorage.parallelBatchStates`).
    @inlinable static var batchChunks: Int { max(1, System.Frontier.parallelBatchStates / chunkSize) }

    /// What one level's expansion hands back: the next frontier, the first state without
    /// successors (for the deadlock check) and, if a limit stopped it, the outcome.
    @usableFromInline
    struct LevelExpansion {
        @usableFromInline var next: [System.Frontier.Entry] = []
        @usableFromInline var firstDeadlock: Int?
        @usableFromInline var stop: CheckOutcome?
        /// Fused checks (one worker): each open check's first deciding frontier index, in the
        /// order found (frontier order), and whether every open check was decided and the
        /// expansion stopped there.
        @usableFromInline var hits: [(check: Int, index: Int)] = []
        @usableFromInline var stoppedDecided = false
        @inlinable init() {}
    }

    /// Runs `body(chunk)` for every chunk index on up to `workers` threads; stops claiming
    /// chunks once `cancellation` is set. Returns whether it was cancelled.
    @inlinable
    func forEachChunk(_ count: Int, workers: Int, _ body: (Int) -> Void) -> Bool {
        let cancellation = options.cancellation
        if workers <= 1 || count <= 1 {
            for chunk in 0..<count {
                if cancellation?.isCancelled == true { return true }
                body(chunk)
            }
            return cancellation?.isCancelled == true
        }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in
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
        var warnings: [String] = []
        var traces: [Trace<System>?] = Array(repeating: nil, count: checkCount)
        var undecided = checkCount
        let stopWhenDecided = options.stopOnViolation && checkCount > 0
        let store = system.makeFrontier()
        var counters = SearchCounters(options: options, start: start, progress: progress)
        var distinctOverride: Int?

        // Level 0: the distinct initial states, in order.
        var frontier: [System.Frontier.Entry] = []
        for state in system.initialStates {
            let fingerprint = state.fingerprint
            if visited.insert(fingerprint) {
                if counters.log.count >= counters.stateLimit {
                    counters.stateLimitHit = true
                    break
                }
                frontier.append(store.entry(for: state))
                counters.log.append(parent: ParentLog.noParent, fingerprint: fingerprint)
            }
        }
        var frontierBase = 0
        var buffers: [ChunkBuffer] = []
        var governor = WorkerGovernor(policy: options.workerPolicy)
        var outcome = CheckOutcome.complete

        func recordTrace(check: Int, frontierIndex: Int) {
            guard traces[check] == nil else { return }
            let state = store.state(of: frontier[frontierIndex])
            let id = UInt32(frontierBase + frontierIndex)
            traces[check] =
                counters.log.trace(to: id, finalState: state, system: system, warnings: &warnings)
                ?? Trace(system: system, initialState: state, steps: [])
            undecided -= 1
        }

        levels: while true {
            // Phase 1: safety checks on the frontier. A level that will be expanded runs them in
            // the expansion instead, on the state each worker rebuilds from the frontier anyway
            // (the second rebuild was 4 % of the `P1-atomic-execution` search); the deciding
            // indices, the traces and the counts on a stop are the same.
            let open = checks.stateChecks.filter { traces[$0] == nil }
            let depthReached = options.maxDepth.map { counters.depth >= $0 } ?? false
            let fused = !open.isEmpty && !counters.stateLimitHit && !frontier.isEmpty && !depthReached
            func checkFrontier() -> Bool {
                let checkWorkers = governor.preferredParallel == false ? 1 : workers
                guard let hits = firstDecidingStates(in: frontier, store: store, open: open, workers: checkWorkers) else { return false }
                for (check, index) in hits { recordTrace(check: check, frontierIndex: index) }
                return true
            }
            if !fused {
                guard checkFrontier() else { outcome = .interrupted; break }
                if stopWhenDecided && undecided == 0 { outcome = .stoppedOnViolation; break }
            }
            if counters.stateLimitHit { outcome = .stateLimitReached; break }
            if frontier.isEmpty { outcome = .complete; break }
            if let stop = counters.limits.reached(after: frontier.count) {
                if fused { _ = checkFrontier() }
                outcome = stop
                break
            }
            if depthReached {
                outcome = frontier.contains { system.isWithinBoundary(store.state(of: $0)) } ? .depthLimitReached : .complete
                break
            }

            // Phases 2-4.
            let nextBase = counters.log.count
            let (transitionsBefore, terminalBefore) = (counters.transitions, counters.terminal)
            let stopsWhenDecided = stopWhenDecided && open.count == undecided
            var level =
                workers == 1
                ? expandSequentially(
                    frontier, base: frontierBase, store: store, visited: visited,
                    checking: fused ? open : [], stopsWhenDecided: stopsWhenDecided, counters: &counters)
                : expandInParallel(
                    frontier, base: frontierBase, store: store, visited: visited, workers: workers, buffers: &buffers,
                    governor: &governor, checking: fused ? open : [], stopsWhenDecided: stopsWhenDecided, counters: &counters)
            for (check, index) in level.hits { recordTrace(check: check, frontierIndex: index) }
            if let stop = level.stop, fused, stop != .interrupted, !level.stoppedDecided {
                // A limit cut the level short: check the frontier states it did not reach, as
                // phase 1 would have before expanding.
                let rest = open.filter { traces[$0] == nil }
                if !rest.isEmpty, let hits = firstDecidingStates(in: frontier, store: store, open: rest, workers: workers) {
                    for (check, index) in hits { recordTrace(check: check, frontierIndex: index) }
                    level.stoppedDecided = stopsWhenDecided && undecided == 0
                }
            }
            if level.stoppedDecided {
                // As if the checks had run first: this level's successors do not count.
                distinctOverride = nextBase
                (counters.transitions, counters.terminal) = (transitionsBefore, terminalBefore)
                outcome = .stoppedOnViolation
                break
            }
            if let stop = level.stop { outcome = stop; break levels }

            if let deadlockCheck = checks.deadlockCheck, traces[deadlockCheck] == nil, let firstDeadlock = level.firstDeadlock {
                recordTrace(check: deadlockCheck, frontierIndex: firstDeadlock)
                if stopWhenDecided && undecided == 0 {
                    // Stop before this level's successors count, as the parallel search does.
                    distinctOverride = nextBase
                    outcome = .stoppedOnViolation
                    break
                }
            }
            store.compact(&level.next)
            frontier = level.next
            frontierBase = nextBase
            if !frontier.isEmpty { counters.depth += 1 }
            counters.report(queue: frontier.count)
        }

        let statistics = CheckStatistics(
            distinctStates: distinctOverride ?? counters.log.count, transitions: counters.transitions,
            terminalStates: counters.terminal, maxDepth: counters.depth, seconds: (clock.now - start).seconds,
            peakMemoryBytes: peakMemoryBytes(), workers: workers,
            parallelBatches: governor.parallelBatches, sequentialBatches: governor.sequentialBatches)
        return CheckResult(
            modelName: system.name, outcome: outcome, statistics: statistics,
            verdicts: checks.verdicts(system: system, traces: traces, outcome: outcome), warnings: warnings)
    }

    /// Phase 1: for each open check, the first frontier index whose state decides it (in
    /// frontier order, whatever the number of workers), as (check, index) pairs in check order;
    /// `nil` if the search was cancelled.
    @inlinable
    func firstDecidingStates(
        in frontier: [System.Frontier.Entry], store: System.Frontier, open: [Int], workers: Int
    ) -> [(check: Int, index: Int)]? {
        guard !open.isEmpty else { return [] }
        let chunkCount = (frontier.count + Self.chunkSize - 1) / Self.chunkSize
        let hits = ChunkHits(chunks: chunkCount, open: open)
        defer { hits.deallocate() }
        let cancelled = forEachChunk(chunkCount, workers: workers) { chunk in
            // Each state once (dequeuing may cost), every open check on it.
            var recorder = hits.recorder(chunk: chunk)
            for index in chunk * Self.chunkSize..<min(frontier.count, (chunk + 1) * Self.chunkSize) {
                if recorder.isComplete { break }
                let state = store.state(of: frontier[index])
                recorder.record(index) { checks.decides($0, state) }
            }
        }
        if cancelled { return nil }
        return hits.combined()
    }
}

/// The search-wide figures the expansions update, and the progress reports.
@usableFromInline
struct SearchCounters {
    @usableFromInline var log = ParentLog()
    @usableFromInline var transitions = 0
    @usableFromInline var terminal = 0
    @usableFromInline var depth = 0
    @usableFromInline var stateLimitHit = false
    @usableFromInline var limits: SearchLimits
    @usableFromInline let stateLimit: Int
    @usableFromInline let start: ContinuousClock.Instant
    @usableFromInline var lastReport: ContinuousClock.Instant
    @usableFromInline let progress: ((ProgressReport) -> Void)?
    @usableFromInline let progressInterval: Duration?

    @inlinable
    init(options: CheckerOptions, start: ContinuousClock.Instant, progress: ((ProgressReport) -> Void)?) {
        limits = SearchLimits(options, start: start)
        stateLimit = min(options.maxStates ?? ParentLog.maxStates, ParentLog.maxStates)
        self.start = start
        lastReport = start
        self.progress = progress
        progressInterval = options.progressInterval
    }

    /// Calls `progress` if the interval has passed; `queue` counts states not yet expanded.
    @inlinable
    mutating func report(queue: Int) {
        let now = ContinuousClock.now
        guard let progress, let progressInterval, now - lastReport >= progressInterval else { return }
        lastReport = now
        progress(
            ProgressReport(
                distinctStates: log.count, transitions: transitions, queueSize: max(queue, 0), depth: depth,
                seconds: (now - start).seconds))
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
    /// The duration in seconds, for clocks and printing.
    @inlinable
    public var seconds: Double {
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
