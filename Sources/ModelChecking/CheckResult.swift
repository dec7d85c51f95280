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

/// Why a verdict is `.incomplete`: the limit or mode that stopped the search before it could
/// decide the property.
public enum IncompleteReason: String, Sendable, Hashable, Codable {
    case depthLimit, stateLimit, interrupted, simulation, memoryLimit, timeLimit

    /// The reason a search that ended with `outcome` leaves a property undecided; `nil` when the
    /// outcome decides every property (`complete`, `stoppedOnViolation`).
    public init?(_ outcome: CheckOutcome) {
        switch outcome {
        case .complete, .stoppedOnViolation: return nil
        case .depthLimitReached: self = .depthLimit
        case .stateLimitReached: self = .stateLimit
        case .interrupted: self = .interrupted
        case .simulationFinished: self = .simulation
        case .memoryLimitReached: self = .memoryLimit
        case .timeLimitReached: self = .timeLimit
        }
    }
}

/// The status of one property after a check: the same shape for safety properties (decided by
/// `Checker`) and liveness properties (decided by `LivenessChecker`).
public enum PropertyStatus<System: TransitionSystem>: Sendable {
    /// The property held on the whole explored (bounded) state space: an `always` property in
    /// every state, an `eventually`/`leadsTo` property on every fair run.
    case holds
    /// The property failed. For `always` (and deadlock) the trace ends in the violating state.
    /// For `eventually`/`leadsTo` it is a run that avoids the goal for ever: a lasso whose
    /// `loopIndex` is the state the last state returns to, or (`loopIndex == nil`) a finite run
    /// ending where no action is enabled; `premiseIndex` marks a `leadsTo` premise.
    case violated(Trace<System>)
    /// A `sometimes` property was reached; the trace ends in a witness state.
    case reached(Trace<System>)
    /// A `sometimes` property holds in no reachable state (complete search).
    case notReached
    /// Not a property this check decides: liveness properties in a safety search (run the
    /// `LivenessChecker` and `merging(_:)` its result).
    case notChecked
    /// Neither violated/reached nor proved: the check was bounded, interrupted or random.
    case incomplete(IncompleteReason)

    /// The counterexample or witness, if any.
    public var trace: Trace<System>? {
        switch self {
        case .violated(let trace), .reached(let trace): trace
        default: nil
        }
    }

    /// Whether the property was proved (on the bounded state space).
    public var holds: Bool {
        if case .holds = self { return true }
        return false
    }

    /// A short lower-case label: holds, violated, reached, not-reached, not-checked, or
    /// "unknown (reason)" for `.incomplete` (the wording `icmc bench --json` has always printed).
    public var label: String {
        switch self {
        case .holds: "holds"
        case .violated: "violated"
        case .reached: "reached"
        case .notReached: "not-reached"
        case .notChecked: "not-checked"
        case .incomplete(let reason): "unknown (\(reason.rawValue))"
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

    /// Whether the verdict is a failure of the claim: an `always`, `eventually` or `leadsTo`
    /// violation, or a `sometimes` goal proved unreachable by a complete search.
    public var isFailure: Bool {
        switch status {
        case .violated, .notReached: true
        default: false
        }
    }
}

/// Everything a check found: one verdict per property and one statistics block, whether the
/// properties are safety properties (`Checker.run`) or liveness properties
/// (`LivenessChecker.check`); `merging(_:)` joins the two into one result.
public struct CheckResult<System: TransitionSystem>: Sendable {
    public let modelName: String
    public let outcome: CheckOutcome
    public let statistics: CheckStatistics
    /// One verdict per property: for a safety search every property of the system in its order
    /// (liveness ones `.notChecked`), then `deadlock` when the system `reportsDeadlocks`; for a
    /// liveness check the properties checked, in the order given.
    public let verdicts: [PropertyVerdict<System>]
    /// Problems that did not stop the search (e.g. a trace that could not be re-executed
    /// because the model is not deterministic, a fairness class no action belongs to).
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

    /// This result with the verdicts `other` decided in place of the ones this result left
    /// `.notChecked` (and `other`'s further verdicts appended): a safety search merged with the
    /// liveness check of the same system. The statistics take the larger figure of the two (the
    /// seconds add up); the outcome is this one's unless this one decided everything it checked
    /// (complete, stopped on a violation) and `other` did not.
    public func merging(_ other: CheckResult<System>) -> CheckResult<System> {
        var verdicts = self.verdicts
        for verdict in other.verdicts {
            if let index = verdicts.firstIndex(where: { $0.name == verdict.name }) {
                if case .notChecked = verdicts[index].status { verdicts[index] = verdict }
            } else {
                verdicts.append(verdict)
            }
        }
        return CheckResult(
            modelName: modelName, outcome: IncompleteReason(outcome) == nil && IncompleteReason(other.outcome) != nil ? other.outcome : outcome,
            statistics: statistics.combined(with: other.statistics), verdicts: verdicts,
            warnings: warnings + other.warnings.filter { !warnings.contains($0) })
    }
}
