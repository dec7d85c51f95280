/// A finite-branching transition system that the checker explores.
///
/// The engine only needs three things from a model: where to start, how to step, and what to
/// check. Everything else (search order, fingerprints, traces, statistics) is the engine's job,
/// so a model stays a plain description of its semantics, as in Stateright's `Model`.
///
/// Determinism is part of the contract: `initialStates` and `forEachSuccessor` must produce the
/// same sequence every time for the same state. The engine relies on it for reproducible counts,
/// shortest traces and trace reconstruction by re-execution.
public protocol TransitionSystem: Sendable {
    /// A complete snapshot of the system. Value semantics; fingerprinted with a stable hash.
    associatedtype State: Hashable & Sendable & Fingerprintable
    /// A named step. Its description is what a counterexample prints for the step.
    associatedtype Action: Hashable & Sendable & CustomStringConvertible

    /// A short name used in reports and trace metadata.
    var name: String { get }

    /// The initial states, in a deterministic order.
    var initialStates: [State] { get }

    /// Calls `body` once per enabled action instance, with the successor it leads to, in a
    /// deterministic order. Two actions that lead to the same successor are two calls.
    func forEachSuccessor(of state: State, _ body: (Action, State) -> Void)

    /// The properties the checker evaluates.
    var properties: [Property<State>] { get }

    /// States outside the boundary are counted but not expanded (Stateright's `within_boundary`).
    func isWithinBoundary(_ state: State) -> Bool

    /// Whether a reachable state without successors is an error (a deadlock) for this model.
    var reportsDeadlocks: Bool { get }

    /// The readable form of a state in counterexamples and ITF traces: ideally a struct whose
    /// fields become the trace's variables. Defaults to the state itself when it is `Encodable`,
    /// otherwise to `DescribedState` (its description under the single variable `state`).
    associatedtype TraceState: Encodable = DescribedState<State>

    /// Converts a state to its trace form (see `TraceState`).
    func traceState(of state: State) -> TraceState

    /// How a breadth-first search stores the states waiting in its frontier (one storage per
    /// search, from `makeFrontier()`). Millions of states can wait at once, so a model with large
    /// states stores them compactly (see `FrontierStorage`). Defaults to the states themselves.
    associatedtype Frontier: FrontierStorage = PlainFrontierStorage<State> where Frontier.State == State

    /// A fresh, empty frontier storage for one search.
    func makeFrontier() -> Frontier

    /// The form in which a counterexample found by the search is reported. A model whose search
    /// states leave out ghost information that reports need (information no property checked
    /// observes) re-executes the trace's actions on a system that keeps it, for example with
    /// `Trace.reexecuted(on:)`. Defaults to the trace itself.
    func reportedTrace(_ trace: Trace<Self>) -> Trace<Self>
}

extension TransitionSystem {
    public var properties: [Property<State>] { [] }
    public func isWithinBoundary(_ state: State) -> Bool { true }
    public var reportsDeadlocks: Bool { false }

    public func traceState(of state: State) -> DescribedState<State> { DescribedState(state) }

    public func reportedTrace(_ trace: Trace<Self>) -> Trace<Self> { trace }

    /// The successor `action` leads to from `state` (the first, should the action label several),
    /// or `nil` if the action is not enabled there: how a trace's steps are re-executed.
    public func successor(of state: State, via action: Action) -> State? {
        var found: State?
        forEachSuccessor(of: state) { candidate, next in
            if found == nil, candidate == action { found = next }
        }
        return found
    }

    /// The successors of `state` as an array; convenient in tests, not for hot loops.
    public func successors(of state: State) -> [(action: Action, state: State)] {
        var result: [(action: Action, state: State)] = []
        forEachSuccessor(of: state) { result.append((action: $0, state: $1)) }
        return result
    }
}

extension TransitionSystem where State: Encodable {
    /// An `Encodable` state is its own trace form.
    public func traceState(of state: State) -> State { state }
}

/// The trace form of a state that is not `Encodable`: its description as variable `state`.
public struct DescribedState<State>: Encodable {
    public let state: String

    public init(_ value: State) {
        state = String(describing: value)
    }
}

extension TransitionSystem where Frontier == PlainFrontierStorage<State> {
    /// States wait in the frontier as themselves.
    @inlinable public func makeFrontier() -> PlainFrontierStorage<State> { PlainFrontierStorage() }
}
