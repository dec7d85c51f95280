import Dispatch
import Synchronization

/// Level-synchronous parallel breadth-first search whose results do not depend on the number
/// of workers.
///
/// Each level runs in phases separated by barriers:
/// 1. check: the safety checks on every frontier state (parallel over chunks);
/// 2. expand: workers take fixed chunks of the frontier, generate successors, drop those already
///    in the visited set (read-only in this phase) and buffer the rest per chunk, in order;
/// 3. merge: the visited set is split into shards by fingerprint bits; each worker owns some
///    shards and inserts the candidates of its shards from all chunk buffers in chunk order,
///    so the first discoverer in frontier order wins, exactly as in a sequential BFS;
/// 4. compact: the accepted candidates, in chunk order, form the next frontier and get the
///    next ids.
/// Every decision depends only on frontier order, never on thread timing, so counts, verdicts
/// and traces are identical for any number of workers. No locks: only an atomic chunk counter.
struct BreadthFirstSearch<System: TransitionSystem> {
    let system: System
    let options: CheckerOptions
    let checks: SafetyChecks<System>

    static var chunkSize: Int { 512 }

    /// Per-chunk output of the expand phase. Written by one worker, read after the barrier.
    final class ChunkBuffer: @unchecked Sendable {
        var states: [System.State] = []
        var fingerprints: [UInt64] = []
        /// Index of the parent in the current frontier.
        var parents: [UInt32] = []
        var transitions = 0
        var terminal = 0
        var firstDeadlock: Int?
        /// First frontier index deciding each check (phase 1).
        var firstHits: [Int?] = []

        func reset(checkCount: Int) {
            states.removeAll(keepingCapacity: true)
            fingerprints.removeAll(keepingCapacity: true)
            parents.removeAll(keepingCapacity: true)
            transitions = 0
            terminal = 0
            firstDeadlock = nil
            firstHits = Array(repeating: nil, count: checkCount)
        }
    }

    /// Runs `body(chunk)` for every chunk index on `workers` threads; stops claiming chunks once
    /// `cancellation` is set. Returns whether it was cancelled.
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

    func run(progress: ((ProgressReport) -> Void)?) -> CheckResult<System> {
        let clock = ContinuousClock()
        let start = clock.now
        let workers = max(1, options.workers)
        let shardCount = workers == 1 ? 1 : (4 * workers).nextPowerOfTwo
        let visited = ShardedFingerprintSet(shardCount: shardCount)
        var log = ParentLog()
        var warnings: [String] = []
        var traces: [Trace<System>?] = Array(repeating: nil, count: checks.checks.count)
        var undecided = checks.checks.count
        let stateLimit = min(options.maxStates ?? ParentLog.maxStates, ParentLog.maxStates)

        var transitions = 0
        var terminal = 0
        var depth = 0

        // Level 0: the distinct initial states, in order.
        var frontier: [System.State] = []
        for state in system.initialStates where log.count < stateLimit {
            let fingerprint = state.fingerprint
            if visited.shards[visited.shardIndex(fingerprint)].insert(fingerprint) {
                frontier.append(state)
                log.append(parent: ParentLog.noParent, fingerprint: fingerprint)
            }
        }
        var frontierBase = 0
        var stateLimitHit = log.count >= stateLimit && system.initialStates.count > log.count
        var buffers: [ChunkBuffer] = []
        var lastReport = start
        var outcome = CheckOutcome.complete

        func recordTrace(check: Int, frontierIndex: Int) {
            guard traces[check] == nil else { return }
            let state = frontier[frontierIndex]
            let id = UInt32(frontierBase + frontierIndex)
            traces[check] =
                log.trace(to: id, finalState: state, system: system, warnings: &warnings)
                ?? Trace(system: system, initialState: state, steps: [])
            undecided -= 1
        }

        levels: while true {
            let chunkCount = (frontier.count + Self.chunkSize - 1) / Self.chunkSize
            while buffers.count < chunkCount { buffers.append(ChunkBuffer()) }
            for chunk in 0..<chunkCount { buffers[chunk].reset(checkCount: checks.checks.count) }

            // Phase 1: safety checks on the frontier.
            let open = checks.stateChecks.filter { traces[$0] == nil }
            if !open.isEmpty {
                let cancelled = forEachChunk(chunkCount) { chunk in
                    let buffer = buffers[chunk]
                    let range = chunk * Self.chunkSize..<min(frontier.count, (chunk + 1) * Self.chunkSize)
                    for check in open {
                        for index in range where checks.decides(check, frontier[index]) {
                            buffer.firstHits[check] = index
                            break
                        }
                    }
                }
                if cancelled { outcome = .interrupted; break levels }
                for check in open {
                    if let index = buffers.prefix(chunkCount).lazy.compactMap({ $0.firstHits[check] }).first {
                        recordTrace(check: check, frontierIndex: index)
                    }
                }
            }
            if undecided == 0 && !checks.isEmpty && options.stopOnViolation { outcome = .stoppedOnViolation; break }
            if stateLimitHit { outcome = .stateLimitReached; break }
            if frontier.isEmpty { outcome = .complete; break }
            if let maxDepth = options.maxDepth, depth >= maxDepth {
                outcome = frontier.contains(where: system.isWithinBoundary) ? .depthLimitReached : .complete
                break
            }

            // Phase 2: expand.
            let reportsDeadlocks = checks.deadlockCheck != nil
            let cancelled = forEachChunk(chunkCount) { chunk in
                let buffer = buffers[chunk]
                let lower = chunk * Self.chunkSize
                let upper = min(frontier.count, lower + Self.chunkSize)
                var transitions = 0
                var terminal = 0
                for index in lower..<upper {
                    let state = frontier[index]
                    guard system.isWithinBoundary(state) else { continue }
                    var successors = 0
                    system.forEachSuccessor(of: state) { _, successor in
                        successors &+= 1
                        let fingerprint = successor.fingerprint
                        if visited.contains(fingerprint) { return }
                        buffer.states.append(successor)
                        buffer.fingerprints.append(fingerprint)
                        buffer.parents.append(UInt32(truncatingIfNeeded: index))
                    }
                    transitions &+= successors
                    if successors == 0 {
                        terminal &+= 1
                        if reportsDeadlocks && buffer.firstDeadlock == nil { buffer.firstDeadlock = index }
                    }
                }
                buffer.transitions = transitions
                buffer.terminal = terminal
            }
            for buffer in buffers.prefix(chunkCount) {
                transitions += buffer.transitions
                terminal += buffer.terminal
            }
            if cancelled { outcome = .interrupted; break }
            if let deadlockCheck = checks.deadlockCheck, traces[deadlockCheck] == nil,
                let index = buffers.prefix(chunkCount).lazy.compactMap(\.firstDeadlock).first
            {
                recordTrace(check: deadlockCheck, frontierIndex: index)
                if undecided == 0 && options.stopOnViolation { outcome = .stoppedOnViolation; break }
            }

            // Phase 3: merge, each worker owning the shards congruent to it modulo `workers`.
            var offsets: [Int] = [0]
            for buffer in buffers.prefix(chunkCount) { offsets.append(offsets.last! + buffer.states.count) }
            let accepted = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(offsets.last!, 1))
            defer { accepted.deallocate() }
            let acceptedBox = UncheckedSendable(accepted)
            let mergeWorkers = min(workers, shardCount)
            let merge: (Int) -> Void = { worker in
                let accepted = acceptedBox.value
                for chunk in 0..<chunkCount {
                    let buffer = buffers[chunk]
                    let offset = offsets[chunk]
                    buffer.fingerprints.withUnsafeBufferPointer { fingerprints in
                        for (index, fingerprint) in fingerprints.enumerated() {
                            let shard = visited.shardIndex(fingerprint)
                            if shard % mergeWorkers == worker {
                                accepted[offset + index] = visited.shards[shard].insert(fingerprint)
                            }
                        }
                    }
                }
            }
            if mergeWorkers == 1 {
                merge(0)
            } else {
                withoutActuallyEscaping(merge) { merge in
                    let box = UncheckedSendable(merge)
                    DispatchQueue.concurrentPerform(iterations: mergeWorkers) { box.value($0) }
                }
            }

            // Phase 4: compact into the next frontier, in chunk order.
            var next: [System.State] = []
            next.reserveCapacity(offsets.last!)
            let nextBase = log.count
            compact: for chunk in 0..<chunkCount {
                let buffer = buffers[chunk]
                let offset = offsets[chunk]
                for index in buffer.states.indices where accepted[offset + index] {
                    if log.count >= stateLimit {
                        stateLimitHit = true
                        break compact
                    }
                    next.append(buffer.states[index])
                    log.append(parent: UInt32(frontierBase + Int(buffer.parents[index])), fingerprint: buffer.fingerprints[index])
                }
            }
            frontier = next
            frontierBase = nextBase
            if !frontier.isEmpty { depth += 1 }

            if let progress, let interval = options.progressInterval, clock.now - lastReport >= interval {
                lastReport = clock.now
                progress(
                    ProgressReport(
                        distinctStates: log.count, transitions: transitions, queueSize: frontier.count, depth: depth,
                        seconds: (clock.now - start).seconds))
            }
        }

        let statistics = CheckStatistics(
            distinctStates: log.count, transitions: transitions, terminalStates: terminal, maxDepth: depth,
            seconds: (clock.now - start).seconds, peakMemoryBytes: peakMemoryBytes(), workers: workers)
        return CheckResult(
            modelName: system.name, outcome: outcome, statistics: statistics,
            verdicts: checks.verdicts(system: system, traces: traces, outcome: outcome), warnings: warnings)
    }
}

/// Hands a value to `DispatchQueue.concurrentPerform` workers.
///
/// `@unchecked Sendable`: used only for closures and buffers whose concurrent use follows the
/// phase discipline documented on `BreadthFirstSearch` (disjoint writes, reads after barriers).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension Int {
    var nextPowerOfTwo: Int {
        var value = 1
        while value < self { value <<= 1 }
        return value
    }
}
