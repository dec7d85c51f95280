/// A run of a transition system: an initial state and the steps taken from it.
///
/// For a lasso (a liveness counterexample), `loopIndex` is the index of the state the last
/// state loops back to (0 = the initial state, `i` = the state after step `i`), and for a
/// `leadsTo` counterexample `premiseIndex` the state where the premise holds and from which
/// the goal never does.
public struct Trace<System: TransitionSystem>: Sendable {
    public struct Step: Sendable {
        public let action: System.Action
        public let state: System.State

        public init(action: System.Action, state: System.State) {
            self.action = action
            self.state = state
        }
    }

    /// The system the trace belongs to: it converts states to their trace form.
    public let system: System
    public let initialState: System.State
    public let steps: [Step]
    public let loopIndex: Int?
    public let premiseIndex: Int?

    public init(system: System, initialState: System.State, steps: [Step], loopIndex: Int? = nil, premiseIndex: Int? = nil) {
        self.system = system
        self.initialState = initialState
        self.steps = steps
        self.loopIndex = loopIndex
        self.premiseIndex = premiseIndex
    }

    /// The number of steps.
    public var length: Int { steps.count }

    /// All states, initial first.
    public var states: [System.State] { [initialState] + steps.map(\.state) }

    /// The last state (the violating or witness state of a safety trace).
    public var finalState: System.State { steps.last?.state ?? initialState }
}

extension Trace {
    /// The same run on `other`: its initial state and, step by step, the successor `other`
    /// reaches by the same action. `nil` if `other` has no such run (it disagrees with the
    /// trace's system about some step). For systems that differ only in ghost information.
    public func reexecuted(on other: System) -> Trace<System>? {
        guard let initial = initialState(on: other) else { return nil }
        var state = initial
        var replayed: [Step] = []
        replayed.reserveCapacity(steps.count)
        for step in steps {
            guard let next = other.successor(of: state, via: step.action) else { return nil }
            replayed.append(Step(action: step.action, state: next))
            state = next
        }
        return Trace(system: other, initialState: initial, steps: replayed, loopIndex: loopIndex, premiseIndex: premiseIndex)
    }

    /// The initial state of `other` in the position this trace's initial state has among its
    /// system's, or `nil` if `other` has fewer.
    public func initialState(on other: System) -> System.State? {
        let starts = other.initialStates
        let index = system.initialStates.firstIndex(of: initialState) ?? 0
        return starts.indices.contains(index) ? starts[index] : nil
    }
}
