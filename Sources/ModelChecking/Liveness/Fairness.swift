/// A fairness assumption about one class of actions.
///
/// Liveness claims are almost never true without fairness: a scheduler that never runs a
/// canister "refutes" every progress property. Fairness rules out such runs. Actions are
/// grouped into named classes (e.g. `"execute(c1)"`); a class is *enabled* in a state when
/// at least one of its actions is, and *taken* on a step when the step's action is in it.
public enum Fairness: Hashable, Sendable, CustomStringConvertible {
    /// Weak fairness: a class that is continuously enabled from some point on is eventually
    /// taken (WF). On a cycle: it is taken somewhere, or it is disabled somewhere.
    case weak(String)
    /// Strong fairness: a class that is enabled infinitely often is taken infinitely often
    /// (SF). On a cycle: it is taken somewhere, or it is disabled everywhere.
    case strong(String)

    /// The action class the assumption is about.
    public var actionClass: String {
        switch self {
        case .weak(let name), .strong(let name): name
        }
    }

    public var description: String {
        switch self {
        case .weak(let name): "WF(\(name))"
        case .strong(let name): "SF(\(name))"
        }
    }
}

/// A transition system that declares which of its runs are fair.
///
/// The liveness checker only considers runs satisfying every assumption in `fairness`.
/// A plain `TransitionSystem` has no assumptions: every infinite run (any cycle) counts.
public protocol FairTransitionSystem: TransitionSystem {
    /// The fairness class of `action`, or `nil` if no assumption covers it.
    func fairnessClass(of action: Action) -> String?
    /// The assumptions; each names a class returned by `fairnessClass(of:)`.
    var fairness: [Fairness] { get }
    /// Whether `forEachSuccessor` may leave enabled actions out (partial-order reduction): the
    /// liveness checker then expands states with `forEachSuccessor(of:leavingOut:_:)` and judges
    /// fairness on the actions enabled, not on the edges stored.
    var leavesOutSuccessors: Bool { get }
    /// Calls `body` with the successors `forEachSuccessor` gives, in the same order, and
    /// `leftOut` with each enabled action it leaves out.
    func forEachSuccessor(of state: State, leavingOut leftOut: (Action) -> Void, _ body: (Action, State) -> Void)
}

extension FairTransitionSystem {
    public var leavesOutSuccessors: Bool { false }

    public func forEachSuccessor(of state: State, leavingOut leftOut: (Action) -> Void, _ body: (Action, State) -> Void) {
        forEachSuccessor(of: state, body)
    }
}
