import ICCore
import ModelChecking

/// The monitor of the "responses are not ordered" witness: whether some call's response was
/// delivered while an earlier call of the same caller to the same callee still awaited its own.
///
/// The ghost history's form ("an open callback has a later call of its pair whose response was
/// delivered") first holds at such a delivery: the earlier callback was open then (it is older),
/// and the delivery closes only the later one. The monitor keeps one flag from that step on, so
/// a `sometimes` check reaches the same first state and keeps no call history.
///
/// Partial-order reduction: only response deliveries are visible, each judged by the caller's
/// own callbacks.
public struct ResponseOrderMonitor: IdentityFreeMonitor, PartialOrderMonitor {
    /// A later call's response was delivered while an earlier call of the pair awaited its own.
    public private(set) var outOfOrder = false

    public init() {}

    public func mayChange(on action: ICAction) -> Bool { !outOfOrder && isVisible(action) }

    public func isVisible(_ action: ICAction) -> Bool {
        switch action {
        case .deliverResponse, .discardResponse: return true
        default: return false
        }
    }

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        guard !outOfOrder, let delivery = ResponseDelivery(action, from: before, to: after), let later = delivery.callback else { return }
        outOfOrder = before.callbacks.contains { earlier in
            earlier.call.caller == later.call.caller && earlier.callee == later.callee && earlier.call.sequence < later.call.sequence
        }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(outOfOrder) }
}
