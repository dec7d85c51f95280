/// Sequential depth-first search with the same visited set and parent log as the BFS.
///
/// Explores the same states as BFS when unbounded. With `maxDepth`, a state first reached by a
/// long path is not re-expanded when a shorter path reaches it later, so a depth-bounded DFS can
/// explore fewer states than a depth-bounded BFS (as in TLC).
@usableFromInline
struct DepthFirstSearch<System: TransitionSystem> {
    @usableFromInline let system: System
    @usableFromInline let options: CheckerOptions
    @usableFromInline let checks: SafetyChecks<System>

    @inlinable
    init(system: System, options: CheckerOptions, checks: SafetyChecks<System>) {
        self.system = system
        self.options = options
        self.checks = checks
    }

    @inlinable
    func run(progress: ((ProgressReport) -> Void)?) -> CheckResult<System> {
        let clock = ContinuousClock()
        let start = clock.now
        let visited = ShardedFingerprintSet(shardCount: 1)
        var log = ParentLog()
        var warnings: [String] = []
        var traces: [Trace<System>?] = Array(repeating: nil, count: checks.checks.count)
        var undecided = checks.checks.count
        let stateLimit = min(options.maxStates ?? ParentLog.maxStates, ParentLog.maxStates)
        let stopWhenDecided = options.stopOnViolation && !checks.isEmpty
        var transitions = 0
        var terminal = 0
        var deepest = 0
        var depthLimited = false
        var stateLimitHit = false
        var stack: [(state: System.State, id: UInt32, depth: Int)] = []

        func record(_ check: Int, id: UInt32, state: System.State) {
            guard traces[check] == nil else { return }
            traces[check] =
                log.trace(to: id, finalState: state, system: system, warnings: &warnings)
                ?? Trace(system: system, initialState: state, steps: [])
            undecided -= 1
        }

        /// Stores a new state and checks it; returns false when the state limit is hit.
        func discover(_ state: System.State, fingerprint: UInt64, parent: UInt32, depth: Int) -> Bool {
            guard log.count < stateLimit else {
                stateLimitHit = true
                return false
            }
            guard visited.insert(fingerprint) else { return true }
            let id = UInt32(log.count)
            log.append(parent: parent, fingerprint: fingerprint)
            for check in checks.stateChecks where traces[check] == nil && checks.decides(check, state) {
                record(check, id: id, state: state)
            }
            deepest = max(deepest, depth)
            stack.append((state, id, depth))
            return true
        }

        var outcome = CheckOutcome.complete
        var limits = SearchLimits(options, start: start)
        for state in system.initialStates {
            if !discover(state, fingerprint: state.fingerprint, parent: ParentLog.noParent, depth: 0) { break }
        }
        var expansions = 0
        var lastReport = start
        while let (state, id, depth) = stack.popLast() {
            if stopWhenDecided && undecided == 0 { outcome = .stoppedOnViolation; break }
            if stateLimitHit { outcome = .stateLimitReached; break }
            expansions &+= 1
            if expansions & 1023 == 0 {
                if let stop = limits.reached(after: 1024) { outcome = stop; break }
                if let progress, let interval = options.progressInterval, clock.now - lastReport >= interval {
                    lastReport = clock.now
                    progress(
                        ProgressReport(
                            distinctStates: log.count, transitions: transitions, queueSize: stack.count,
                            depth: deepest, seconds: (clock.now - start).seconds))
                }
            }
            guard system.isWithinBoundary(state) else { continue }
            if let maxDepth = options.maxDepth, depth >= maxDepth {
                depthLimited = true
                continue
            }
            var successors = 0
            system.forEachSuccessor(of: state) { _, successor in
                successors &+= 1
                if stateLimitHit { return }
                _ = discover(successor, fingerprint: successor.fingerprint, parent: id, depth: depth + 1)
            }
            transitions &+= successors
            if successors == 0 {
                terminal &+= 1
                if let deadlockCheck = checks.deadlockCheck { record(deadlockCheck, id: id, state: state) }
            }
        }
        if outcome == .complete {
            if stopWhenDecided && undecided == 0 {
                outcome = .stoppedOnViolation
            } else if stateLimitHit {
                outcome = .stateLimitReached
            } else if depthLimited {
                outcome = .depthLimitReached
            }
        }
        let statistics = CheckStatistics(
            distinctStates: log.count, transitions: transitions, terminalStates: terminal, maxDepth: deepest,
            seconds: (clock.now - start).seconds, peakMemoryBytes: peakMemoryBytes(), workers: 1)
        return CheckResult(
            modelName: system.name, outcome: outcome, statistics: statistics,
            verdicts: checks.verdicts(system: system, traces: traces, outcome: outcome), warnings: warnings)
    }
}
