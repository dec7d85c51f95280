import ModelChecking

/// One canister as replay compares it.
public struct CanisterObservation: Hashable, Sendable, Codable {
    public let id: CanisterId
    public let status: CanisterStatus
    public let balance: Cycles
    public let codeVersion: Int?
    public let programState: JSONValue
    /// The global timer, if active (absent from traces otherwise).
    public var globalTimer: Time? = nil
    /// System tasks run so far, if any (absent from traces otherwise).
    public var systemTasksRun: Int? = nil
}

/// The requests queued from one canister to another, oldest first.
public struct QueueObservation: Hashable, Sendable, Codable {
    public let pair: QueuePair
    public let requests: [CallId]
}

/// Everything replay compares after each step: a projection of any `ICView`.
///
/// The model and the executor compute it with the same function, so any difference is a
/// difference in semantics, not in bookkeeping style.
public struct ObservableState: Hashable, Sendable, Codable {
    public let canisters: [CanisterObservation]
    public let queues: [QueueObservation]
    public let responses: [PendingResponse]
    public let contexts: [ContextView]
    public let callbacks: [CallbackView]
    public let history: CallHistory
    public let lostCycles: Cycles
    public let now: Time

    public init(_ view: some ICView) {
        canisters = view.canisterIds.map { id in
            CanisterObservation(
                id: id, status: view.status(of: id), balance: view.balance(of: id),
                codeVersion: view.codeVersion(of: id), programState: view.programState(of: id).json,
                globalTimer: view.globalTimer(of: id), systemTasksRun: view.systemTasksRun(of: id) == 0 ? nil : view.systemTasksRun(of: id)
            )
        }
        let ids = view.canisterIds
        let pairs = ids.flatMap { from in ids.map { (from, $0) } } + ids.map { ($0, CanisterId.management) }
            + ids.map { (CanisterId.management, $0) }
        queues = pairs.compactMap { from, to in
            let requests = view.pendingRequests(from: from, to: to)
            return requests.isEmpty ? nil : QueueObservation(pair: QueuePair(from: from, to: to), requests: requests.map(\.call))
        }
        responses = view.pendingResponses.sorted { $0.call < $1.call }
        contexts = view.contexts.sorted { $0.id < $1.id }
        callbacks = view.callbacks.sorted { $0.call < $1.call }
        history = view.history
        lostCycles = view.lostCycles
        now = view.now
    }

    /// The top-level fields that differ from `other`, as (name, this value, other value):
    /// what a diverging replay prints side by side.
    public func differences(from other: ObservableState) -> [(field: String, mine: JSONValue, theirs: JSONValue)] {
        guard case .object(let mine) = JSONValue(encoding: self), case .object(let theirs) = JSONValue(encoding: other)
        else { return [] }
        return Set(mine.keys).union(theirs.keys).sorted().compactMap { key in
            let left = mine[key] ?? .null
            let right = theirs[key] ?? .null
            return left == right ? nil : (key, left, right)
        }
    }
}
