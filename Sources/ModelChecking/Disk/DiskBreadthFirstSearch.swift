import Foundation

/// The breadth-first search with its visited set, queue and parent links on disk
/// (`SearchStorage`), for spaces beyond RAM, and with checkpoints.
///
/// It takes the same decisions as `BreadthFirstSearch`, in the same order: the frontier is
/// read back from its level file in batches; safety checks run on it first (the first deciding
/// state in frontier order); then each batch is expanded (on `workers` threads, chunk by chunk)
/// and its successors are offered in frontier order to `DiskSearchLevel`, which accepts the
/// first discoverer of each fingerprint. Counts, verdicts and shortest traces are the
/// in-memory search's, for any number of workers.
///
/// Frontier entries are written as raw bytes, so `System.Frontier.Entry` must be trivial (no
/// references): packed states (IC-Ring, TwoPhase) and the IC model's `QueuedICState` (indices
/// into component tables, which stay in memory and are not compacted in this mode). A
/// checkpoint of the latter keeps no entries: it keeps each state's successor index
/// (`SuccessorLog`) and recovery re-executes the frontier's paths (`LogReplayer`).
@usableFromInline
struct DiskBreadthFirstSearch<System: TransitionSystem> {
    @usableFromInline let search: BreadthFirstSearch<System>

    @inlinable init(_ search: BreadthFirstSearch<System>) { self.search = search }

    @inlinable var system: System { search.system }
    @inlinable var options: CheckerOptions { search.options }
    @inlinable var checks: SafetyChecks<System> { search.checks }

    /// The search's working directory under `directory` (removed at the end).
    @usableFromInline
    static func workDirectory(in directory: String) -> String {
        "\(directory)/icmc-search-\(getpid())"
    }

    @inlinable
    func run(progress: ((ProgressReport) -> Void)?) -> CheckResult<System> {
        let clock = ContinuousClock()
        let start = clock.now
        let storage = options.storage
        let workers = max(1, options.workers)
        let base = storage.disk?.directory ?? storage.checkpoint?.directory ?? storage.recoverDirectory!
        let directory = Self.workDirectory(in: base)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var counters = SearchCounters(options: options, start: start, progress: progress)
        counters.log = ParentLog(directory: directory)
        let store = system.makeFrontier()
        var level = DiskSearchLevel<System>(
            directory: directory, budget: storage.disk?.fingerprintBudget ?? Int.max, preallocate: storage.disk != nil,
            counters: counters, store: store)
        if Checkpoint.replaysFrontier(System.self), storage.checkpoint != nil || storage.recoverDirectory != nil {
            level.successorLog = SuccessorLog(directory: directory)
        }
        defer { level.removeFiles() }
        let checkCount = checks.checks.count
        var warnings: [String] = []
        var traces: [Trace<System>?] = Array(repeating: nil, count: checkCount)
        // Per decided check, the id and frontier entry of its last state (what a checkpoint keeps).
        var traced: [(id: Int, entry: System.Frontier.Entry)?] = Array(repeating: nil, count: checkCount)
        let stopWhenDecided = options.stopOnViolation && checkCount > 0
        var distinctOverride: Int?
        var frontierBase = 0
        var elapsedBefore = 0.0
        var outcome = CheckOutcome.complete

        if let recover = storage.recoverDirectory {
            do {
                let restored = try Checkpoint.restore(from: recover, into: &level, search: self)
                frontierBase = restored.frontierBase
                elapsedBefore = restored.seconds
                for (check, id, entry) in restored.traced {
                    traced[check] = (id, entry)
                    traces[check] = trace(to: id, state: store.state(of: entry), log: level.counters.log, warnings: &warnings)
                }
            } catch {
                warnings.append("recover: \(error)")
                return finish(outcome: .interrupted, level: level, traces: traces, warnings: warnings, start: start, override: nil)
            }
        } else {
            for (index, state) in system.initialStates.enumerated() {
                let fingerprint = state.fingerprint
                guard level.visited.insert(fingerprint) else { continue }
                if level.counters.log.count >= level.counters.stateLimit {
                    level.counters.stateLimitHit = true
                    break
                }
                level.admit(store.entry(for: state), fingerprint: fingerprint, parent: ParentLog.noParent, successor: UInt32(index))
            }
            level.advance()
        }
        var undecided = traces.filter { $0 == nil }.count
        var lastCheckpoint = clock.now
        var levelsSinceCheckpoint = 0

        func recordTrace(check: Int, frontierIndex: Int) {
            guard traces[check] == nil else { return }
            let id = frontierBase + frontierIndex
            let entry = level.current.entry(at: frontierIndex)
            traces[check] = trace(to: id, state: store.state(of: entry), log: level.counters.log, warnings: &warnings)
            traced[check] = (id, entry)
            undecided -= 1
        }

        levels: while true {
            if let checkpoint = storage.checkpoint, levelsSinceCheckpoint > 0,
                checkpoint.everyLevels.map({ levelsSinceCheckpoint >= $0 }) ?? false
                    || checkpoint.interval.map({ clock.now - lastCheckpoint >= $0 }) ?? false
            {
                let decided = traced.enumerated().compactMap { check, found in found.map { (check, $0.id, $0.entry) } }
                Checkpoint.write(
                    to: checkpoint.directory, level: &level, search: self, frontierBase: frontierBase, traced: decided,
                    seconds: elapsedBefore + (clock.now - start).seconds)
                lastCheckpoint = clock.now
                levelsSinceCheckpoint = 0
            }
            // Phase 1: safety checks on the frontier.
            let open = checks.stateChecks.filter { traces[$0] == nil }
            guard let hits = firstDecidingStates(level: level, open: open, workers: workers) else {
                outcome = .interrupted
                break
            }
            for (check, index) in hits { recordTrace(check: check, frontierIndex: index) }
            let frontierCount = level.current.count
            if stopWhenDecided && undecided == 0 { outcome = .stoppedOnViolation; break }
            if level.counters.stateLimitHit { outcome = .stateLimitReached; break }
            if frontierCount == 0 { outcome = .complete; break }
            if let stop = level.counters.limits.reached(after: frontierCount) { outcome = stop; break }
            if let maxDepth = options.maxDepth, level.counters.depth >= maxDepth {
                outcome = anyWithinBoundary(level.current, store: store) ? .depthLimitReached : .complete
                break
            }

            // Phases 2-4.
            let nextBase = level.counters.log.count
            let expansion = expand(&level, base: frontierBase, workers: workers)
            if let stop = expansion.stop { outcome = stop; break levels }
            if let deadlockCheck = checks.deadlockCheck, traces[deadlockCheck] == nil, let firstDeadlock = expansion.firstDeadlock {
                recordTrace(check: deadlockCheck, frontierIndex: firstDeadlock)
                if stopWhenDecided && undecided == 0 {
                    distinctOverride = nextBase
                    outcome = .stoppedOnViolation
                    break
                }
            }
            level.advance()
            frontierBase = nextBase
            if level.current.count > 0 { level.counters.depth += 1 }
            levelsSinceCheckpoint += 1
            level.counters.report(queue: level.current.count)
        }
        return finish(
            outcome: outcome, level: level, traces: traces, warnings: warnings, start: start, override: distinctOverride,
            elapsedBefore: elapsedBefore)
    }
}
