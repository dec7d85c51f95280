import ICCore
import ModelChecking

/// A state of the IC messaging model: canisters, per-pair request queues, responses in flight,
/// call contexts, callbacks, ingress, the clock, the lost-cycles sink and the ghost history.
///
/// Every collection is kept in a canonical order (queues by pair index, responses, contexts
/// and callbacks sorted by id) so that equal situations are equal states.
public struct ICState: Hashable, Sendable, Fingerprintable {
    /// Indexed by `CanisterId.index`.
    public var canisters: [CanisterRecord]
    /// Per ordered pair, at `from * n + to`, oldest request first.
    public var queues: [[QueuedRequest]]
    /// Sorted by `InFlightResponse.precedes`.
    public var responses: [InFlightResponse]
    /// Sorted by id.
    public var callContexts: [CallContext]
    /// Sorted by call id.
    public var openCallbacks: [Callback]
    /// Indexed by the configuration's ingress slot.
    public var ingress: [IngressStatus]
    public var now: Time
    public var lostCycles: Cycles
    public var history: CallHistory
    /// Controller actions taken so far (bounded by `ControllerActions.maxActions`).
    public var controllerActionsUsed: Int
    /// Constant: total cycles at the start (part of the state only to serve `ICView`).
    public let initialTotalCycles: Cycles

    public init(configuration: SystemConfiguration) {
        canisters = configuration.canisters.map {
            CanisterRecord(status: .running, programState: $0.program.initialState, balance: $0.initialBalance, codeVersion: 0, nextCallSequence: 0)
        }
        let n = configuration.canisters.count
        queues = Array(repeating: [], count: n * n)
        responses = []
        callContexts = []
        openCallbacks = []
        ingress = Array(repeating: .notSent, count: configuration.ingress.count)
        now = 0
        lostCycles = 0
        history = CallHistory()
        controllerActionsUsed = 0
        initialTotalCycles = configuration.initialTotalCycles
    }

    public var canisterCount: Int { canisters.count }

    func queueIndex(_ from: CanisterId, _ to: CanisterId) -> Int { from.index * canisters.count + to.index }

    /// The requests queued from `from` to `to`, oldest first.
    public func queue(from: CanisterId, to: CanisterId) -> [QueuedRequest] { queues[queueIndex(from, to)] }

    public subscript(canister id: CanisterId) -> CanisterRecord {
        get { canisters[id.index] }
        set { canisters[id.index] = newValue }
    }

    // MARK: lookups

    public func contextIndex(_ id: ContextId) -> Int? { callContexts.firstIndex { $0.id == id } }
    public func context(_ id: ContextId) -> CallContext? { callContexts.first { $0.id == id } }
    public func callbackIndex(_ call: CallId) -> Int? { openCallbacks.firstIndex { $0.call == call } }
    public func callback(_ call: CallId) -> Callback? { openCallbacks.first { $0.call == call } }

    /// Whether the canister is frozen: requests to it are rejected with SYS_TRANSIENT (T2b).
    func isFrozen(_ id: CanisterId, _ configuration: SystemConfiguration) -> Bool {
        self[canister: id].balance < configuration.canisters[id.index].freezingThreshold
    }

    /// Whether anything still references the context (T8/T9): an open callback of a call it made.
    /// Requests and responses of its calls are only left over once their callback has gone, which
    /// happens only for expired (best-effort) calls, so the callbacks are the whole reference set.
    public func isReferenced(_ id: ContextId) -> Bool { openCallbacks.contains { $0.callerContext == id } }

    // MARK: canonical inserts

    mutating func insertResponse(_ response: InFlightResponse) {
        let index = responses.firstIndex { InFlightResponse.precedes(response, $0) } ?? responses.endIndex
        responses.insert(response, at: index)
    }

    mutating func insertContext(_ context: CallContext) {
        let index = callContexts.firstIndex { context.id < $0.id } ?? callContexts.endIndex
        callContexts.insert(context, at: index)
    }

    mutating func insertCallback(_ callback: Callback) {
        let index = openCallbacks.firstIndex { callback.call < $0.call } ?? openCallbacks.endIndex
        openCallbacks.insert(callback, at: index)
    }

    /// Records the callee's or system's final answer to a context that needs a response, and
    /// closes the context (`needs_to_respond := false`, `available_cycles := 0`). For an
    /// inter-canister context the response goes in flight with refund = available cycles; for an
    /// ingress context the user gets it at once (T12 collapsed).
    mutating func respond(context index: Int, with response: Response, fromCallee: Bool) {
        let context = callContexts[index]
        let refund = context.availableCycles
        callContexts[index].needsToRespond = false
        callContexts[index].availableCycles = 0
        switch context.id {
        case .ingress(let slot):
            history.ingressResponses[slot] = response
            ingress[slot] = .answered
        case .call(let call):
            insertResponse(InFlightResponse(call: call, response: response, refund: refund, isSystemNotice: false))
            if fromCallee, history.calls[call]?.calleeResponse == nil {
                history.calls[call]?.calleeResponse = response
            }
        }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(canisters)
        hasher.combine(UInt64(queues.count))
        for queue in queues { hasher.combine(queue) }
        hasher.combine(responses)
        hasher.combine(callContexts)
        hasher.combine(openCallbacks)
        hasher.combine(ingress)
        hasher.combine(now)
        hasher.combine(lostCycles)
        hasher.combine(history)
        hasher.combine(controllerActionsUsed)
        hasher.combine(initialTotalCycles)
    }
}

extension ICState: ICView {
    public var canisterIds: [CanisterId] { canisters.indices.map { CanisterId($0) } }
    public func status(of canister: CanisterId) -> CanisterStatus { self[canister: canister].status }
    public func balance(of canister: CanisterId) -> Cycles { self[canister: canister].balance }
    public func programState(of canister: CanisterId) -> AnyCanisterState { self[canister: canister].programState }
    public func codeVersion(of canister: CanisterId) -> Int? { self[canister: canister].codeVersion }

    public func pendingRequests(from: CanisterId, to: CanisterId) -> [PendingRequest] {
        queue(from: from, to: to).map { PendingRequest(call: $0.call, callee: $0.callee, cycles: $0.cycles) }
    }

    public var pendingResponses: [PendingResponse] {
        responses.map { PendingResponse(call: $0.call, response: $0.response, refund: $0.refund) }
    }

    public var contexts: [ContextView] {
        callContexts.map {
            ContextView(id: $0.id, canister: $0.canister, needsToRespond: $0.needsToRespond, deleted: $0.deleted, availableCycles: $0.availableCycles)
        }
    }

    public var callbacks: [CallbackView] {
        openCallbacks.map { CallbackView(call: $0.call, kind: $0.kind, deadline: $0.deadline, expired: $0.expired) }
    }
}
