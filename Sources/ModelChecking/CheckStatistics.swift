import Foundation

/// Figures about one search.
public struct CheckStatistics: Sendable, Hashable, Codable {
    /// Distinct states stored (by fingerprint), including initial states and states outside
    /// the boundary.
    public var distinctStates: Int
    /// Every (state, enabled action) pair examined, including those leading to seen states.
    public var transitions: Int
    /// Expanded states without successors.
    public var terminalStates: Int
    /// The largest depth (steps from an initial state) of a stored state.
    public var maxDepth: Int
    /// Wall-clock seconds of the search.
    public var seconds: Double
    /// Peak resident memory of the process in bytes (see `peakMemoryBytes()`).
    public var peakMemoryBytes: Int
    /// Threads used.
    public var workers: Int
    /// Batches of a parallel breadth-first search run on all workers, and on one because that
    /// was faster (see `WorkerPolicy.adaptive`); both 0 for other searches.
    public var parallelBatches: Int
    public var sequentialBatches: Int
    /// States outside the model's boundary, which are stored but not expanded. Counted by the
    /// liveness checker (runs through them are not judged); `nil` for the safety searches.
    public var statesOutsideBoundary: Int?
    /// Strongly connected components the liveness checker examined (fairness refinements
    /// included); `nil` for the safety searches.
    public var stronglyConnectedComponents: Int?

    public init(
        distinctStates: Int = 0, transitions: Int = 0, terminalStates: Int = 0, maxDepth: Int = 0,
        seconds: Double = 0, peakMemoryBytes: Int = 0, workers: Int = 1, parallelBatches: Int = 0,
        sequentialBatches: Int = 0, statesOutsideBoundary: Int? = nil, stronglyConnectedComponents: Int? = nil
    ) {
        self.parallelBatches = parallelBatches
        self.sequentialBatches = sequentialBatches
        self.distinctStates = distinctStates
        self.transitions = transitions
        self.terminalStates = terminalStates
        self.maxDepth = maxDepth
        self.seconds = seconds
        self.peakMemoryBytes = peakMemoryBytes
        self.workers = workers
        self.statesOutsideBoundary = statesOutsideBoundary
        self.stronglyConnectedComponents = stronglyConnectedComponents
    }

    /// The figures of two checks of one system (a safety search and a liveness check): the
    /// larger of each count, the sum of the seconds.
    public func combined(with other: CheckStatistics) -> CheckStatistics {
        func larger(_ a: Int?, _ b: Int?) -> Int? { a.map { max($0, b ?? $0) } ?? b }
        return CheckStatistics(
            distinctStates: max(distinctStates, other.distinctStates), transitions: max(transitions, other.transitions),
            terminalStates: max(terminalStates, other.terminalStates), maxDepth: max(maxDepth, other.maxDepth),
            seconds: seconds + other.seconds, peakMemoryBytes: max(peakMemoryBytes, other.peakMemoryBytes),
            workers: max(workers, other.workers), parallelBatches: parallelBatches + other.parallelBatches,
            sequentialBatches: sequentialBatches + other.sequentialBatches,
            statesOutsideBoundary: larger(statesOutsideBoundary, other.statesOutsideBoundary),
            stronglyConnectedComponents: larger(stronglyConnectedComponents, other.stronglyConnectedComponents))
    }

    /// Distinct states per second.
    public var statesPerSecond: Double { seconds > 0 ? Double(distinctStates) / seconds : 0 }

    /// Successor states generated, one per transition (TLC's "states generated" without the
    /// initial states).
    public var generatedStates: Int { transitions }

    /// The estimated probability that a fingerprint collision hid a state; see
    /// `collisionProbability(distinct:generated:)`.
    public var collisionProbability: Double {
        Self.collisionProbability(distinct: distinctStates, generated: generatedStates)
    }

    /// TLC's "optimistic" fingerprint-collision estimate: `P ≈ n · (m − n) / 2⁶⁴` for `n`
    /// distinct states and `m` generated states (here: transitions).
    ///
    /// Each of the `m − n` generated states that matched a stored fingerprint could have matched
    /// one of `n` fingerprints by accident, each with probability 2⁻⁶⁴. (The birthday bound over
    /// the stored fingerprints alone, `n² / 2⁶⁵`, is of the same order.)
    public static func collisionProbability(distinct n: Int, generated m: Int) -> Double {
        let revisits = Double(max(m - n, 0))
        return Double(n) * revisits / 18_446_744_073_709_551_616.0
    }
}

/// A progress snapshot, reported every `CheckerOptions.progressInterval` during long searches.
public struct ProgressReport: Sendable, Hashable {
    public var distinctStates: Int
    public var transitions: Int
    /// States waiting to be expanded (the BFS frontier or the DFS stack).
    public var queueSize: Int
    public var depth: Int
    public var seconds: Double

    public init(distinctStates: Int, transitions: Int, queueSize: Int, depth: Int, seconds: Double) {
        self.distinctStates = distinctStates
        self.transitions = transitions
        self.queueSize = queueSize
        self.depth = depth
        self.seconds = seconds
    }

    public var statesPerSecond: Double { seconds > 0 ? Double(distinctStates) / seconds : 0 }

    /// One human-readable line, e.g. for stderr.
    public var line: String {
        "progress: \(distinctStates) states, \(Int(statesPerSecond)) states/s, queue \(queueSize), depth \(depth), \(String(format: "%.1f", seconds)) s"
    }

    /// A reporter that prints `line` to standard error; pass it to `Checker.run(progress:)`.
    public static func printToStandardError(_ report: ProgressReport) {
        FileHandle.standardError.write(Data((report.line + "\n").utf8))
    }
}
