/// Seeded random simulation: `walks` walks of at most `depth` steps, each from a uniformly
/// chosen initial state, taking a uniformly chosen successor at every step.
///
/// Walk `i` draws from its own xoshiro256** generator seeded from `(seed, i)`, so a seed
/// reproduces every walk. A violation's trace is the walk's prefix (the shortest among the
/// walks only by chance). Distinct states are counted with the usual fingerprint table.
@usableFromInline
struct RandomWalkSearch<System: TransitionSystem> {
    @usableFromInline let system: System
    @usableFromInline let options: CheckerOptions
    @usableFromInline let checks: SafetyChecks<System>
    @usableFromInline let seed: UInt64
    @usableFromInline let walks: Int
    @usableFromInline let depth: Int

    @inlinable
    init(system: System, options: CheckerOptions, checks: SafetyChecks<System>, seed: UInt64, walks: Int, depth: Int) {
        self.system = system
        self.options = options
        self.checks = checks
        self.seed = seed
        self.walks = walks
        self.depth = depth
    }

    @inlinable
    func run(progress: ((ProgressReport) -> Void)?) -> CheckResult<System> {
        let clock = ContinuousClock()
        let start = clock.now
        let visited = ShardedFingerprintSet(shardCount: 1)
        var traces: [Trace<System>?] = Array(repeating: nil, count: checks.checks.count)
        var undecided = checks.checks.count
        let stopWhenDecided = options.stopOnViolation && !checks.isEmpty
        let maxSteps = min(depth, options.maxDepth ?? depth)
        let stateLimit = options.maxStates ?? Int.max
        let initialStates = system.initialStates
        var transitions = 0
        var terminal = 0
        var deepest = 0
        var lastReport = start
        var outcome = CheckOutcome.simulationFinished
        var limits = SearchLimits(options, start: start)
        var successors: [(action: System.Action, state: System.State)] = []
        var steps: [Trace<System>.Step] = []

        walking: for walk in 0..<max(walks, 0) where !initialStates.isEmpty {
            if let stop = limits.reached(after: 1024) { outcome = stop; break }
            if let progress, let interval = options.progressInterval, clock.now - lastReport >= interval {
                lastReport = clock.now
                progress(
                    ProgressReport(
                        distinctStates: visited.count, transitions: transitions, queueSize: walks - walk,
                        depth: deepest, seconds: (clock.now - start).seconds))
            }
            var seeder = SplitMix64(seed: seed ^ (UInt64(walk) &* 0xD1B5_4A32_D192_ED03))
            var random = Xoshiro256(seed: seeder.next())
            let initial = initialStates[random.next(below: initialStates.count)]
            var state = initial
            steps.removeAll(keepingCapacity: true)

            func visit(_ state: System.State) {
                _ = visited.insert(state.fingerprint)
                deepest = max(deepest, steps.count)
                for check in checks.stateChecks where traces[check] == nil && checks.decides(check, state) {
                    traces[check] = Trace(system: system, initialState: initial, steps: steps)
                    undecided -= 1
                }
            }

            visit(state)
            for _ in 0..<maxSteps {
                if stopWhenDecided && undecided == 0 { outcome = .stoppedOnViolation; break walking }
                if visited.count >= stateLimit { outcome = .stateLimitReached; break walking }
                guard system.isWithinBoundary(state) else { break }
                successors.removeAll(keepingCapacity: true)
                system.forEachSuccessor(of: state) { successors.append((action: $0, state: $1)) }
                transitions += successors.count
                if successors.isEmpty {
                    terminal += 1
                    if let deadlockCheck = checks.deadlockCheck, traces[deadlockCheck] == nil {
                        traces[deadlockCheck] = Trace(system: system, initialState: initial, steps: steps)
                        undecided -= 1
                    }
                    break
                }
                let chosen = successors[random.next(below: successors.count)]
                steps.append(Trace<System>.Step(action: chosen.action, state: chosen.state))
                state = chosen.state
                visit(state)
            }
            if stopWhenDecided && undecided == 0 { outcome = .stoppedOnViolation; break }
        }
        let statistics = CheckStatistics(
            distinctStates: visited.count, transitions: transitions, terminalStates: terminal, maxDepth: deepest,
            seconds: (clock.now - start).seconds, peakMemoryBytes: peakMemoryBytes(), workers: 1)
        return CheckResult(
            modelName: system.name, outcome: outcome, statistics: statistics,
            verdicts: checks.verdicts(system: system, traces: traces, outcome: outcome), warnings: [])
    }
}
