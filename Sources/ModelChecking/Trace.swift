/// A run of a transition system: an initial state and the steps taken from it.
///
/// For a lasso (a liveness counterexample), `loopIndex` is the index of the state the last
/// state loops back to (0 = the initial state, `i` = the state after step `i`).
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

    public init(system: System, initialState: System.State, steps: [Step], loopIndex: Int? = nil) {
        self.system = system
        self.initialState = initialState
        self.steps = steps
        self.loopIndex = loopIndex
    }

    /// The number of steps.
    public var length: Int { steps.count }

    /// All states, initial first.
    public var states: [System.State] { [initialState] + steps.map(\.state) }

    /// The last state (the violating or witness state of a safety trace).
    public var finalState: System.State { steps.last?.state ?? initialState }
}
