import ICCore
import ModelChecking

/// `ICState` as the `ICView` that properties and monitors read.
extension ICState: ICView {
    public var canisterIds: [CanisterId] { CanisterId.first(canisters.count) }
    public func status(of canister: CanisterId) -> CanisterStatus { self[canister: canister].status }
    public func balance(of canister: CanisterId) -> Cycles { self[canister: canister].balance }
    public func programState(of canister: CanisterId) -> AnyCanisterState { self[canister: canister].programState }
    public func codeVersion(of canister: CanisterId) -> Int? { self[canister: canister].codeVersion }
    public func globalTimer(of canister: CanisterId) -> Time? { self[canister: canister].globalTimer }
    public func systemTasksRun(of canister: CanisterId) -> Int { self[canister: canister].systemTasksRun }

    public func pendingRequests(from: CanisterId, to: CanisterId) -> [PendingRequest] {
        queue(from: from, to: to).map(PendingRequest.init)
    }

    public func oldestPendingRequest(from: CanisterId, to: CanisterId) -> PendingRequest? {
        queue(from: from, to: to).first.map(PendingRequest.init)
    }

    public func hasPendingRequest(_ call: CallId, from: CanisterId, to: CanisterId) -> Bool {
        queue(from: from, to: to).contains { $0.call == call }
    }

    public func hasPendingResponse(for call: CallId) -> Bool { responses.contains { $0.call == call } }

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
