import ICCore

/// Small queries over `ICView` that several specs share.
extension ICView {
    /// The open callbacks (calls awaiting their response) made by `canister`.
    public func openCallbacks(of canister: CanisterId) -> [CallbackView] {
        callbacks.filter { $0.call.caller == canister }
    }

    /// The open call contexts of `canister`.
    public func openContexts(of canister: CanisterId) -> [ContextView] {
        contexts.filter { $0.canister == canister }
    }

    /// Whether `canister` is stopping.
    public func isStopping(_ canister: CanisterId) -> Bool {
        if case .stopping = status(of: canister) { return true }
        return false
    }

    /// Whether `canister` is stopped.
    public func isStopped(_ canister: CanisterId) -> Bool { status(of: canister) == .stopped }

    /// The history records of the calls `caller` made, by call id.
    public func calls(by caller: CanisterId) -> [(id: CallId, record: CallRecord)] {
        history.calls.keys.sorted().filter { $0.caller == caller }.map { ($0, history.calls[$0]!) }
    }

    /// Whether nothing is in flight and no call context or callback is open: the system has
    /// settled (apart from ingress messages not yet sent).
    public var isQuiescent: Bool {
        allPendingRequests.isEmpty && pendingResponses.isEmpty && contexts.isEmpty && callbacks.isEmpty
    }
}
