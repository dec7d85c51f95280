import ICCore

/// The executor's resource checks: queue slots as the replica's `CanisterQueue` counts them
/// (request slots and response slots apart, each up to `queueCapacity`), and the
/// scalable-messaging proposal's quotas (1 kB units; see `MessagingLimits`).
///
/// Simplifications, shared with the model so that replay agrees: request slots count the pair's
/// requests wherever they are (output queue, stream, input queue), since the executor routes
/// lazily; a callee's response slot towards a caller is held while its call context still needs
/// to respond (the response leaves the output queue at once).
extension ICExecutor {
    /// Units held per canister: outgoing small calls (open callbacks), incoming small calls
    /// (contexts of small calls still to answer), outgoing best-effort calls (open callbacks).
    struct Holdings {
        var smallOut: [CanisterId: Int] = [:]
        var smallIn: [CanisterId: Int] = [:]
        var bestEffort: [CanisterId: Int] = [:]

        init(_ state: ExecutorState) {
            for (call, callback) in state.openCallbacks {
                if callback.kind == .smallGuaranteed { smallOut[call.caller, default: 0] += 1 }
                if callback.kind == .bestEffort { bestEffort[call.caller, default: 0] += 1 }
            }
            for context in state.callContexts.values where context.kind == .smallGuaranteed && context.needsToRespond {
                smallIn[context.canister, default: 0] += 1
            }
        }

        /// What the canisters use beyond their own quotas: the shared pool's load.
        func fromPool(_ limits: MessagingLimits) -> Int {
            smallOut.values.reduce(0) { $0 + Swift.max(0, $1 - limits.smallQuotaOut) }
                + smallIn.values.reduce(0) { $0 + Swift.max(0, $1 - limits.smallQuotaIn) }
                + bestEffort.values.reduce(0) { $0 + Swift.max(0, $1 - limits.bestEffortQuota) }
        }
    }

    /// `call_perform`'s slot and quota checks for `call` by `caller`, with `earlier` the calls the
    /// same execution performed: request slot towards the callee, response slot reserved back
    /// (`queueFull`); own quota, else the shared pool (`quotaExhausted`).
    static func slotAndQuotaRefusal(
        _ call: OutgoingCall, by caller: CanisterId, earlier: [OutgoingCall], snapshot: ExecutorState, limits: MessagingLimits
    ) -> SyncCallError? {
        guard snapshot.record(call.callee) != nil else { return nil }
        let earlierToCallee = earlier.filter { $0.callee == call.callee }.count
        let requestSlots = snapshot.messages(from: caller, to: call.callee).filter { $0.request != nil }.count + earlierToCallee
        if requestSlots >= limits.queueCapacity { return .queueFull }
        let responseSlots = snapshot.openCallbacks.filter { $0.key.caller == caller && $0.value.callee == call.callee }.count
            + earlierToCallee
        if responseSlots >= limits.queueCapacity { return .queueFull }
        guard call.kind != .guaranteed else { return nil }
        var holdings = Holdings(snapshot)
        for made in earlier + [call] {
            if made.kind == .smallGuaranteed { holdings.smallOut[caller, default: 0] += 1 }
            if made.kind == .bestEffort { holdings.bestEffort[caller, default: 0] += 1 }
        }
        let own = call.kind == .smallGuaranteed
            ? holdings.smallOut[caller, default: 0] <= limits.smallQuotaOut
            : holdings.bestEffort[caller, default: 0] <= limits.bestEffortQuota
        if own || holdings.fromPool(limits) <= limits.sharedSmallPool { return nil }
        return .quotaExhausted
    }

    /// Why the callee's system rejects `request` when it would start it, for lack of resources
    /// (SYS_TRANSIENT, sent back as a response): no response slot left towards the caller, or a
    /// small call over the callee's incoming quota with the shared pool used up.
    func resourceReject(of request: RequestMessage) -> RejectCode? {
        let limits = configuration.limits
        let callee = request.callee
        let owed = state.callContexts.filter { id, context in
            guard context.canister == callee, context.needsToRespond, case .call(let call) = id else { return false }
            return call.caller == request.call.caller
        }.count
        if owed >= limits.queueCapacity { return .sysTransient }
        guard request.kind == .smallGuaranteed else { return nil }
        var holdings = Holdings(state)
        holdings.smallIn[callee, default: 0] += 1
        if holdings.smallIn[callee, default: 0] <= limits.smallQuotaIn || holdings.fromPool(limits) <= limits.sharedSmallPool {
            return nil
        }
        return .sysTransient
    }

    /// Whether the callee may reject `request` because its output queue towards the caller may
    /// hold no response slot for it: the contexts that still owe the caller a response plus the
    /// answers they already sent the caller that the caller has not consumed yet, wherever the
    /// executor's lazy routing left them (output queue, stream, input queue), reach the capacity.
    /// The replica routes them out of the output queue at some round end; replay allows both.
    /// Like the model, only below the replica's capacity (`MessagingLimits.replicaQueueCapacity`).
    func mayRejectForFullOutputQueue(_ request: RequestMessage) -> Bool {
        guard configuration.limits.queueCapacity < MessagingLimits.replicaQueueCapacity else { return false }
        let callee = request.callee, caller = request.call.caller
        let owed = state.callContexts.filter { id, context in
            guard context.canister == callee, context.needsToRespond, case .call(let call) = id else { return false }
            return call.caller == caller
        }.count
        let unconsumed = state.messages(from: callee, to: caller).filter { $0.response?.answeredByContext == true }.count
        return owed + unconsumed >= configuration.limits.queueCapacity
    }

    /// The largest reply the context's call allows: 1 kB for a small guaranteed-response call.
    func replyLimit(of context: CallContext?) -> Int {
        context?.kind == .smallGuaranteed ? configuration.limits.smallPayloadLimit : configuration.limits.payloadLimit
    }
}
