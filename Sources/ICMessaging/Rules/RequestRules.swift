import ICCore

extension ICSystem {
    /// Why the canister cannot execute a new call now (T1/T2): stopping, stopped or empty →
    /// CANISTER_ERROR; frozen (balance < freezing threshold) → SYS_TRANSIENT; `nil` if it can.
    func admissionReject(of canister: CanisterId, in state: ICState) -> RejectCode? {
        // Two fields read in place (a copy of the record retained and released its program state).
        let canExecute = state.readCanister(canister) { !$0.isEmpty && $0.status.isRunning }
        if !canExecute { return .canisterError }
        if state.isFrozen(canister, configuration) { return .sysTransient }
        return nil
    }

    /// Why the callee's system rejects `request` from `caller` before executing it (T2): the
    /// canister's own reasons (`admissionReject`), then the resource checks (`resourceReject`).
    func requestReject(_ request: QueuedRequest, from caller: CanisterId, in state: ICState) -> RejectCode? {
        admissionReject(of: request.callee, in: state) ?? resourceReject(of: request, from: caller, in: state)
    }

    /// `ingress(slot:choices:trap:)` — T1 + T3 + T4 (+ T12 for the answer).
    ///
    /// A not-yet-sent ingress message reaches its canister. If the canister is running, non-empty
    /// and not frozen, a context `ingress#slot` (no cycles) is created and the method executes
    /// atomically, once per choice sequence; otherwise the user gets a reject at once
    /// (CANISTER_ERROR, or SYS_TRANSIENT when frozen; DESTINATION_INVALID for a canister outside
    /// the configuration). Simplifications: no `inspect_message`, no ingress expiry, ingress
    /// messages are sent in any order (the IC gives no ingress ordering).
    func ingress(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        // The message is copied only for a slot not sent yet (most are sent or answered).
        for slot in configuration.ingress.indices where state.ingress[slot] == .notSent {
            let message = configuration.ingress[slot]
            let canister = message.canister
            let code: RejectCode? =
                canister.index >= 0 && canister.index < state.canisterCount
                ? admissionReject(of: canister, in: state) : .destinationInvalid
            if let code {
                var next = state
                next.ingress[slot] = .answered
                next.recordIngressResponse(.reject(code, ""), slot: slot)
                body(.ingress(slot: slot, choices: [], trap: false), next)
                next.recycle()
                continue
            }
            var base = state
            base.ingress[slot] = .sent
            let contextId = ContextId.ingress(slot: slot)
            base.insertContext(CallContext(id: contextId, canister: canister, needsToRespond: true, deleted: false, availableCycles: 0, deadline: nil))
            let call = IncomingCall(method: message.method, arguments: message.arguments, caller: .user(slot: slot))
            executeMethod(.method(call), canister: canister, context: contextId, base: base, label: { .ingress(slot: slot, choices: $0, trap: $1) }, body)
        }
    }

    /// `deliverRequest(from:to:choices:trap:)` — T3 + T4.
    ///
    /// The request at the head of the queue from→to starts at a running, non-empty, unfrozen
    /// callee: it leaves the queue, a context `ctx(call)` holding the attached cycles is created
    /// (history: `started`, `executions`), and the method executes atomically, once per choice
    /// sequence. Simplifications: no `minimum_incoming_canister_call_cycles` (T2c), no
    /// `MAX_CYCLES_PER_MESSAGE` deduction.
    func deliverRequest(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        forEachQueueHead(in: state) { queueIndex, from, to, head in
            guard requestReject(head, from: from, in: state) == nil else { return }
            var base = state
            defer { base.recycle() }
            let redelivery = head.deliveries > 0
            if mutations.contains(.executeRequestTwice), !redelivery {
                base.queues[queueIndex][0].deliveries = 1
            } else {
                base.queues.removeRequest(at: 0, fromQueue: queueIndex)
            }
            base.recordStarted(QueuePair(from: from, to: to), head.call)
            base.recordCall(head.call) { $0.executions += 1 }
            let contextId = ContextId.call(head.call)
            let stateOnly = redelivery
            if !redelivery {
                base.insertContext(
                    CallContext(id: contextId, canister: to, needsToRespond: true, deleted: false, availableCycles: head.cycles, deadline: head.deadline)
                )
            } else if base.context(contextId) == nil {
                // The first execution's context is gone: run the second one in a throw-away context.
                base.insertContext(CallContext(id: contextId, canister: to, needsToRespond: false, deleted: false, availableCycles: 0, deadline: head.deadline))
                let call = IncomingCall(method: head.method, arguments: head.arguments, caller: .canister(from))
                executeMethod(.method(call), canister: to, context: contextId, base: base, stateOnly: true, label: { .deliverRequest(from: from, to: to, choices: $0, trap: $1) }) { action, next in
                    var cleaned = next
                    if let index = cleaned.contextIndex(contextId) { cleaned.removeContext(at: index) }
                    body(action, cleaned)
                    cleaned.recycle()
                }
                return
            }
            let call = IncomingCall(method: head.method, arguments: head.arguments, caller: .canister(from))
            executeMethod(
                .method(call), canister: to, context: contextId, base: base, stateOnly: stateOnly, callKind: head.kind,
                label: { .deliverRequest(from: from, to: to, choices: $0, trap: $1) }, body
            )
        }
    }

    /// Each non-empty queue between canisters, with its index, its pair and its head, in
    /// (from, to) order. One read of the queues for all pairs, visiting the non-empty ones only:
    /// each `state.queue(from:to:)` cost reference counts on the queues and the canisters.
    /// Indices follow `ICState.queueIndex`.
    @inline(__always)
    func forEachQueueHead(
        in state: ICState, _ body: (_ queueIndex: Int, _ from: CanisterId, _ to: CanisterId, _ head: QueuedRequest) -> Void
    ) {
        let n = state.canisterCount
        for entry in state.queues.entries(below: n * n) {
            body(entry.index, CanisterId(entry.index / n), CanisterId(entry.index % n), entry.requests[0])
        }
    }

    /// `rejectRequest(from:to:code:)` — T2 (a, b).
    ///
    /// The request at the head of from→to is rejected by the callee's system before execution:
    /// stopping/stopped or empty callee → CANISTER_ERROR; frozen, no response slot left towards the
    /// caller, or a small call over the callee's incoming quota and the shared pool → SYS_TRANSIENT
    /// (the proposal's asynchronous enforcement of incoming quotas at the callee). The response
    /// refunds all attached cycles. The callee's system may also reject SYS_TRANSIENT when its
    /// output queue towards the caller may be full of responses (`outputQueueMayBeFull`); then
    /// `deliverRequest` is enabled too. Simplification: an empty callee answers CANISTER_ERROR as
    /// the brief prescribes (the spec's T2 covers only non-empty callees).
    func rejectRequest(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        forEachQueueHead(in: state) { queueIndex, from, to, head in
            guard
                let code = requestReject(head, from: from, in: state)
                    ?? (outputQueueMayBeFull(of: head, from: from, in: state) ? .sysTransient : nil)
            else { return }
            var next = state
            next.queues.removeRequest(at: 0, fromQueue: queueIndex)
            next.insertResponse(InFlightResponse(call: head.call, response: .reject(code, ""), refund: head.cycles, isSystemNotice: false))
            body(.rejectRequest(from: from, to: to, code: code), next)
            next.recycle()
        }
    }
}
