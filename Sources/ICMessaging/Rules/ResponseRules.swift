import ICCore

/// A callback's run: its outcome and, when it trapped, the program state its cleanup left (if
/// the call had a cleanup and it returned). A struct, not a tuple: copies of a tuple holding an
/// execution outcome went through the runtime's generic tuple witness.
struct CallbackRun {
    let outcome: ExecutionOutcome
    let cleaned: AnyCanisterState?
}

extension ICSystem {
    /// The response `deliverResponse`/`discardResponse` would act on for `call`: while the
    /// callback is unexpired the one response in flight; once expired, only the SYS_UNKNOWN notice.
    private func deliverable(_ response: InFlightResponse, in state: ICState) -> Callback? {
        guard let callback = state.callback(response.call) else { return nil }
        return (!callback.expired || response.isSystemNotice) ? callback : nil
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
        state.responses.remove(at: responseIndex)
        if let index = state.callbackIndex(response.call) { state.openCallbacks.remove(at: index) }
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
        for (responseIndex, response) in state.responses.enumerated() {
            guard let callback = deliverable(response, in: state), let context = state.context(callback.callerContext),
                !context.deleted, !blockedBySendOrder(callback, in: state)
            else { continue }
            let caller = response.call.caller
            var base = state
            defer { base.recycle() }
            closeCallback(response, responseIndex: responseIndex, state: &base)
            let executionContext = ExecutionContext(
                canister: caller, now: base.now, balance: base[canister: caller].balance, availableCycles: context.availableCycles,
                refundedCycles: response.refund, deadline: context.deadline, needsToRespond: context.needsToRespond,
                responsePayloadLimit: responsePayloadLimit(of: callback.callerContext, in: base)
            )
            let cleanupContext = ExecutionContext(
                canister: caller, now: base.now, balance: base[canister: caller].balance, availableCycles: 0,
                refundedCycles: response.refund, deadline: context.deadline, needsToRespond: false, isCleanup: true
            )
            let program = program(of: caller, in: base)
            let preState = base[canister: caller].programState
            let cleanupMayTrap = configuration.faults.cleanupTraps
            let runCleanup = { (runtime: EnumeratingRuntime) -> AnyCanisterState? in
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
        let responses = state.responses
        for (responseIndex, response) in responses.enumerated() where isDiscardable(response, in: state) {
            // Only the call's first discardable response (a call has at most two): no set of the
            // calls seen, which cost an allocation per state with a response in flight.
            guard !responses[..<responseIndex].contains(where: { $0.call == response.call && isDiscardable($0, in: state) })
            else { continue }
            var next = state
            if deliverable(response, in: state) != nil {
                closeCallback(response, responseIndex: responseIndex, state: &next)
            } else {
                next.responses.remove(at: responseIndex)
                settleDropped(response.refund, of: response.call, in: &next)
            }
            body(.discardResponse(call: response.call), next)
            next.recycle()
        }
    }

    /// Whether `discardResponse` may discard `response`: its callback is gone or expired (and it
    /// is not the notice), or its caller context was deleted.
    private func isDiscardable(_ response: InFlightResponse, in state: ICState) -> Bool {
        guard let callback = deliverable(response, in: state) else { return true }
        return state.context(callback.callerContext)?.deleted == true
    }
}
