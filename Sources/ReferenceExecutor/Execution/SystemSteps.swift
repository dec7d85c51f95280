import ICCore

/// Steps the system takes on its own: T6, T7, T8, T9 and load shedding.
extension ICExecutor {
    /// T8: a context that needs a response but has no open callbacks left gets CANISTER_ERROR.
    mutating func starve(_ id: ContextId, action: ICAction) throws(ExecutorError) {
        guard var context = state.callContexts[id] else { throw .notEnabled(action, reason: "no context \(id)") }
        guard context.needsToRespond else { throw .notEnabled(action, reason: "\(id) was already answered") }
        guard !state.hasOpenCallbacks(id) else {
            throw .notEnabled(action, reason: "\(id) still awaits responses to its calls")
        }
        let refund = context.availableCycles
        context.needsToRespond = false
        context.availableCycles = 0
        state.callContexts[id] = context
        respond(to: id, with: .reject(.canisterError, ""), refund: refund)
    }

    /// T9: an answered, unreferenced context is removed.
    mutating func remove(_ id: ContextId, action: ICAction) throws(ExecutorError) {
        guard let context = state.callContexts[id] else { throw .notEnabled(action, reason: "no context \(id)") }
        guard !context.needsToRespond else { throw .notEnabled(action, reason: "\(id) still needs to respond") }
        guard !state.hasOpenCallbacks(id) else { throw .notEnabled(action, reason: "\(id) still awaits responses") }
        state.callContexts[id] = nil
    }

    /// The request of `call`, wherever it is in flight.
    func requestInFlight(_ call: CallId) -> RequestMessage? {
        state.allMessages.lazy.compactMap(\.request).first { $0.call == call }
    }

    /// T6: any request in flight is rejected with a code allowed for its kind; full refund. The
    /// reject is generated on the caller's side (as the IC does for a REJ signal).
    mutating func systemReject(call: CallId, code: RejectCode, action: ICAction) throws(ExecutorError) {
        guard configuration.faults.spontaneousRejects else {
            throw .notEnabled(action, reason: "spontaneous rejects are switched off in this configuration")
        }
        guard let request = requestInFlight(call) else { throw .notEnabled(action, reason: "no request of \(call) in flight") }
        guard Self.mayRejectSpontaneously(request.kind, with: code) else {
            throw .notEnabled(action, reason: "\(code) is not a spontaneous code for a \(request.kind) call")
        }
        _ = state.removeMessage { $0.request?.call == call }
        let message = ResponseMessage(call: call, response: .reject(code, ""), refund: request.cycles, kind: request.kind,
                                      synthetic: false, payloadBytes: 0)
        state.deliverLocally(.response(message), from: request.callee, to: call.caller)
    }

    /// Whether the system may reject a call of `kind` on its own with `code` (T6): a
    /// guaranteed-response call never gets SYS_UNKNOWN (the replica's `SYS_UNKNOWN` comes only
    /// from deadline expiry and shedding of best-effort messages).
    static func mayRejectSpontaneously(_ kind: CallKind, with code: RejectCode) -> Bool {
        code != .sysUnknown || kind == .bestEffort
    }

    /// T7: a best-effort callback expires (at its deadline, or earlier when early expiry is on):
    /// the caller gets SYS_UNKNOWN with refund 0; the request or response stays in flight.
    mutating func expire(call: CallId, action: ICAction) throws(ExecutorError) {
        guard var callback = state.openCallbacks[call] else { throw .notEnabled(action, reason: "\(call) has no open callback") }
        guard callback.kind.isBestEffort, let deadline = callback.deadline else {
            throw .notEnabled(action, reason: "\(call) is a \(callback.kind) call: it never expires")
        }
        guard !callback.expired else { throw .notEnabled(action, reason: "\(call) already expired") }
        guard state.now >= deadline || configuration.faults.earlyExpiry else {
            throw .notEnabled(action, reason: "deadline \(deadline) not reached (now \(state.now)) and early expiry is off")
        }
        callback.expired = true
        state.openCallbacks[call] = callback
        let message = ResponseMessage(call: call, response: .reject(.sysUnknown, ""), refund: 0, kind: .bestEffort,
                                      synthetic: true, payloadBytes: 0)
        state.deliverLocally(.response(message), from: callback.callee, to: call.caller)
    }

    /// Load shedding of a best-effort request: removed, its cycles lost or refunded (see
    /// `dispose(droppedCycles:of:)`); the caller learns through expiry.
    mutating func dropRequest(call: CallId, action: ICAction) throws(ExecutorError) {
        guard configuration.faults.dropBestEffort else {
            throw .notEnabled(action, reason: "dropping best-effort messages is switched off in this configuration")
        }
        guard let request = requestInFlight(call) else { throw .notEnabled(action, reason: "no request of \(call) in flight") }
        guard request.kind.isBestEffort else { throw .notEnabled(action, reason: "\(call) is a \(request.kind) call") }
        try requireFairShare(of: call.caller, action)
        _ = state.removeMessage { $0.request?.call == call }
        dispose(droppedCycles: request.cycles, of: call)
    }

    /// Load shedding of a best-effort response: replaced by the system's SYS_UNKNOWN with refund
    /// 0 (the IC's `ResponseDropped`); the callback counts as expired from then on.
    mutating func dropResponse(call: CallId, action: ICAction) throws(ExecutorError) {
        guard configuration.faults.dropBestEffort else {
            throw .notEnabled(action, reason: "dropping best-effort messages is switched off in this configuration")
        }
        guard var callback = state.openCallbacks[call], !callback.expired else {
            throw .notEnabled(action, reason: "\(call) has no live callback waiting for a response")
        }
        guard callback.kind.isBestEffort else { throw .notEnabled(action, reason: "\(call) is a \(callback.kind) call") }
        guard let response = state.allResponses.first(where: { $0.call == call && !$0.synthetic }) else {
            throw .notEnabled(action, reason: "no response of \(call) in flight")
        }
        try requireFairShare(of: callback.callee, action)
        _ = state.removeMessage { $0.response == response }
        dispose(droppedCycles: response.refund, of: call)
        callback.expired = true
        state.openCallbacks[call] = callback
        let message = ResponseMessage(call: call, response: .reject(.sysUnknown, ""), refund: 0, kind: .bestEffort,
                                      synthetic: true, payloadBytes: 0)
        state.deliverLocally(.response(message), from: callback.callee, to: call.caller)
    }
}

extension ICExecutor {
    /// Fair load shedding (`LoadShedding.fair`): only a sender holding the most best-effort
    /// messages in flight loses one (requests count for their caller, real responses to open
    /// best-effort callbacks for their callee).
    func requireFairShare(of sender: CanisterId, _ action: ICAction) throws(ExecutorError) {
        guard configuration.loadShedding == .fair else { return }
        var held: [CanisterId: Int] = [:]
        for message in state.allMessages {
            if let request = message.request, request.kind.isBestEffort {
                held[request.call.caller, default: 0] += 1
            } else if let response = message.response, !response.synthetic, response.kind.isBestEffort,
                let callback = state.openCallbacks[response.call], callback.callee != .management
            {
                held[callback.callee, default: 0] += 1
            }
        }
        let most = held.values.max() ?? 0
        guard held[sender, default: 0] == most else {
            throw .notEnabled(action, reason: "fair shedding: \(sender) holds \(held[sender, default: 0]) best-effort messages, another canister \(most)")
        }
    }

    /// The cycles carried by a best-effort message the system dropped (shed, or a late response
    /// nobody waits for). `.specification`: they vanish (the spec's "Dropping expired messages").
    /// `.replica`: the replica puts them in its `RefundPool`, whence an anonymous refund reaches the
    /// originating canister's balance; no callback runs. The executor credits it in the same step.
    mutating func dispose(droppedCycles amount: Cycles, of call: CallId) {
        if configuration.cycleRefunds == .replica {
            state.canisters[call.caller.index].balance += amount
            state.history.calls[call]?.returned += amount
        } else {
            state.lostCycles += amount
            state.history.calls[call]?.lost += amount
        }
    }
}
