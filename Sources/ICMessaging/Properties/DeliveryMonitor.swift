import ICCore
import ModelChecking

/// The monitor of P7–P11: whether some response delivery broke the property's rule.
///
/// The ghost history judged these claims on per-call records (responses delivered, the
/// callee's response, cycles attached, accepted and refunded). Each record changes its verdict
/// only when the caller gets the call's response: the step that delivers it shows the callback
/// (its kind), the response, the refund credited and what the callee accepted, so the monitor
/// judges that step and keeps one flag. Calls are never named, so symmetry and canonical call
/// ids stay available.
///
/// Partial-order reduction: only response deliveries (`deliverResponse`, `discardResponse`) are
/// visible. A delivery of call X, a step of X's caller, is judged by X's callback (the
/// caller's), the response it takes and what it credits (its own effect), and, by some rules,
/// by what the callee still shows of X. The callee's steps may change that in between only
/// while the caller gets the SYS_UNKNOWN notice of an expired callback (otherwise X is
/// answered for good); P9 looks at the callee only for a real response, P10 (as declared
/// here) only for guaranteed calls, whose callbacks never expire, P11 only when such a notice
/// credits cycles, which it never does (its refund is 0). So no step of another canister
/// changes the judgement. (`DroppedCallsMonitor`, P10 over best-effort calls, judges
/// such notices by the callee's context: it declares the callee's steps visible too.)
public struct DeliveryMonitor: IdentityFreeMonitor, PartialOrderMonitor {
    /// What a delivery must satisfy.
    public enum Rule: Hashable, Sendable {
        /// P7: a response reaches a call whose callback is still open (so at most once).
        case singleResponse
        /// P8: a guaranteed-response call never gets SYS_UNKNOWN.
        case guaranteedResponse
        /// P9: a best-effort call gets SYS_UNKNOWN or the callee's own answer, never a response
        /// delivered while the callee's context still has to answer.
        case bestEffortResponse
        /// P10 for calls of these kinds: accepted + refunded = attached.
        case cyclesConserved(kinds: Set<CallKind>)
        /// P11: a best-effort call conserves cycles unless it gets SYS_UNKNOWN, and then only
        /// loses them (accepted + refunded ≤ attached).
        case bestEffortCycles
    }

    public let rule: Rule
    /// Some delivery broke the rule.
    public internal(set) var violated = false

    public init(_ rule: Rule) { self.rule = rule }

    public func mayChange(on action: ICAction) -> Bool { !violated && isVisible(action) }

    public func isVisible(_ action: ICAction) -> Bool {
        // P10 over best-effort calls reads the callee on SYS_UNKNOWN notices (above): every
        // step is visible then, which leaves nothing to postpone.
        if case .cyclesConserved(let kinds) = rule, kinds.contains(.bestEffort) { return true }
        switch action {
        case .deliverResponse, .discardResponse: return true
        default: return false
        }
    }

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        guard !violated, let delivery = ResponseDelivery(action, from: before, to: after) else { return }
        violated = breaks(delivery, before: before, conservingRefund: nil)
    }

    /// Whether `delivery` breaks the rule; `known` is the conserving refund remembered for a
    /// call whose live traces are gone (see `DroppedCallsMonitor`).
    func breaks(_ delivery: ResponseDelivery, before: any ICView, conservingRefund known: Cycles?) -> Bool {
        switch rule {
        case .singleResponse:
            return delivery.callback == nil
        case .guaranteedResponse:
            guard let callback = delivery.callback, callback.kind.isGuaranteed else { return false }
            return delivery.isSysUnknown
        case .bestEffortResponse:
            guard let callback = delivery.callback, callback.kind.isBestEffort, !delivery.isSysUnknown else { return false }
            return before.contexts.contains { $0.id == .call(delivery.call) && $0.needsToRespond }
        case .cyclesConserved(let kinds):
            guard let callback = delivery.callback, kinds.contains(callback.kind) else { return false }
            // Unknown only for a call whose answer was dropped and not remembered: never for
            // guaranteed calls of the IC's semantics (they are not shed and do not expire).
            guard let conserving = delivery.conservingRefund(in: before) ?? known else { return true }
            return delivery.credited != conserving
        case .bestEffortCycles:
            guard let callback = delivery.callback, callback.kind.isBestEffort else { return false }
            guard delivery.isSysUnknown else { return delivery.credited != delivery.response.refund }
            // SYS_UNKNOWN: the caller may get back at most what the callee left.
            guard delivery.credited > 0 else { return false }
            guard let conserving = delivery.conservingRefund(in: before) ?? known else { return true }
            return delivery.credited > conserving
        }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        switch rule {
        case .singleResponse: hasher.combine(0)
        case .guaranteedResponse: hasher.combine(1)
        case .bestEffortResponse: hasher.combine(2)
        case .cyclesConserved(let kinds):
            hasher.combine(3)
            hasher.combine(kinds.map(\.rawValue).sorted())
        case .bestEffortCycles: hasher.combine(4)
        }
        hasher.combine(violated)
    }
}

/// P10's monitor for best-effort calls too: a `DeliveryMonitor` that also remembers, for each
/// best-effort call whose response or request was dropped, the refund that would have
/// conserved its cycles, until its SYS_UNKNOWN notice is delivered (nothing live shows it any
/// more). It names calls, so it is not identity-free: its specs search without symmetry.
///
/// Partial-order reduction: it judges a delivery, drop or discard of call X by X's callback
/// (the caller's), by X's request, X's context at the callee and the responses in flight for X
/// (the conserving refund of a SYS_UNKNOWN notice). Besides the steps it observes, the steps
/// that change those are visible: a request's start, reject or spontaneous reject, a response
/// delivered or discarded (a callback may answer its own context), a context starved. The
/// others (ingress, expiry, context removal, system tasks, stop completion and timeouts) neither
/// answer another call's context nor take its request or response; an expiry adds the notice of
/// its own caller's call, which only that caller's later steps judge.
public struct DroppedCallsMonitor: PartialOrderMonitor {
    public private(set) var delivery: DeliveryMonitor
    /// By call: the conserving refund of a call whose answer or request was dropped.
    public private(set) var dropped: [CallId: Cycles] = [:]

    public init(_ rule: DeliveryMonitor.Rule) { delivery = DeliveryMonitor(rule) }

    public var violated: Bool { delivery.violated }

    public func isVisible(_ action: ICAction) -> Bool {
        switch action {
        case .deliverRequest, .rejectRequest, .systemReject, .deliverResponse, .discardResponse, .starveContext, .dropRequest, .dropResponse:
            true
        default: false
        }
    }

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        if let step = ResponseDelivery(action, from: before, to: after) {
            let known = dropped.removeValue(forKey: step.call)
            if !delivery.violated, delivery.breaks(step, before: before, conservingRefund: known) { delivery.violated = true }
            return
        }
        let call: CallId
        switch action {
        case .dropRequest(let dropped), .dropResponse(let dropped), .discardResponse(let dropped): call = dropped
        default: return
        }
        // Only while the caller still waits does the refund matter.
        guard before.callbacks.contains(where: { $0.call == call }) else { return }
        switch action {
        case .dropRequest:
            // The request leaves unexecuted: nothing was accepted.
            if let request = before.allPendingRequests.first(where: { $0.call == call }) { dropped[call] = request.cycles }
        case .dropResponse:
            // The callee's answer is shed (the callback is unexpired, so it is the call's one
            // response): what it refunds is what conserves the call's cycles.
            if let answer = before.pendingResponses.first(where: { $0.call == call }) { dropped[call] = answer.refund }
        default:
            // A late answer, arriving after the SYS_UNKNOWN notice, is discarded: the same.
            var remaining = after.pendingResponses.filter { $0.call == call }
            for response in before.pendingResponses where response.call == call {
                if let kept = remaining.firstIndex(of: response) { remaining.remove(at: kept) } else { dropped[call] = response.refund }
            }
        }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(delivery)
        for call in dropped.keys.sorted() {
            hasher.combine(call)
            hasher.combine(dropped[call]!)
        }
    }
}
