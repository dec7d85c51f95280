import ICCore

/// A callback's run: its outcome and, when it trapped, the program state its cleanup left (if
/// the call had a cleanup and it returned). A struct, not a tuple: copies of a tuple holding an
/// execution outcome went through the runtime's generic tuple witness.
struct CallbackRun {
    let outcome: ExecutionOutcome
    let cleaned: AnyCanisterState?
}

extension ICSystem {
    /// The response at `index`'s call and whether it is the notice, read in place (no copy of
    /// its payload) for the checks that skip most responses.
    @inline(__always)
    private func responseKey(at index: Int, in state: ICState) -> (call: CallId, isSystemNotice: Bool) {
        state.storage.responses.value.withUnsafeBufferPointer { ($0[index].call, $0[index].isSystemNotice) }
    }

    /// Under `responsesInSendOrder`: an older call of the same pair still awaits its response.
    private func blockedBySendOrder(_ callback: Callback, in state: ICState) -> Bool {
        mutations.contains(.responsesInSendOrder)
            && state.openCallbacks.contains {
                $0.call.caller == callback.call.caller && $0.callee == callback.callee && $0.call.sequence < callback.call.sequence
            }
    }

    /// Closes the callback and records the delivery: history `deliveredResponses`, `refunded`;
    /// the refund is credited to the caller first (T10a / T10b).
    private func closeCallback(_ response: InFlightResponse, responseIndex: Int, state: inout ICState) {
        state.removeResponse(at: responseIndex)
        if let index = state.callbackIndex(response.call) { state.removeCallback(at: index) }
        let credited = mutations.contains(.refundNotReturned) ? 0 : response.refund
        state[canister: response.call.caller].balance += credited
        state.recordCall(response.call) {
            $0.deliveredResponses.append(response.response)
            $0.refunded += credited
        }
    }

    /// `deliverResponse(call:choices:trap:)` — T10a + T4 (+ T4a).
    ///
    /// A response whose callback is open (and unexpired, unless it is the SYS_UNKNOWN notice) and
    /// whose caller context is not deleted is delivered: the refund is credited first, then the
    /// callback runs in the caller's context, once per choice sequence. If it traps (by itself or
    /// injected) and the call was made with a cleanup, the cleanup runs on the pre-callback state
    /// and only its state change is kept. A trapping callback leaves the callee's context alone.
    /// With `faults.cleanupTraps` the cleanup may trap too (a recorded choice): then the program
    /// state stays as it was before the callback.
    func deliverResponse(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for responseIndex in 0..<state.responses.count {
            // Most responses are not deliverable: those are skipped without copying them or their callback.
            let key = responseKey(at: responseIndex, in: state)
            guard let found = state.deliverableCallback(of: key.call, isSystemNotice: key.isSystemNotice),
                let contextIndex = state.contextIndex(found.callerContext)
            else { continue }
            let context = state.storage.contexts.value[contextIndex]
            guard !context.deleted else { continue }
            let callback = state.storage.callbacks.value[found.index]
            guard !blockedBySendOrder(callback, in: state) else { continue }
            let response = state.storage.responses.value[responseIndex]
            let caller = response.call.caller
            var base = state
            defer { base.recycle() }
            closeCallback(response, responseIndex: responseIndex, state: &base)
            let executionContext = ExecutionContext(
                canister: caller, now: base.now, balance: base.balance(of: caller), availableCycles: context.availableCycles,
                refundedCycles: response.refund, deadline: context.deadline, needsToRespond: context.needsToRespond,
                responsePayloadLimit: responsePayloadLimit(of: callback.callerContext, in: base)
            )
            let cleanupContext = ExecutionContext(
                canister: caller, now: base.now, balance: base.balance(of: caller), availableCycles: 0,
                refundedCycles: response.refund, deadline: context.deadline, needsToRespond: false, isCleanup: true
            )
            let program = program(of: caller, in: base)
            let preState = base.programState(of: caller)
            let cleanupMayTrap = configuration.faults.cleanupTraps
            // A local function, not a closure value: a closure held in a `let` was allocated
            // (its captures boxed) for every delivered response.
            func runCleanup(_ runtime: EnumeratingRuntime) -> AnyCanisterState? {
                guard callback.hasCleanup else { return nil }
                // `faults.cleanupTraps`: the system may trap the cleanup too (one choice among 2).
                if cleanupMayTrap, runtime.choose(2) == 1 { return nil }
                let outcome = program.execute(.cleanup(callback.continuation), state: preState, context: cleanupContext, runtime: runtime)
                if case .returned(let effects) = outcome { return effects.state }
                return nil
            }
            var kept = TrappedStateKeeper(enabled: keepsTrappedState)
            forEachChoiceSequence(
                state: base, configuration: configuration, canister: caller, available: context.availableCycles,
                clockReads: clockReads
            ) { runtime in
                let outcome = program.execute(
                    .callback(response.response, callback.continuation), state: preState, context: executionContext, runtime: runtime
                )
                if case .returned = outcome { return CallbackRun(outcome: outcome, cleaned: nil) }
                return CallbackRun(outcome: outcome, cleaned: runCleanup(runtime))
            } _: { choices, result in
                var next = base
                kept.record(result.outcome)
                switch result.outcome {
                case .returned(let effects):
                    applyReturned(effects, canister: caller, context: callback.callerContext, to: &next)
                case .trapped: if let cleaned = result.cleaned { next[canister: caller].programState = cleaned }
                }
                body(.deliverResponse(call: response.call, choices: choices, trap: false), next)
                next.recycle()
            }
            guard configuration.faults.injectedTraps else { continue }
            if let keptState = kept.state {
                var next = base
                next[canister: caller].programState = keptState
                body(.deliverResponse(call: response.call, choices: [], trap: true), next)
                next.recycle()
                continue
            }
            // Without a cleanup nothing runs: the one trap successor is the callback closed.
            guard callback.hasCleanup else {
                body(.deliverResponse(call: response.call, choices: [], trap: true), base)
                continue
            }
            forEachChoiceSequence(
                state: base, configuration: configuration, canister: caller, available: 0, clockReads: clockReads, runCleanup
            ) { choices, cleaned in
                var next = base
                if let cleaned { next[canister: caller].programState = cleaned }
                body(.deliverResponse(call: response.call, choices: choices, trap: true), next)
                next.recycle()
            }
        }
    }

    /// `discardResponse(call:)` — T11 and T10b; no code runs.
    ///
    /// (a) A response whose callback is gone or expired (the late real response after a
    /// SYS_UNKNOWN notice) is dropped: its refund is settled by `settleDropped` (lost, or
    /// returned to the caller's balance under `CycleRefunds.replica`).
    /// (b) A response for a caller context deleted by an uninstall: the callback closes, the refund
    /// is credited, the delivery is recorded. Per call, the first discardable response in canonical
    /// order (real before notice) is the one discarded, so the label is unambiguous.
    func discardResponse(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for responseIndex in 0..<state.responses.count {
            let key = responseKey(at: responseIndex, in: state)
            guard isDiscardable(key, in: state) else { continue }
            // Only the call's first discardable response (a call has at most two): no set of the
            // calls seen, which cost an allocation per state with a response in flight.
            guard !(0..<responseIndex).contains(where: {
                let earlier = responseKey(at: $0, in: state)
                return earlier.call == key.call && isDiscardable(earlier, in: state)
            })
            else { continue }
            let response = state.storage.responses.value[responseIndex]
            var next = state
            if state.deliverableCallback(of: key.call, isSystemNotice: key.isSystemNotice) != nil {
                closeCallback(response, responseIndex: responseIndex, state: &next)
            } else {
                next.removeResponse(at: responseIndex)
                settleDropped(response.refund, of: response.call, in: &next)
            }
            body(.discardResponse(call: response.call), next)
            next.recycle()
        }
    }

    /// Whether `discardResponse` may discard `response`: its callback is gone or expired (and it
    /// is not the notice), or its caller context was deleted.
    private func isDiscardable(_ response: (call: CallId, isSystemNotice: Bool), in state: ICState) -> Bool {
        guard let found = state.deliverableCallback(of: response.call, isSystemNotice: response.isSystemNotice) else { return true }
        return state.isDeletedContext(found.callerContext)
    }
}
