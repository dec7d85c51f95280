import ICCore

/// One response reaching its caller (`deliverResponse` or `discardResponse`), as the step's
/// views show it: what the delivery monitors of P7–P11 judge instead of the ghost history.
struct ResponseDelivery {
    let call: CallId
    /// The caller's open callback for the call before the step (`nil`: none was open).
    let callback: CallbackView?
    /// The response delivered: the SYS_UNKNOWN notice once the callback has expired, the one
    /// response in flight otherwise.
    let response: PendingResponse
    /// The cycles the caller's balance got back: the response's refund less what the step lost
    /// (every other cycle of a delivery step stays accounted for).
    let credited: Cycles
    /// The call's other responses in flight before the step (a late real response after a
    /// SYS_UNKNOWN notice).
    let otherResponses: [PendingResponse]

    /// The delivery `action` made, or `nil` for a step that delivers no response. Every
    /// `deliverResponse` delivers; a `discardResponse` delivers only when it closes the callback
    /// (a refund-only delivery to a deleted context), not when it drops a late response.
    init?(_ action: ICAction, from before: any ICView, to after: any ICView) {
        let call: CallId
        let callback: CallbackView?
        switch action {
        case .deliverResponse(let delivered, _, _):
            call = delivered
            callback = before.callbacks.first { $0.call == delivered }
        case .discardResponse(let discarded):
            guard let open = before.callbacks.first(where: { $0.call == discarded }), !after.callbacks.contains(where: { $0.call == discarded })
            else { return nil }
            call = discarded
            callback = open
        default: return nil
        }
        // The response that left: of the call's responses before the step, the one missing after
        // it (the SYS_UNKNOWN notice of an expired callback, which the views list after a late
        // real response of the call).
        var inFlight = before.pendingResponses.filter { $0.call == call }
        var remaining = after.pendingResponses.filter { $0.call == call }
        var delivered: Int?
        for (index, response) in inFlight.enumerated() {
            if let kept = remaining.firstIndex(of: response) { remaining.remove(at: kept) } else { delivered = index }
        }
        guard let index = delivered ?? (inFlight.isEmpty ? nil : inFlight.count - 1) else { return nil }
        self.call = call
        self.callback = callback
        response = inFlight.remove(at: index)
        otherResponses = inFlight
        credited = response.refund - (before.accountedCycles - after.accountedCycles)
    }

    /// Whether the caller got SYS_UNKNOWN.
    var isSysUnknown: Bool { response.response.rejectCode == .sysUnknown }

    /// The refund that makes accepted + refunded = attached, from what `before` still shows of
    /// the call: a real response's own refund (what the callee's context had left, or all of
    /// the cycles for a system reject); for a SYS_UNKNOWN notice, what the callee's context has
    /// left while it must answer, the refund of its answer still in flight, or all of the
    /// cycles while the request waits in its queue. `nil` when nothing shows it any more (the
    /// callee's answer or the request was dropped).
    func conservingRefund(in before: any ICView) -> Cycles? {
        guard isSysUnknown, callback?.expired == true else { return response.refund }
        if let context = before.contexts.first(where: { $0.id == .call(call) }), context.needsToRespond { return context.availableCycles }
        if let answer = otherResponses.first { return answer.refund }
        return before.allPendingRequests.first { $0.call == call }?.cycles
    }
}
