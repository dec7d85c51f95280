import ICCore
import ModelChecking

/// An `ICState` seen as an `ICView` without being copied into an existential box.
///
/// Why: `ICState` is larger than an existential's inline buffer, so passing it as `any ICView`
/// allocated a box and copied (retained) every component, once per property per state: about
/// 4 % of all instructions of a P1 check. This view is one pointer, stored inline.
/// It lives only for the duration of `ICState.withView(_:)`: a property must not keep the view.
struct BorrowedICState: ICView {
    let state: UnsafePointer<ICState>

    var canisterIds: [CanisterId] { state.pointee.canisterIds }
    func status(of canister: CanisterId) -> CanisterStatus { state.pointee.status(of: canister) }
    func balance(of canister: CanisterId) -> Cycles { state.pointee.balance(of: canister) }
    func programState(of canister: CanisterId) -> AnyCanisterState { state.pointee.programState(of: canister) }
    func codeVersion(of canister: CanisterId) -> Int? { state.pointee.codeVersion(of: canister) }
    func globalTimer(of canister: CanisterId) -> Time? { state.pointee.globalTimer(of: canister) }
    func systemTasksRun(of canister: CanisterId) -> Int { state.pointee.systemTasksRun(of: canister) }
    func pendingRequests(from: CanisterId, to: CanisterId) -> [PendingRequest] {
        state.pointee.pendingRequests(from: from, to: to)
    }
    var allPendingRequests: [PendingRequest] { state.pointee.allPendingRequests }
    var pendingResponses: [PendingResponse] { state.pointee.pendingResponses }
    var contexts: [ContextView] { state.pointee.contexts }
    var callbacks: [CallbackView] { state.pointee.callbacks }
    var history: CallHistory { state.pointee.history }
    var lostCycles: Cycles { state.pointee.lostCycles }
    var now: Time { state.pointee.now }
    var initialTotalCycles: Cycles { state.pointee.initialTotalCycles }
    var monitors: MonitorStates { state.pointee.monitors }
    func oldestPendingRequest(from: CanisterId, to: CanisterId) -> PendingRequest? {
        state.pointee.oldestPendingRequest(from: from, to: to)
    }
    func hasPendingRequest(_ call: CallId, from: CanisterId, to: CanisterId) -> Bool {
        state.pointee.hasPendingRequest(call, from: from, to: to)
    }
    func hasPendingResponse(for call: CallId) -> Bool { state.pointee.hasPendingResponse(for: call) }
    func contextView(of id: ContextId) -> ContextView? { state.pointee.contextView(of: id) }
}

extension ICState {
    /// Calls `body` with the state as an `ICView`, without boxing a copy of it (see
    /// `BorrowedICState`). The view must not escape `body`.
    public func withView<Result>(_ body: (any ICView) -> Result) -> Result {
        withUnsafePointer(to: self) { body(BorrowedICState(state: $0)) }
    }
}

extension ICProperty {
    /// Whether the property holds in `state` (judged through a borrowed view, no copy).
    public func holds(in state: ICState) -> Bool { state.withView(holds) }
}
