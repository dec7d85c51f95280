/// Settings of a liveness check.
public struct LivenessOptions: Sendable {
    /// Threads expanding states while the graph is built. The analysis itself (SCCs, paths)
    /// is sequential. Results do not depend on this number: expansion runs in parallel but
    /// states are numbered in the same breadth-first order as a single thread would.
    public var workers: Int
    /// Stop (outcome `stateLimitReached`, every property `.incomplete`) beyond this many
    /// states: a liveness verdict needs the whole graph, so a truncated graph decides nothing.
    public var maxStates: Int?
    /// Called from the checking thread with the phase and counts, about every
    /// `progressInterval` states and at the end of each phase.
    public var progress: (@Sendable (LivenessProgress) -> Void)?
    /// States between two progress reports during exploration.
    public var progressInterval: Int
    /// Set (e.g. by Ctrl-C via `InterruptHandler`) to stop with outcome `interrupted`;
    /// checked between expansion batches and between properties.
    public var cancellation: CancellationFlag?
    /// Stop with outcome `memoryLimitReached` once the process's resident memory reaches this
    /// many bytes (checked between expansion batches), instead of taking the machine down.
    public var memoryLimit: Int?
    /// Stop with outcome `timeLimitReached` after this long (graph building and analysis).
    public var timeLimit: Duration?

    public init(
        workers: Int = 1,
        maxStates: Int? = nil,
        progressInterval: Int = 100_000,
        cancellation: CancellationFlag? = nil,
        memoryLimit: Int? = nil,
        timeLimit: Duration? = nil,
        progress: (@Sendable (LivenessProgress) -> Void)? = nil
    ) {
        self.cancellation = cancellation
        self.memoryLimit = memoryLimit
        self.timeLimit = timeLimit
        self.workers = workers
        self.maxStates = maxStates
        self.progressInterval = progressInterval
        self.progress = progress
    }
}

extension LivenessOptions {
    /// The outcome for the first limit reached (cancellation, time, memory) since `start`, or
    /// `nil`. Called between expansion batches and between properties.
    func limitReached(since start: ContinuousClock.Instant) -> CheckOutcome? {
        if cancellation?.isCancelled == true { return .interrupted }
        if let timeLimit, ContinuousClock.now - start >= timeLimit { return .timeLimitReached }
        if let memoryLimit, currentMemoryBytes() >= memoryLimit { return .memoryLimitReached }
        return nil
    }
}

/// Building the graph stopped at a limit (`outcome`) after `states` states and `edges` edges.
struct LivenessGraphStopped: Error {
    let outcome: CheckOutcome
    let states: Int
    let edges: Int
}

/// A progress report of the liveness checker.
public struct LivenessProgress: Sendable, CustomStringConvertible {
    public enum Phase: Sendable, Equatable {
        /// Building the state graph.
        case exploring
        /// Searching for fair cycles that refute the named property.
        case analyzing(property: String)
        /// The whole check is finished.
        case finished
    }

    public var phase: Phase
    /// States discovered so far.
    public var statesExplored: Int
    /// Edges (successor calls) stored so far.
    public var edges: Int
    /// Strongly connected components found so far in the current analysis.
    public var sccsFound: Int

    public var description: String {
        switch phase {
        case .exploring:
            "liveness: exploring, \(statesExplored) states, \(edges) edges"
        case .analyzing(let property):
            "liveness: analyzing '\(property)', \(sccsFound) SCCs (\(statesExplored) states)"
        case .finished:
            "liveness: done, \(statesExplored) states, \(edges) edges"
        }
    }
}

/// Why a liveness check could not run at all. (A limit is not an error: the result's outcome
/// says which limit stopped it, and its properties are `.incomplete`.)
public enum LivenessError: Error, Equatable, CustomStringConvertible {
    /// The graph has more states or edges than 32-bit indices can address.
    case graphTooLarge(states: Int, edges: Int)
    /// More than 254 distinct fairness classes were declared.
    case tooManyFairnessClasses(Int)
    /// More than 64 predicates (conditions and premises) would have to be evaluated at once.
    case tooManyPredicates(Int)
    /// The property is not `.eventually` or `.leadsTo`, or a `.leadsTo` property has no premise.
    case notALivenessProperty(name: String)
    /// Re-executing a counterexample gave a different state: the model is not deterministic.
    case nondeterministicModel(step: Int)
    /// `workers` was less than 1.
    case invalidWorkerCount(Int)

    public var description: String {
        switch self {
        case .graphTooLarge(let states, let edges):
            "liveness: graph too large for 32-bit indices (\(states) states, \(edges) edges)"
        case .tooManyFairnessClasses(let count):
            "liveness: \(count) fairness classes declared; at most 254 are supported"
        case .tooManyPredicates(let count):
            "liveness: \(count) predicates to evaluate; at most 64 per check (split the properties)"
        case .notALivenessProperty(let name):
            "liveness: property '\(name)' is not an 'eventually' or 'leadsTo' property with its premise"
        case .nondeterministicModel(let step):
            "liveness: re-executing the counterexample diverged at step \(step); the model is not deterministic"
        case .invalidWorkerCount(let count):
            "liveness: workers must be at least 1 (got \(count))"
        }
    }
}
