import Foundation

/// The order in which the checker explores states.
public enum SearchStrategy: Sendable, Hashable {
    /// Level by level; counterexamples are shortest. Runs on `CheckerOptions.workers` threads.
    case breadthFirst
    /// Depth first on one thread; finds deep states early, counterexamples are not shortest.
    case depthFirst
    /// `walks` random walks of at most `depth` steps each, driven by a deterministic PRNG seeded
    /// with `seed`: the same seed gives the same walks. Can find violations, never prove absence.
    case randomWalk(seed: UInt64, walks: Int, depth: Int)
}

/// How a `Checker` searches and when it stops.
public struct CheckerOptions: Sendable {
    public var strategy: SearchStrategy
    /// Threads for breadth-first search. Results (counts, verdicts, traces) do not depend on it.
    public var workers: Int
    /// States at this depth (steps from an initial state) are checked but not expanded.
    public var maxDepth: Int?
    /// Stop with `.stateLimitReached` once this many distinct states are stored.
    public var maxStates: Int?
    /// Stop as soon as every safety property is decided (all `always` violated, all `sometimes`
    /// reached). `false` explores everything, e.g. for a full state count.
    public var stopOnViolation: Bool
    /// How often `Checker.run(progress:)` reports progress; `nil` never.
    public var progressInterval: Duration?
    /// Set it (e.g. from a SIGINT handler) to stop the search; the result is `.interrupted`.
    public var cancellation: CancellationFlag?
    /// Stop with `.memoryLimitReached` once the process's resident memory reaches this many
    /// bytes, instead of taking the machine down: the result keeps what was found so far.
    public var memoryLimit: Int?
    /// Stop with `.timeLimitReached` after this long.
    public var timeLimit: Duration?
    /// Whether a breadth-first search with several workers may run batches on one worker when
    /// that is faster (a busy machine). Results do not depend on it.
    public var workerPolicy: WorkerPolicy = .adaptive
    /// Set it to run a breadth-first search on several processes (ranks), `workers` threads
    /// each; the results are those of a single-process search. See `DistributedBreadthFirstSearch`.
    public var communicator: (any Communicator)?
    /// Disk-backed visited set and queue, checkpoints, recovery (breadth-first search only).
    public var storage = SearchStorage()

    public init(
        strategy: SearchStrategy = .breadthFirst,
        workers: Int = CheckerOptions.defaultWorkers,
        maxDepth: Int? = nil,
        maxStates: Int? = nil,
        stopOnViolation: Bool = true,
        progressInterval: Duration? = .seconds(5),
        cancellation: CancellationFlag? = nil,
        memoryLimit: Int? = nil,
        timeLimit: Duration? = nil
    ) {
        self.strategy = strategy
        self.workers = workers
        self.maxDepth = maxDepth
        self.maxStates = maxStates
        self.stopOnViolation = stopOnViolation
        self.progressInterval = progressInterval
        self.cancellation = cancellation
        self.memoryLimit = memoryLimit
        self.timeLimit = timeLimit
    }

    /// 70 % of the machine's physical memory: the default memory limit of the command line.
    public static var defaultMemoryLimit: Int { Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.7) }

    /// The number of active processor cores.
    public static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
