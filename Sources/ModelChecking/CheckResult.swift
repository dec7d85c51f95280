/// Why a search ended.
public enum CheckOutcome: String, Sendable, Hashable, Codable {
    /// Every reachable state (within the boundary) was explored.
    case complete
    /// Every safety property was decided before the state space was exhausted.
    case stoppedOnViolation
    /// States at `maxDepth` were left unexpanded: results hold only up to that depth.
    case depthLimitReached
    /// `maxStates` distinct states were stored: incomplete, never evidence that a property holds.
    case stateLimitReached
    /// The cancellation flag was set (Ctrl-C); statistics are those gathered so far.
    case interrupted
    /// Random walks finished: they can find violations but never prove a property.
    case simulationFinished
    /// The process reached `CheckerOptions.memoryLimit`: incomplete, like a state limit.
    case memoryLimitReached
    /// `CheckerOptions.timeLimit` passed: incomplete.
    case timeLimitReached

    /// Whether absence of a violation means the property holds (within the boundary).
    public var isExhaustive: Bool { self == .complete }
}

/// Why a verdict is `.unknown`.
public enum UnknownReason: String, Sendable, Hashable, Codable {
    case depthLimit, stateLimit, interrupted, simulation, memoryLimit, timeLimit
}

/// The status of one property after a search.
public enum PropertyStatus<System: TransitionSystem>: Sendable {
    /// An `always` property held in every explored state of a complete search.
    case holds
    /// An `always` property failed; the trace ends in a violating state.
    case violated(Trace<System>)
    /// A `sometimes` property was reached; the trace ends in a witness state.
    case reached(Trace<System>)
    /// A `sometimes` property holds in no reachable state (complete search).
    case notReached
    /// Not a property this checker decides (`eventually`, `leadsTo`: see the liveness checker).
    case notChecked
    /// Neither violated/reached nor proved: the search was bounded, interrupted or random.
    case unknown(UnknownReason)

    /// The counterexample or witness, if any.
    public var trace: Trace<System>? {
        switch self {
        case .violated(let trace), .reached(let trace): trace
        default: nil
        }
    }

    /// A short lower-case label: holds, violated, reached, not-reached, not-checked, unknown.
    public var label: String {
        switch self {
        case .holds: "holds"
        case .violated: "violated"
        case .reached: "reached"
        case .notReached: "not-reached"
        case .notChecked: "not-checked"
        case .unknown(let reason): "unknown (\(reason.rawValue))"
        }
    }
}

/// The checker's conclusion about one property.
public struct PropertyVerdict<System: TransitionSystem>: Sendable {
    public let name: String
    public let expectation: Property<System.State>.Expectation
    public let status: PropertyStatus<System>

    public init(name: String, expectation: Property<System.State>.Expectation, status: PropertyStatus<System>) {
        self.name = name
        self.expectation = expectation
        self.status = status
    }

    /// Whether the verdict is a failure of the claim: an `always` violation, or a `sometimes`
    /// goal proved unreachable by a complete search.
    public var isFailure: Bool {
        switch status {
        case .violated, .notReached: true
        default: false
        }
    }
}

/// Everything a search found.
public struct CheckResult<System: TransitionSystem>: Sendable {
    public let modelName: String
    public let outcome: CheckOutcome
    public let statistics: CheckStatistics
    /// One verdict per property of the system, in the system's order, then `deadlock` when the
    /// system `reportsDeadlocks`.
    public let verdicts: [PropertyVerdict<System>]
    /// Problems that did not stop the search (e.g. a trace that could not be re-executed
    /// because the model is not deterministic).
    public let warnings: [String]

    public init(
        modelName: String, outcome: CheckOutcome, statistics: CheckStatistics, verdicts: [PropertyVerdict<System>],
        warnings: [String] = []
    ) {
        self.modelName = modelName
        self.outcome = outcome
        self.statistics = statistics
        self.verdicts = verdicts
        self.warnings = warnings
    }

    /// The verdict of the property called `name`.
    public func verdict(named name: String) -> PropertyVerdict<System>? {
        verdicts.first { $0.name == name }
    }

    /// The name of the synthetic property reported for deadlocks.
    public static var deadlockPropertyName: String { "deadlock" }
}
