import ICCore

/// Steps that move and execute messages: T1, T2, T3+T4, T10+T4(+T4a), T10b, T11.
extension ICExecutor {
    mutating func ingress(slot: Int, trap: Bool, action: ICAction, runtime: ChoiceRuntime) throws(ExecutorError) {
        guard configuration.ingress.indices.contains(slot) else {
            throw .notEnabled(action, reason: "no ingress slot \(slot) in the configuration")
        }
        guard !state.ingressSent.contains(slot) else { throw .notEnabled(action, reason: "ingress #\(slot) was already sent") }
        let message = configuration.ingress[slot]
        guard let record = state.record(message.canister) else {
            throw .notEnabled(action, reason: "ingress #\(slot) names unknown canister \(message.canister)")
        }
        try requireTrapAllowed(trap, action)
        state.ingressSent.insert(slot)
        guard record.isInstalled, record.status == .running else {
            state.history.ingressResponses[slot] = .reject(.canisterError, "")
            return
        }
        if state.isFrozen(message.canister, threshold: freezingThreshold(message.canister)) {
            state.history.ingressResponses[slot] = .reject(.sysTransient, "")
            return
        }
        let id = ContextId.ingress(slot: slot)
        state.callContexts[id] = CallContext(canister: message.canister, availableCycles: 0, deadline: nil)
        let call = IncomingCall(method: message.method, arguments: message.arguments, caller: .user(slot: slot))
        if case .returned(let effects) = run(.method(call), on: message.canister, context: id, refunded: 0, trap: trap, runtime: runtime) {
            apply(effects, canister: message.canister, context: id)
        }
    }

    /// The system turns an ingress message away before induction (`faults.ingressRejects`): the
    /// user gets SYS_TRANSIENT, nothing executes.
    mutating func rejectIngress(slot: Int, action: ICAction) throws(ExecutorError) {
        guard configuration.faults.ingressRejects else {
            throw .notEnabled(action, reason: "ingress rejection is switched off in this configuration")
        }
        guard configuration.ingress.indices.contains(slot), !state.ingressSent.contains(slot) else {
            throw .notEnabled(action, reason: "ingress #\(slot) does not exist or was already sent")
        }
        state.ingressSent.insert(slot)
        state.history.ingressResponses[slot] = .reject(.sysTransient, "")
    }

    /// The head request of `from → to` after routing it through output queue, stream and input queue.
    mutating func headRequest(from: CanisterId, to: CanisterId, action: ICAction) throws(ExecutorError) -> RequestMessage {
        guard state.record(from) != nil, state.record(to) != nil else {
            throw .notEnabled(action, reason: "unknown canister")
        }
        state.route(from: from, to: to)
        guard let head = state.canisters[to.index].inputQueues[from]?.compactMap(\.request).first else {
            throw .notEnabled(action, reason: "no request in flight from \(from) to \(to)")
        }
        return head
    }

    mutating func removeFromInput(_ call: CallId, at canister: CanisterId) {
        let from = call.caller
        if let position = state.canisters[canister.index].inputQueues[from]?.firstIndex(where: { $0.request?.call == call }) {
            state.canisters[canister.index].inputQueues[from]!.remove(at: position)
            if state.canisters[canister.index].inputQueues[from]!.isEmpty { state.canisters[canister.index].inputQueues[from] = nil }
        }
    }

    /// Why the callee's system would reject a request before execution (T2), if it would.
    func admissionReject(at canister: CanisterId) -> RejectCode? {
        let record = state.canisters[canister.index]
        if !record.isInstalled || record.status != .running { return .canisterError }
        if state.isFrozen(canister, threshold: freezingThreshold(canister)) { return .sysTransient }
        return nil
    }

    /// Why the callee's system rejects `request` before executing it: its own state, then resources.
    func requestReject(_ request: RequestMessage) -> RejectCode? {
        admissionReject(at: request.callee) ?? resourceReject(of: request)
    }

    mutating func deliverRequest(from: CanisterId, to: CanisterId, trap: Bool, action: ICAction, runtime: ChoiceRuntime) throws(ExecutorError) {
        let snapshot = state
        let head = try headRequest(from: from, to: to, action: action)
        if let code = requestReject(head) {
            state = snapshot
            throw .notEnabled(action, reason: "\(to) rejects requests before execution with \(code) (status \(state.canisters[to.index].status))")
        }
        try requireTrapAllowed(trap, action)
        removeFromInput(head.call, at: to)
        let id = ContextId.call(head.call)
        state.callContexts[id] = CallContext(canister: to, availableCycles: head.cycles, deadline: head.deadline, kind: head.kind)
        state.history.calls[head.call]?.executions += 1
        state.history.started[QueuePair(from: from, to: to), default: []].append(head.call)
        let call = IncomingCall(method: head.method, arguments: head.arguments, caller: .canister(from))
        if case .returned(let effects) = run(.method(call), on: to, context: id, refunded: 0, trap: trap, runtime: runtime) {
            apply(effects, canister: to, context: id)
        }
    }

    mutating func rejectRequest(from: CanisterId, to: CanisterId, code: RejectCode, action: ICAction) throws(ExecutorError) {
        let snapshot = state
        let head = try headRequest(from: from, to: to, action: action)
        let expected = requestReject(head) ?? (mayRejectForFullOutputQueue(head) ? .sysTransient : nil)
        guard let expected, expected == code else {
            state = snapshot
            let why = requestReject(head).map { "the callee's system rejects with \($0)" } ?? "\(to) accepts requests"
            throw .notEnabled(action, reason: why)
        }
        removeFromInput(head.call, at: to)
        let message = ResponseMessage(call: head.call, response: .reject(code, ""), refund: head.cycles, kind: head.kind, synthetic: false, payloadBytes: 0)
        state.send(.response(message), from: to, to: from)
    }

    /// The response `deliverResponse(call)` consumes: the system's SYS_UNKNOWN once the callback
    /// expired, else the one real response.
    func deliverableResponse(for call: CallId, callback: Callback) -> ResponseMessage? {
        state.allResponses.first { $0.call == call && $0.synthetic == callback.expired }
    }

    mutating func deliverResponse(call: CallId, trap: Bool, action: ICAction, runtime: ChoiceRuntime) throws(ExecutorError) {
        guard let callback = state.openCallbacks[call] else {
            throw .notEnabled(action, reason: "\(call) has no open callback")
        }
        guard let response = deliverableResponse(for: call, callback: callback) else {
            throw .notEnabled(action, reason: "no deliverable response for \(call) is in flight")
        }
        let caller = call.caller
        guard let context = state.callContexts[callback.context], !context.deleted, state.canisters[caller.index].isInstalled else {
            throw .notEnabled(action, reason: "the caller's context was deleted by an uninstall (discardResponse applies)")
        }
        if options.responsesInSendOrderOnly,
            let earlier = state.openCallbacks.keys.filter({ $0.caller == caller && $0.sequence < call.sequence }).min()
        {
            throw .notEnabled(action, reason: "send-order executor: \(earlier) must get its response first")
        }
        try requireTrapAllowed(trap, action)
        _ = state.removeMessage { $0.response == response }
        state.openCallbacks[call] = nil
        state.canisters[caller.index].balance += response.refund
        state.history.calls[call]?.deliveredResponses.append(response.response)
        state.history.calls[call]?.refunded += response.refund
        let outcome = run(.callback(response.response, callback.continuation), on: caller, context: callback.context,
                          refunded: response.refund, trap: trap, runtime: runtime)
        switch outcome {
        case .returned(let effects):
            apply(effects, canister: caller, context: callback.context)
        case .trapped:
            guard callback.hasCleanup else { return }
            // A trapping cleanup (a fault the configuration may allow) changes nothing either.
            if configuration.faults.cleanupTraps, runtime.trapsCleanup() { return }
            // T4a: the cleanup runs on the pre-callback heap (the trap discarded the callback's).
            let cleanup = run(.cleanup(callback.continuation), on: caller, context: callback.context, refunded: response.refund,
                              trap: false, runtime: runtime, isCleanup: true)
            if case .returned(let effects) = cleanup {
                state.canisters[caller.index].programState = effects.state
            }
        }
    }

    /// T10b (refund only, for a deleted context) or T11 (a response nobody waits for any more).
    mutating func discardResponse(call: CallId, action: ICAction) throws(ExecutorError) {
        let callback = state.openCallbacks[call]
        // A stale response: its callback is gone, or expired and this is the real response.
        if let stale = state.allResponses.first(where: { $0.call == call && (callback == nil || (callback!.expired && !$0.synthetic)) }) {
            _ = state.removeMessage { $0.response == stale }
            dispose(droppedCycles: stale.refund, of: call)
            return
        }
        guard let callback, let response = deliverableResponse(for: call, callback: callback) else {
            throw .notEnabled(action, reason: "no discardable response for \(call) is in flight")
        }
        let context = state.callContexts[callback.context]
        guard context?.deleted ?? true else {
            throw .notEnabled(action, reason: "the callback of \(call) is live: its response must be delivered")
        }
        _ = state.removeMessage { $0.response == response }
        state.openCallbacks[call] = nil
        state.canisters[call.caller.index].balance += response.refund
        state.history.calls[call]?.deliveredResponses.append(response.response)
        state.history.calls[call]?.refunded += response.refund
    }

    func freezingThreshold(_ canister: CanisterId) -> Cycles {
        configuration.canisters.indices.contains(canister.index) ? configuration.canisters[canister.index].freezingThreshold : 0
    }

    func requireTrapAllowed(_ trap: Bool, _ action: ICAction) throws(ExecutorError) {
        if trap && !configuration.faults.injectedTraps {
            throw .notEnabled(action, reason: "injected traps are switched off in this configuration")
        }
    }
}
