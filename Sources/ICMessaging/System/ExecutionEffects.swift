import ICCore

extension ICSystem {
    /// Applies a returned execution (T4 success): new program state, new calls enqueued at the
    /// tail of their pair queues with attached cycles debited and a callback each, cycles
    /// accepted from the context, and the optional response (refund = available − accepted).
    func applyReturned(_ effects: ExecutionEffects, canister: CanisterId, context contextId: ContextId, to state: inout ICState) {
        state[canister: canister].programState = effects.state
        if let timer = effects.globalTimer { state[canister: canister].globalTimer = timer == 0 ? nil : timer }
        for call in effects.calls {
            perform(call, by: canister, in: contextId, on: &state)
        }
        guard let index = state.contextIndex(contextId) else { return }
        if effects.acceptedCycles > 0 {
            state.callContexts[index].availableCycles -= effects.acceptedCycles
            state[canister: canister].balance += effects.acceptedCycles
            if case .call(let call) = contextId { state.recordCall(call) { $0.accepted += effects.acceptedCycles } }
        }
        if let response = effects.response, state.callContexts[index].needsToRespond {
            state.respond(context: index, with: response, fromCallee: true, recordingRespondent: tracksResponseSlots)
        }
    }

    /// `MAX_CALL_TIMEOUT` (CI `ic0.call_with_best_effort_response`: the timeout is clamped to it).
    static let maxCallTimeout: Time = 300

    /// A best-effort call's timeout as the system applies it: 0 ≤ timeout ≤ `maxCallTimeout`.
    static func clampedTimeout(_ requested: Time) -> Time { min(max(requested, 0), maxCallTimeout) }

    /// Enqueues one performed call (T4 "for each call ∈ new_calls"); a callee outside the
    /// configuration gets an immediate DESTINATION_INVALID reject with full refund.
    private func perform(_ call: OutgoingCall, by caller: CanisterId, in contextId: ContextId, on state: inout ICState) {
        let id = CallId(caller: caller, sequence: state[canister: caller].nextCallSequence)
        state[canister: caller].nextCallSequence += 1
        state[canister: caller].balance -= call.cycles
        let deadline = call.kind.isBestEffort ? state.now + Self.clampedTimeout(call.timeout ?? 0) : nil
        state.insertCallback(
            Callback(
                call: id, callerContext: contextId, callee: call.callee, continuation: call.continuation, kind: call.kind,
                attachedCycles: call.cycles, deadline: deadline, expired: false, hasCleanup: call.hasCleanup
            )
        )
        let pair = QueuePair(from: caller, to: call.callee)
        state.recordSent(pair, id)
        if state.recording.contains(.calls) {
            state.history.insertCall(id, CallRecord(callee: call.callee, method: call.method, kind: call.kind, attached: call.cycles, deadline: deadline))
        }
        if call.callee == .management, hasManagementCanister {
            state.queues[state.queueIndex(caller, .management)].append(
                QueuedRequest(call: id, callee: .management, method: call.method, arguments: call.arguments, cycles: call.cycles, kind: call.kind, deadline: deadline))
            return
        }
        guard call.callee.index >= 0, call.callee.index < state.canisterCount else {
            state.insertResponse(
                InFlightResponse(call: id, response: .reject(.destinationInvalid, ""), refund: call.cycles, isSystemNotice: false)
            )
            return
        }
        state.queues[state.queueIndex(caller, call.callee)].append(
            QueuedRequest(
                call: id, callee: call.callee, method: call.method, arguments: call.arguments, cycles: call.cycles,
                kind: call.kind, deadline: deadline
            )
        )
    }

    /// Runs an update method (or a system task) in an existing context, once per choice sequence, and emits one
    /// successor per sequence; with `faults.injectedTraps`, also the `trap: true` successor.
    /// `base` already contains the context and the removal of the request; `callKind`: the kind of
    /// the call that created the context, when the caller knows it (it sets the reply limit).
    func executeMethod(
        _ entry: EntryPoint, canister: CanisterId, context contextId: ContextId, base: ICState,
        stateOnly: Bool = false, callKind: CallKind? = nil, label: (_ choices: [Int], _ trap: Bool) -> ICAction,
        _ body: (ICAction, ICState) -> Void
    ) {
        guard let context = base.context(contextId) else { return }
        let executionContext = ExecutionContext(
            canister: canister, now: base.now, balance: base.balance(of: canister),
            availableCycles: stateOnly ? 0 : context.availableCycles, refundedCycles: 0, deadline: context.deadline,
            needsToRespond: stateOnly ? false : context.needsToRespond,
            responsePayloadLimit: callKind.map { $0 == .smallGuaranteed ? configuration.limits.smallPayloadLimit : configuration.limits.payloadLimit }
                ?? responsePayloadLimit(of: contextId, in: base)
        )
        let program = program(of: canister, in: base)
        var kept = TrappedStateKeeper(enabled: keepsTrappedState)
        forEachChoiceSequence(
            state: base, configuration: configuration, canister: canister, available: executionContext.availableCycles,
            clockReads: clockReads
        ) { runtime in
            program.execute(entry, state: base.programState(of: canister), context: executionContext, runtime: runtime)
        } _: { choices, result in
            var next = base
            kept.record(result)
            if case .returned(let effects) = result {
                if stateOnly {
                    next[canister: canister].programState = effects.state
                } else {
                    applyReturned(effects, canister: canister, context: contextId, to: &next)
                }
            }
            body(label(choices, false), next)
            next.recycle()
        }
        if configuration.faults.injectedTraps {
            emitInjectedTrap(keeping: kept.state, canister: canister, base: base, label: label, body)
        }
    }

    /// The `trap: true` variant: nothing but the step's bookkeeping happens. Under
    /// `keepTrappedState` the first run's state change (`kept`) is kept (calls and response dropped).
    private func emitInjectedTrap(
        keeping kept: AnyCanisterState?, canister: CanisterId, base: ICState,
        label: (_ choices: [Int], _ trap: Bool) -> ICAction, _ body: (ICAction, ICState) -> Void
    ) {
        var next = base
        if let kept { next[canister: canister].programState = kept }
        body(label([], true), next)
        next.recycle()
    }
}

/// Under the `keepTrappedState` mutation, the program state that an execution's first run
/// returned: the injected trap keeps it instead of rolling back.
struct TrappedStateKeeper {
    let enabled: Bool
    private(set) var state: AnyCanisterState?
    private var runs = 0

    init(enabled: Bool) { self.enabled = enabled }

    /// Called with each run's outcome, in order.
    mutating func record(_ outcome: ExecutionOutcome) {
        defer { runs += 1 }
        if enabled, runs == 0, case .returned(let effects) = outcome { state = effects.state }
    }
}

extension ICSystem {
    /// Whether injected traps keep the first run's state (the `keepTrappedState` mutation).
    var keepsTrappedState: Bool { configuration.faults.injectedTraps && mutations.contains(.keepTrappedState) }
}
