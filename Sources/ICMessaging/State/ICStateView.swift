import ICCore
import ModelChecking

/// `ICState` as the `ICView` that properties and monitors read.
extension ICState: ICView {
    public var canisterIds: [CanisterId] { CanisterId.first(canisters.count) }
    // One field read in place: `self[canister:].field` copied the whole record (a retain and a
    // release of its program state, through the record's outlined copy and destroy), and the
    // rules and properties read these for every step.
    public func status(of canister: CanisterId) -> CanisterStatus { readCanister(canister) { $0.status } }
    public func balance(of canister: CanisterId) -> Cycles { readCanister(canister) { $0.balance } }
    public func programState(of canister: CanisterId) -> AnyCanisterState { readCanister(canister) { $0.programState } }
    public func codeVersion(of canister: CanisterId) -> Int? { readCanister(canister) { $0.codeVersion } }
    public func globalTimer(of canister: CanisterId) -> Time? { readCanister(canister) { $0.globalTimer } }
    public func systemTasksRun(of canister: CanisterId) -> Int { readCanister(canister) { $0.systemTasksRun } }

    /// `read` of the canister's record, in place (`id` must be a canister of this state).
    @inline(__always)
    func readCanister<Field>(_ id: CanisterId, _ read: (CanisterRecord) -> Field) -> Field {
        storage.canisters.value.withUnsafeBufferPointer { read($0[id.index]) }
    }

    public func pendingRequests(from: CanisterId, to: CanisterId) -> [PendingRequest] {
        queue(from: from, to: to).map(PendingRequest.init)
    }

    public func oldestPendingRequest(from: CanisterId, to: CanisterId) -> PendingRequest? {
        queue(from: from, to: to).first.map(PendingRequest.init)
    }

    // In place: `contains` copied every request (its method name and arguments) and response.
    public func hasPendingRequest(_ call: CallId, from: CanisterId, to: CanisterId) -> Bool {
        queue(from: from, to: to).withUnsafeBufferPointer { requests in
            for index in requests.indices where requests[index].call == call { return true }
            return false
        }
    }

    public func hasPendingResponse(for call: CallId) -> Bool {
        storage.responses.value.withUnsafeBufferPointer { responses in
            for index in responses.indices where responses[index].call == call { return true }
            return false
        }
    }

    public func contextView(of id: ContextId) -> ContextView? {
        context(id).map {
            ContextView(id: $0.id, canister: $0.canister, needsToRespond: $0.needsToRespond, deleted: $0.deleted, availableCycles: $0.availableCycles)
        }
    }

    // The views below are derived once per distinct component and shared (properties ask for
    // them on every evaluation, often inside loops).

    public var allPendingRequests: [PendingRequest] {
        storedQueues.derived { queues in queues.flatMap { $0.map(PendingRequest.init) } }
    }

    public var pendingResponses: [PendingResponse] {
        storedResponses.derived { $0.map { PendingResponse(call: $0.call, response: $0.response, refund: $0.refund) } }
    }

    public var contexts: [ContextView] {
        storedContexts.derived {
            $0.map {
                ContextView(
                    id: $0.id, canister: $0.canister, needsToRespond: $0.needsToRespond, deleted: $0.deleted,
                    availableCycles: $0.availableCycles)
            }
        }
    }

    public var callbacks: [CallbackView] {
        storedCallbacks.derived { $0.map { CallbackView(call: $0.call, callee: $0.callee, kind: $0.kind, deadline: $0.deadline, expired: $0.expired) } }
    }
}

extension Array {
    /// Changes the element at `index` in one access (two assignments through a computed property
    /// are two accesses).
    @inline(__always)
    mutating func withElement(at index: Int, _ change: (inout Element) -> Void) { change(&self[index]) }
}

extension PendingRequest {
    init(_ request: QueuedRequest) {
        self.init(call: request.call, callee: request.callee, method: request.method, arguments: request.arguments, cycles: request.cycles)
    }
}
