import Foundation

/// Breadth-first search over several processes (ranks) that finds exactly what the
/// single-process `BreadthFirstSearch` finds: the same counts, verdicts and shortest traces,
/// for any number of ranks.
///
/// Two ownerships, both deterministic:
/// - the **visited set** is partitioned by fingerprint: rank `owner(fp)` decides whether a
///   state is new;
/// - the **frontier** is partitioned by position: level `d`'s states have global positions
///   `0..<n` (their order in a sequential BFS) and rank `r` expands the block
///   `n·r/R ..< n·(r+1)/R`.
///
/// A level: (1) the safety checks on each block, the first deciding position agreed by a
/// minimum reduction; (2) each rank expands its block in batches and sends each successor's
/// fingerprint to its owner (successors stay where they were generated); (3) each owner
/// inserts the fingerprints sender by sender, batch by batch, which is the order
/// (parent position, successor index) of a sequential BFS, so the first discoverer wins, and
/// answers with one bit per fingerprint; (4) a rank's accepted successors are then a
/// contiguous range of the next level's positions (an exclusive prefix sum of the counts), the
/// level ends when the global count is 0, and states outside the rank's next block move to
/// their block's rank as paths (`StatePaths`), which the receiver re-executes.
/// A counterexample is the path of the deciding state, broadcast by its holder and
/// re-executed by every rank.
@usableFromInline
struct DistributedBreadthFirstSearch<System: TransitionSystem> {
    @usableFromInline let system: System
    @usableFromInline let options: CheckerOptions
    @usableFromInline let checks: SafetyChecks<System>
    @usableFromInline let communicator: any Communicator
    @usableFromInline let ranks: Int
    @usableFromInline let rank: Int

    @inlinable
    init(system: System, options: CheckerOptions, checks: SafetyChecks<System>, communicator: any Communicator) {
        self.system = system
        self.options = options
        self.checks = checks
        self.communicator = communicator
        ranks = communicator.size
        rank = communicator.rank
    }

    /// The rank whose visited set holds `fingerprint` (mixed, so that neither the table's home
    /// slot, from the high bits, nor its shard, from the low bits, is constant on a rank).
    @inlinable @inline(__always)
    func owner(_ fingerprint: UInt64) -> Int {
        Int(truncatingIfNeeded: (fingerprint &* 0x9E37_79B9_7F4A_7C15) &>> 33) % ranks
    }

    /// The first position of rank `r`'s block of a level of `count` states.
    @inlinable @inline(__always)
    func blockStart(_ r: Int, of count: Int) -> Int { Int((Int64(count) * Int64(r)) / Int64(ranks)) }

    /// Agrees on a stop: the most severe of the ranks' local outcomes, or `nil`.
    @inlinable
    func agreedStop(_ local: CheckOutcome?) -> CheckOutcome? {
        Self.outcome(stopCode: UInt64(communicator.reduce([Int64(Self.stopCode(local))], .maximum)[0]))
    }

    /// The state of a search between levels, on one rank.
    @usableFromInline
    struct Level {
        /// This rank's block of the level, in position order, and the states' paths.
        @usableFromInline var frontier: [System.Frontier.Entry] = []
        @usableFromInline var paths: StatePaths
        /// Global id of the level's first state (states before it, all levels).
        @usableFromInline var base = 0
        /// The level's states, all ranks.
        @usableFromInline var count = 0
        /// Per rank, the position of its first state in the level, then the level's count: rank
        /// `r` holds `starts[r] ..< starts[r + 1]`.
        @usableFromInline var starts: [Int] = []

        /// Position of this rank's first state in the level.
        @usableFromInline var start = 0

        /// The rank that holds `position`.
        @inlinable
        func holder(of position: Int) -> Int {
            var lower = 0
            var upper = starts.count - 2
            while lower < upper {
                let middle = (lower + upper + 1) / 2
                if starts[middle] <= position { lower = middle } else { upper = middle - 1 }
            }
            return lower
        }

        @inlinable init(pathLength: Int) { paths = StatePaths(length: pathLength) }
    }

    /// The checks decided so far, with the traces and the paths of their deciding states (what
    /// a checkpoint keeps).
    @usableFromInline
    struct Decisions {
        @usableFromInline var decided: [Bool]
        @usableFromInline var traces: [Trace<System>?]
        @usableFromInline var paths: [(check: Int, path: [UInt32])] = []
        @usableFromInline var undecided: Int
        @usableFromInline var warnings: [String] = []

        @inlinable
        init(checks: Int) {
            decided = Array(repeating: false, count: checks)
            traces = Array(repeating: nil, count: checks)
            undecided = checks
        }

        /// Records that `check` is decided by the state at the end of `path`, if it was open.
        @inlinable
        mutating func record(check: Int, trace: Trace<System>?, path: [UInt32]) {
            guard check >= 0, check < decided.count, !decided[check] else { return }
            decided[check] = true
            undecided -= 1
            traces[check] = trace
            paths.append((check, path))
        }
    }

    @inlinable
    func run(progress: ((ProgressReport) -> Void)?) -> CheckResult<System> {
        let clock = ContinuousClock()
        let started = clock.now
        let visited = ShardedFingerprintSet(shardCount: 16)
        let store = system.makeFrontier()
        let initialStates = system.initialStates
        var decisions = Decisions(checks: checks.checks.count)
        let stopWhenDecided = options.stopOnViolation && !checks.checks.isEmpty
        var counters = SearchCounters(options: options, start: started, progress: progress)
        var distinctOverride: Int?
        var outcome = CheckOutcome.complete
        var level = initialLevel(initialStates, visited: visited, store: store, counters: &counters)
        var distinct = level.count
        var traffic = DistributedTraffic()
        var elapsedBefore = 0.0
        var lastCheckpoint = clock.now
        var levelsSinceCheckpoint = 0

        func recordTrace(check: Int, id: Int) {
            guard !decisions.decided[check] else { return }
            let found = traceTo(id: id, level: level, initialStates: initialStates)
            if found.trace == nil { decisions.warnings.append("distributed search: the path of a state did not re-execute (nondeterministic model?)") }
            decisions.record(check: check, trace: found.trace, path: found.path)
        }

        if let recover = options.storage.recoverDirectory {
            let restored = restoreCheckpoint(from: recover, visited: visited, store: store, initialStates: initialStates)
            if let problem = agreedProblem(restored == nil ? "the checkpoint in \(recover) does not re-execute on this model" : nil) {
                return CheckResult(
                    modelName: system.name, outcome: .interrupted, statistics: CheckStatistics(),
                    verdicts: checks.verdicts(system: system, traces: decisions.traces, outcome: .interrupted),
                    warnings: ["recover: \(problem)"])
            }
            resume(from: restored!, level: &level, counters: &counters, decisions: &decisions, initialStates: initialStates)
            distinct = restored!.header.distinct
            elapsedBefore = restored!.header.seconds
        }

        levels: while true {
            if let checkpoint = options.storage.checkpoint, levelsSinceCheckpoint > 0 {
                // Every rank must agree: levels are counted alike, clocks are not.
                let due =
                    checkpoint.everyLevels.map { levelsSinceCheckpoint >= $0 } ?? false
                    || communicator.reduce([checkpoint.interval.map { clock.now - lastCheckpoint >= $0 } == true ? 1 : 0], .maximum)[0] == 1
                if due {
                    writeCheckpoint(
                        to: checkpoint.directory, level: level, visited: visited, counters: counters, distinct: distinct,
                        traced: decisions.paths, seconds: elapsedBefore + (clock.now - started).seconds)
                    lastCheckpoint = clock.now
                    levelsSinceCheckpoint = 0
                }
            }
            // Phase 1: the safety checks, the first deciding state of each agreed by position.
            let open = checks.stateChecks.filter { !decisions.decided[$0] }
            let firstIds = firstDecidingIds(of: level, store: store, open: open)
            let localLimit = counters.limits.reached(after: level.frontier.count)
            if let stop = agreedStop(firstIds == nil ? .interrupted : nil) {
                outcome = stop
                break
            }
            for (position, id) in communicator.reduce(firstIds!, .minimum).enumerated() where id != .max {
                recordTrace(check: open[position], id: Int(id))
            }
            if let stop = levelStop(level, store: store, counters: counters, decisions: decisions, localLimit: localLimit) {
                outcome = stop
                break
            }

            // Phases 2-4.
            let expansion = expand(level, store: store, visited: visited, counters: &counters)
            traffic.add(expansion)
            if let stop = expansion.stop { outcome = stop; break levels }
            let totals = communicator.reduce([Int64(expansion.transitions), Int64(expansion.terminal)], .sum)
            let firstDeadlock = communicator.reduce(
                [expansion.firstDeadlock.map { Int64(level.start + $0) } ?? .max], .minimum)[0]
            counters.transitions += Int(totals[0])
            counters.terminal += Int(totals[1])
            let counts = communicator.allGather(Int64(expansion.children.count)).map(Int.init)
            let accepted = counts.reduce(0, +)
            let nextBase = level.base + level.count
            let nextCount = min(accepted, counters.stateLimit - nextBase)
            if accepted > nextCount { counters.stateLimitHit = true }

            if let deadlockCheck = checks.deadlockCheck, !decisions.decided[deadlockCheck], firstDeadlock != .max {
                recordTrace(check: deadlockCheck, id: level.base + Int(firstDeadlock))
                if stopWhenDecided && decisions.undecided == 0 {
                    distinctOverride = nextBase
                    outcome = .stoppedOnViolation
                    break
                }
            }
            level = redistribute(
                expansion, of: level, counts: counts, nextCount: nextCount, store: store, initialStates: initialStates,
                traffic: &traffic)
            level.base = nextBase
            distinct = nextBase + nextCount
            if nextCount > 0 { counters.depth += 1 }
            levelsSinceCheckpoint += 1
            if rank == 0, progress != nil {
                counters.report(distinct: distinct, queue: level.count)
            }
        }

        reportTraffic(traffic, distinct: distinctOverride ?? distinct, transitions: counters.transitions)
        return finish(
            outcome: outcome, distinct: distinctOverride ?? distinct, counters: counters, decisions: decisions,
            elapsedBefore: elapsedBefore, seconds: (clock.now - started).seconds)
    }

    /// Level 0: the distinct initial states in order, block-partitioned; their owners remember them.
    @inlinable
    func initialLevel(
        _ initialStates: [System.State], visited: ShardedFingerprintSet, store: System.Frontier, counters: inout SearchCounters
    ) -> Level {
        var level = Level(pathLength: 1)
        var seen = Set<UInt64>()
        var initial: [Int] = []
        for (index, state) in initialStates.enumerated() where seen.insert(state.fingerprint).inserted {
            if initial.count >= counters.stateLimit {
                counters.stateLimitHit = true
                break
            }
            initial.append(index)
            if owner(state.fingerprint) == rank { _ = visited.insert(state.fingerprint) }
        }
        level.count = initial.count
        level.starts = (0...ranks).map { blockStart($0, of: level.count) }
        level.start = level.starts[rank]
        for position in level.start..<level.starts[rank + 1] {
            level.frontier.append(store.entry(for: initialStates[initial[position]]))
            level.paths.append(CollectionOfOne(UInt32(initial[position])))
        }
        return level
    }

    /// Takes up a search where the checkpoint `restored` left it.
    @inlinable
    func resume(
        from restored: RestoredSearch, level: inout Level, counters: inout SearchCounters, decisions: inout Decisions,
        initialStates: [System.State]
    ) {
        let header = restored.header
        level = restored.level
        counters.transitions = header.transitions
        counters.terminal = header.terminal
        counters.depth = header.depth
        counters.stateLimitHit = header.stateLimitHit
        for (check, path) in restored.traced {
            decisions.record(
                check: check, trace: PathReplayer.trace(along: path, system: system, initialStates: initialStates), path: path)
        }
    }

    /// Phase 1 on this rank's block: per open check, the global id of its first deciding state
    /// (`Int64.max` if none), for the minimum reduction; `nil` if cancelled.
    @inlinable
    func firstDecidingIds(of level: Level, store: System.Frontier, open: [Int]) -> [Int64]? {
        let sequential = BreadthFirstSearch(system: system, options: options, checks: checks)
        guard let hits = sequential.firstDecidingStates(in: level.frontier, store: store, open: open, workers: max(1, options.workers))
        else { return nil }
        var firstIds = Array(repeating: Int64.max, count: open.count)
        for (check, index) in hits { firstIds[open.firstIndex(of: check)!] = Int64(level.base + level.start + index) }
        return firstIds
    }

    /// Why the search ends before expanding `level` (all ranks agree), or `nil` to go on.
    @inlinable
    func levelStop(
        _ level: Level, store: System.Frontier, counters: SearchCounters, decisions: Decisions, localLimit: CheckOutcome?
    ) -> CheckOutcome? {
        if options.stopOnViolation && !checks.checks.isEmpty && decisions.undecided == 0 { return .stoppedOnViolation }
        if counters.stateLimitHit { return .stateLimitReached }
        if level.count == 0 { return .complete }
        if let stop = agreedStop(localLimit) { return stop }
        if let maxDepth = options.maxDepth, counters.depth >= maxDepth {
            let inside = level.frontier.contains { system.isWithinBoundary(store.state(of: $0)) }
            return communicator.reduce([inside ? 1 : 0], .maximum)[0] == 1 ? .depthLimitReached : .complete
        }
        return nil
    }

    /// The result, with the figures agreed by all ranks (collective): `seconds` this run took
    /// on this rank, after `elapsedBefore` in the runs a checkpoint resumed.
    @inlinable
    func finish(
        outcome: CheckOutcome, distinct: Int, counters: SearchCounters, decisions: Decisions, elapsedBefore: Double,
        seconds: Double
    ) -> CheckResult<System> {
        let peak = communicator.reduce([Int64(peakMemoryBytes())], .maximum)[0]
        let slowest = elapsedBefore + Double(communicator.reduce([Int64((seconds * 1e6).rounded())], .maximum)[0]) / 1e6
        let statistics = CheckStatistics(
            distinctStates: distinct, transitions: counters.transitions, terminalStates: counters.terminal,
            maxDepth: counters.depth, seconds: slowest, peakMemoryBytes: Int(peak), workers: ranks)
        return CheckResult(
            modelName: system.name, outcome: outcome, statistics: statistics,
            verdicts: checks.verdicts(system: system, traces: decisions.traces, outcome: outcome), warnings: decisions.warnings)
    }

    /// The trace to the state with global id `id` of `level`: its holder broadcasts its path and
    /// every rank re-executes it (collective).
    @inlinable
    func traceTo(id: Int, level: Level, initialStates: [System.State]) -> (trace: Trace<System>?, path: [UInt32]) {
        let position = id - level.base
        let holder = level.holder(of: position)
        var path = Array(repeating: Int64(0), count: level.paths.length)
        if holder == rank {
            for (index, element) in level.paths.path(position - level.start).enumerated() { path[index] = Int64(element) }
        }
        let shared = communicator.broadcast(path, from: holder).map { UInt32(truncatingIfNeeded: $0) }
        return (PathReplayer.trace(along: shared, system: system, initialStates: initialStates), shared)
    }
}

extension DistributedBreadthFirstSearch {
    /// Prints the traffic summed over ranks on rank 0's stderr when `ICMC_DISTRIBUTED_STATS` is set.
    @inlinable
    func reportTraffic(_ traffic: DistributedTraffic, distinct: Int, transitions: Int) {
        let sums = communicator.reduce(
            [traffic.fingerprintWords, traffic.answerWords, traffic.pathWords, traffic.statesMoved].map(Int64.init), .sum)
        let rebalanced = "\(traffic.rebalances) of \(traffic.levels) levels rebalanced"
        guard rank == 0, ProcessInfo.processInfo.environment["ICMC_DISTRIBUTED_STATS"] != nil else { return }
        let perState = { (words: Int64) in String(Double(words * 8) / Double(max(distinct, 1))) }
        let line = "distributed: \(ranks) ranks, \(traffic.levels) levels (\(rebalanced)), \(traffic.batches) batches per rank; to other ranks: "
            + "\(sums[0]) fingerprint words (\(perState(sums[0])) B/state), \(sums[1]) answer words (\(perState(sums[1])) B/state), "
            + "\(sums[2]) path words for \(sums[3]) moved states (\(perState(sums[2])) B/state); \(distinct) states, \(transitions) transitions\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

extension SearchCounters {
    /// `report(queue:)` with the global count of distinct states (a distributed search keeps no
    /// parent log).
    @inlinable
    mutating func report(distinct: Int, queue: Int) {
        let now = ContinuousClock.now
        guard let progress, let progressInterval, now - lastReport >= progressInterval else { return }
        lastReport = now
        progress(
            ProgressReport(
                distinctStates: distinct, transitions: transitions, queueSize: max(queue, 0), depth: depth,
                seconds: (now - start).seconds))
    }
}
