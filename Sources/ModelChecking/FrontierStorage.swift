/// How a breadth-first search stores the states waiting in its frontier.
///
/// A search makes one storage (`TransitionSystem.makeFrontier()`), turns every new state into
/// an `Entry` when it joins the frontier and back into a state when it is checked or expanded.
/// A model with large states keeps entries small, e.g. as indices into tables of shared
/// components, as SPIN's collapse compression does.
///
/// Threads: the search calls `entry(for:)`, `entry(forCandidate:)` and `compact(_:)` from one
/// thread at a time and never while a `state(of:)` or `candidate(for:)` call runs; those two may
/// run on several threads at once. Tables behind the entries need no lock for reading under
/// this contract.
public protocol FrontierStorage {
    associatedtype State
    associatedtype Entry: Sendable
    /// What a parallel search keeps of a new successor between its expansion (on a worker) and
    /// the merge that makes it an entry (on one thread). Defaults to the state itself.
    associatedtype Candidate = State

    /// The frontier form of `state`.
    func entry(for state: State) -> Entry

    /// The candidate form of `state`, made on the worker that generated it, while it is in that
    /// worker's cache. Storage that interns components keeps here only what its tables do not
    /// hold yet (a successor shares most components with its parent), so that the state's
    /// own box can be reused at once on that thread instead of waiting for the merge and being
    /// freed, cold, by another: that made two workers on two cores use twice the CPU of one.
    func candidate(for state: State) -> Candidate

    /// The frontier form of a candidate: `entry(forCandidate: candidate(for: s))` stands for `s`.
    func entry(forCandidate candidate: Candidate) -> Entry

    /// The state `entry` stands for: `state(of: entry(for: s)) == s`.
    func state(of entry: Entry) -> State

    /// Called with each new frontier before it is expanded: storage whose entries refer to
    /// shared tables may rebuild them here, keeping only what `frontier` still uses.
    func compact(_ frontier: inout [Entry])

    /// Frontier states a parallel search expands before it merges their successors into the
    /// visited set. Until then every new successor waits as a `Candidate`, so storage with large
    /// candidates asks for smaller batches (more merges, less memory); 16,384 by default.
    static var parallelBatchStates: Int { get }
}

extension FrontierStorage {
    @inlinable public func compact(_ frontier: inout [Entry]) {}
    @inlinable public static var parallelBatchStates: Int { 16_384 }
}

extension FrontierStorage where Candidate == State {
    @inlinable public func candidate(for state: State) -> State { state }
    @inlinable public func entry(forCandidate candidate: State) -> Entry { entry(for: candidate) }
}

/// States wait in the frontier as themselves: the default, right for small packed states.
public struct PlainFrontierStorage<State: Sendable>: FrontierStorage {
    @inlinable public init() {}
    @inlinable public func entry(for state: State) -> State { state }
    @inlinable public func state(of entry: State) -> State { entry }
}
