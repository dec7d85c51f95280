import ICCore

/// The model's resource accounting (replica `CanisterQueue` slots; the scalable-messaging
/// proposal's quotas), derived from the state rather than stored, so that it costs nothing on
/// states that never come near a limit.
///
/// - Queue slots: a queue has `queueCapacity` request slots and, separately, `queueCapacity`
///   response slots (reservations included). A call from C to X needs a request slot in C→X (a
///   queued request) and reserves a response slot in X→C (held by C's open callback until its
///   response is consumed); when X starts the request it reserves a response slot in its own
///   queue towards C (held while its context still needs to respond).
/// - Quotas, in 1 kB units: an open small guaranteed-response call holds one unit of its caller's
///   outgoing quota until its response is consumed, and one unit of its callee's incoming quota
///   from the moment the callee admits it until the callee responds; an open best-effort call
///   holds one of its caller's `bestEffortQuota` slots. Use beyond a canister's own quotas comes
///   from the shared pool.
struct QuotaUse {
    var smallOut: [Int]
    var smallIn: [Int]
    var bestEffort: [Int]

    /// The use in `state`.
    init(_ state: ICState) {
        let n = state.canisterCount
        smallOut = Array(repeating: 0, count: n)
        smallIn = Array(repeating: 0, count: n)
        bestEffort = Array(repeating: 0, count: n)
        for callback in state.openCallbacks {
            switch callback.kind {
            case .smallGuaranteed:
                smallOut[callback.call.caller.index] += 1
                if callback.callee.index < n, state.context(.call(callback.call))?.needsToRespond == true {
                    smallIn[callback.callee.index] += 1
                }
            case .bestEffort: bestEffort[callback.call.caller.index] += 1
            case .guaranteed: break
            }
        }
    }

    /// Units taken from the shared pool: everything beyond the canisters' own quotas.
    func pooled(_ limits: MessagingLimits) -> Int {
        var total = 0
        for index in smallOut.indices {
            total += max(0, smallOut[index] - limits.smallQuotaOut) + max(0, smallIn[index] - limits.smallQuotaIn)
                + max(0, bestEffort[index] - limits.bestEffortQuota)
        }
        return total
    }
}

extension ICSystem {
    /// The largest reply the call that created `context` allows: 1 kB (`smallPayloadLimit`) for a
    /// small guaranteed-response call, `payloadLimit` otherwise.
    func responsePayloadLimit(of context: ContextId, in state: ICState) -> Int {
        guard case .call(let call) = context, state.callback(call)?.kind == .smallGuaranteed else {
            return configuration.limits.payloadLimit
        }
        return configuration.limits.smallPayloadLimit
    }

    /// Why the callee's system rejects `request` from `caller` when it would start it (T2 with the
    /// proposal's and the replica's resource checks), after the canister's own reasons: no response
    /// slot left in its queue towards the caller, or (for a small call) its incoming quota and the
    /// shared pool used up. Both are SYS_TRANSIENT, asynchronous: the caller's `call_perform`
    /// succeeded long before.
    func resourceReject(of request: QueuedRequest, from caller: CanisterId, in state: ICState) -> RejectCode? {
        let limits = configuration.limits
        let callee = request.callee
        if state.callContexts.count >= limits.queueCapacity {
            let reserved = state.callContexts.count { context in
                guard context.canister == callee, context.needsToRespond, case .call(let call) = context.id else { return false }
                return call.caller == caller
            }
            if reserved >= limits.queueCapacity { return .sysTransient }
        }
        if request.kind == .smallGuaranteed {
            var use = QuotaUse(state)
            use.smallIn[callee.index] += 1
            if use.smallIn[callee.index] > limits.smallQuotaIn, use.pooled(limits) > limits.sharedSmallPool { return .sysTransient }
        }
        return nil
    }

    /// Whether the callee's output queue towards the caller may have no response slot left for
    /// `request` (replica `CanisterQueues::push_input`: inducting a request reserves a response
    /// slot in the callee's output queue, else `QueueFull` → a SYS_TRANSIENT reject). The model
    /// does not track when a response leaves the callee's output queue for the stream, so besides
    /// the reservations (`resourceReject`, which must reject) it counts the callee's responses
    /// to the caller still unconsumed (`InFlightResponse.respondent`): they may still be there.
    /// When these fill the queue, the callee's system may reject (the responses are still
    /// queued) or may start the request (they were routed). An over-approximation: one trace may
    /// count a response as routed and later as queued again.
    func outputQueueMayBeFull(of request: QueuedRequest, from caller: CanisterId, in state: ICState) -> Bool {
        guard tracksResponseSlots else { return false }
        let capacity = configuration.limits.queueCapacity
        let callee = request.callee
        guard state.callContexts.count + state.responses.count >= capacity else { return false }
        let owed = state.callContexts.count { context in
            guard context.canister == callee, context.needsToRespond, case .call(let call) = context.id else { return false }
            return call.caller == caller
        }
        let queued = state.responses.count { $0.respondent == callee && $0.call.caller == caller }
        return owed + queued >= capacity
    }
}

extension EnumeratingRuntime {
    /// `call_perform`'s resource checks at the caller, in order: a request slot in the queue to the
    /// callee and a response slot reserved in the queue back (`queueFull`); the outgoing small-call
    /// quota or the best-effort quota, then the shared pool (`quotaExhausted`). `earlier`: the calls
    /// this execution already performed (they hold their slots and units too).
    static func resourceRefusal(
        _ call: OutgoingCall, by caller: CanisterId, earlier: [OutgoingCall], in state: ICState, limits: MessagingLimits
    ) -> SyncCallError? {
        guard call.callee.index >= 0, call.callee.index < state.canisterCount else { return nil }
        let sameCallee = earlier.count { $0.callee == call.callee }
        if state.queue(from: caller, to: call.callee).count + sameCallee >= limits.queueCapacity { return .queueFull }
        if state.openCallbacks.count + sameCallee >= limits.queueCapacity {
            let reserved = state.openCallbacks.count { $0.call.caller == caller && $0.callee == call.callee }
            if reserved + sameCallee >= limits.queueCapacity { return .queueFull }
        }
        switch call.kind {
        case .guaranteed:
            return nil
        case .smallGuaranteed:
            var use = QuotaUse(state)
            use.smallOut[caller.index] += earlier.count { $0.kind == .smallGuaranteed } + 1
            use.bestEffort[caller.index] += earlier.count { $0.kind == .bestEffort }
            if use.smallOut[caller.index] <= limits.smallQuotaOut { return nil }
            return use.pooled(limits) > limits.sharedSmallPool ? .quotaExhausted : nil
        case .bestEffort:
            // Far from the quota (the common case): nothing to count.
            if state.openCallbacks.count + earlier.count < limits.bestEffortQuota { return nil }
            var use = QuotaUse(state)
            use.smallOut[caller.index] += earlier.count { $0.kind == .smallGuaranteed }
            use.bestEffort[caller.index] += earlier.count { $0.kind == .bestEffort } + 1
            if use.bestEffort[caller.index] <= limits.bestEffortQuota { return nil }
            return use.pooled(limits) > limits.sharedSmallPool ? .quotaExhausted : nil
        }
    }
}
