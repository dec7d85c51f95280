/// A run refuting a liveness property: a lasso (a stem, then a cycle repeated forever) or a
/// finite maximal run ending in a state where nothing is enabled.
///
/// The run itself is an engine `Trace` (with `loopIndex` for a lasso), so it renders and
/// exports (ITF, `#meta.loop`) like any safety trace.
public struct LivenessCounterexample<System: TransitionSystem>: Sendable {
    public typealias Step = Trace<System>.Step

    /// The run. For a lasso, `trace.loopIndex` is the index of the state the cycle returns to:
    /// the last state equals state `loopIndex`, and steps `loopIndex + 1 ... length` repeat
    /// forever. `nil` for a finite run that ends in a terminal state.
    public let trace: Trace<System>
    /// For `leadsTo`, the index of the state where the premise holds and from which the goal
    /// never holds; `nil` for `eventually`.
    public let premiseIndex: Int?

    public init(trace: Trace<System>, premiseIndex: Int?) {
        self.trace = trace
        self.premiseIndex = premiseIndex
    }

    /// The state the run starts in (state 0).
    public var initialState: System.State { trace.initialState }
    /// The steps; step `i` (from 1) leads from state `i - 1` to state `i`.
    public var steps: [Step] { trace.steps }
    /// See `trace`.
    public var loopIndex: Int? { trace.loopIndex }
    /// The states of the run, `states[0]` being the initial state.
    public var states: [System.State] { trace.states }

    /// The number of steps before the cycle (the whole run if there is none).
    public var stemLength: Int { loopIndex ?? steps.count }
    /// The number of steps of the repeated cycle (0 for a finite run).
    public var cycleLength: Int { loopIndex.map { steps.count - $0 } ?? 0 }

    /// How the run unfolds, e.g. "steps 1-7, then steps 8-11 repeat forever".
    public var shape: String {
        func range(_ first: Int, _ last: Int) -> String {
            first == last ? "step \(first)" : "steps \(first)-\(last)"
        }
        guard let loopIndex else {
            let prefix = steps.isEmpty ? "the initial state" : range(1, steps.count)
            return "\(prefix), then no action is enabled (the run ends)"
        }
        let cycle = range(loopIndex + 1, steps.count) + " repeat forever"
        return loopIndex == 0 ? "from the initial state, \(cycle)" : "\(range(1, loopIndex)), then \(cycle)"
    }
}

extension LivenessCounterexample: CustomStringConvertible {
    /// The shape, the premise state for `leadsTo`, then the engine's rendering of the trace.
    public var description: String {
        var lines = [shape]
        if let premiseIndex { lines.append("the premise holds in state \(premiseIndex); the goal never holds from there on") }
        lines.append(trace.render())
        return lines.joined(separator: "\n")
    }
}

/// The verdict on one liveness property.
public struct LivenessResult<System: TransitionSystem>: Sendable {
    public enum Verdict: Sendable {
        /// Every fair run satisfies the property.
        case holds
        /// A fair run violates it.
        case violated(LivenessCounterexample<System>)
    }

    public let property: String
    public let expectation: Property<System.State>.Expectation
    public let verdict: Verdict
    /// Strongly connected components examined (including those of fairness refinements).
    public let sccsFound: Int

    public var holds: Bool {
        if case .holds = verdict { return true }
        return false
    }

    public var counterexample: LivenessCounterexample<System>? {
        if case .violated(let counterexample) = verdict { return counterexample }
        return nil
    }
}

/// The outcome of a liveness check: one result per property plus graph figures.
public struct LivenessReport<System: TransitionSystem>: Sendable {
    public let results: [LivenessResult<System>]
    /// Distinct reachable states (including those outside the boundary).
    public let stateCount: Int
    /// Edges: one per successor call, duplicates included.
    public let edgeCount: Int
    /// States outside the model's boundary: not expanded, so runs through them are not judged.
    public let statesOutsideBoundary: Int
    /// Bytes held by the compact graph after construction.
    public let graphBytes: Int
    /// Declared fairness classes that no explored action belongs to: harmless, but usually a
    /// typo in the model.
    public let unusedFairnessClasses: [String]

    public subscript(property: String) -> LivenessResult<System>? {
        results.first { $0.property == property }
    }
}
