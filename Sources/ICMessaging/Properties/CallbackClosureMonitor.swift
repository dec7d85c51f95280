import ICCore
import ModelChecking

/// I4's monitor: whether a guaranteed-response call's callback ever closed while something of
/// the call was still live (its request queued, its context still to answer, or a response in
/// flight).
///
/// The ghost history gave I4 each call's kind, for requests, contexts and responses whose
/// callback is gone. Nothing of a call appears after its callback closes (requests are sent
/// with their callback, contexts start from requests, responses from contexts or requests),
/// and callbacks close only when a response is delivered, so the closing step is where I4
/// becomes false, and it shows the kind (in the callback) and what is left of the call.
public struct CallbackClosureMonitor: IdentityFreeMonitor {
    /// A guaranteed call's callback closed with the call still live.
    public private(set) var closedTooEarly = false

    public init() {}

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        guard !closedTooEarly else { return }
        let call: CallId
        switch action {
        case .deliverResponse(let delivered, _, _), .discardResponse(let delivered): call = delivered
        default: return
        }
        guard let callback = before.callbacks.first(where: { $0.call == call }), callback.kind.isGuaranteed,
            !after.callbacks.contains(where: { $0.call == call })
        else { return }
        closedTooEarly = after.allPendingRequests.contains { $0.call == call }
            || after.contexts.contains { $0.id == .call(call) && $0.needsToRespond }
            || after.pendingResponses.contains { $0.call == call }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(closedTooEarly) }
}
