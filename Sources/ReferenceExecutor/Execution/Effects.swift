import ICCore

extension ICExecutor {
    /// Runs one message execution of `canister` in `context` (T4) with the current heap.
    /// A system-injected trap (`trap`) replaces the execution.
    func run(
        _ entry: EntryPoint, on canister: CanisterId, context id: ContextId, refunded: Cycles, trap: Bool,
        runtime: ChoiceRuntime, isCleanup: Bool = false
    ) -> ExecutionOutcome {
        if trap { return .trapped("trap injected by the system") }
        let record = state.canisters[canister.index]
        let context = state.callContexts[id]
        let executionContext = ExecutionContext(
            canister: canister, now: state.now, balance: record.balance,
            availableCycles: isCleanup ? 0 : (context?.availableCycles ?? 0), refundedCycles: refunded,
            deadline: context?.deadline, needsToRespond: !isCleanup && (context?.needsToRespond ?? false),
            isCleanup: isCleanup, responsePayloadLimit: replyLimit(of: context)
        )
        runtime.beginExecution(
            admission: admission(for: canister), balance: record.balance, freezingThreshold: freezingThreshold(canister),
            contextCycles: executionContext.availableCycles
        )
        return code(of: canister).execute(
            entry, state: record.programState, context: executionContext, runtime: runtime
        )
    }

    /// The code installed on `canister` now: after an upgrade, the configuration's new program
    /// (if it names one).
    func code(of canister: CanisterId) -> AnyCanisterProgram {
        let setup = configuration.canisters[canister.index]
        if (state.canisters[canister.index].codeVersion ?? 0) >= 1, let upgraded = setup.upgradedProgram { return upgraded }
        return setup.program
    }

    /// Applies a returned execution: new heap, calls enqueued (callbacks registered, cycles
    /// debited), accepted cycles moved from the context, the response sent.
    mutating func apply(_ effects: ExecutionEffects, canister: CanisterId, context id: ContextId) {
        state.canisters[canister.index].programState = effects.state
        for call in effects.calls {
            let sequence = state.canisters[canister.index].nextCallSequence
            state.canisters[canister.index].nextCallSequence += 1
            let callId = CallId(caller: canister, sequence: sequence)
            // The replica clamps the timeout to MAX_CALL_TIMEOUT (300 s); a negative one means 0.
            let deadline = call.timeout.map { requested in state.now + (requested < 0 ? 0 : requested > 300 ? 300 : requested) }
            state.canisters[canister.index].balance -= call.cycles
            state.openCallbacks[callId] = Callback(
                context: id, callee: call.callee, kind: call.kind, deadline: deadline,
                continuation: call.continuation, hasCleanup: call.hasCleanup
            )
            state.history.calls[callId] = CallRecord(
                callee: call.callee, method: call.method, kind: call.kind, attached: call.cycles, deadline: deadline
            )
            state.history.sent[QueuePair(from: canister, to: call.callee), default: []].append(callId)
            let request = RequestMessage(
                call: callId, callee: call.callee, method: call.method, arguments: call.arguments,
                cycles: call.cycles, kind: call.kind, deadline: deadline, payloadBytes: call.payloadBytes
            )
            if call.callee == .management, configuration.hasManagementCanister {
                state.send(.request(request), from: canister, to: .management)  // never routed: see `managementCall`
                continue
            }
            guard state.record(call.callee) != nil else {
                // No such canister: the system answers DESTINATION_INVALID, refunding everything.
                let reject = ResponseMessage(call: callId, response: .reject(.destinationInvalid, ""), refund: call.cycles,
                                             kind: call.kind, synthetic: false, payloadBytes: 0)
                state.deliverLocally(.response(reject), from: call.callee, to: canister)
                continue
            }
            state.send(.request(request), from: canister, to: call.callee)
        }
        // AB `new_global_timer`: an execution that set the timer replaces it (0: inactive).
        if let timer = effects.globalTimer { state.canisters[canister.index].globalTimer = timer > 0 ? timer : nil }
        if effects.acceptedCycles > 0, var context = state.callContexts[id] {
            let accepted = min(effects.acceptedCycles, context.availableCycles)
            context.availableCycles -= accepted
            state.callContexts[id] = context
            state.canisters[canister.index].balance += accepted
            if case .call(let callId) = id { state.history.calls[callId]?.accepted += accepted }
        }
        if let response = effects.response, var context = state.callContexts[id], context.needsToRespond {
            let refund = context.availableCycles
            context.needsToRespond = false
            context.availableCycles = 0
            state.callContexts[id] = context
            if case .call(let callId) = id, state.history.calls[callId]?.calleeResponse == nil {
                state.history.calls[callId]?.calleeResponse = response
            }
            respond(to: id, with: response, refund: refund, bytes: effects.responseBytes)
        }
    }

    /// Sends the response of context `id`: to the user for ingress, else into the callee's output
    /// queue towards the caller.
    mutating func respond(to id: ContextId, with response: Response, refund: Cycles, bytes: Int = 0) {
        switch id {
        case .ingress(let slot):
            if state.history.ingressResponses[slot] == nil { state.history.ingressResponses[slot] = response }
        case .call(let callId):
            guard let record = state.history.calls[callId] else { return }
            let message = ResponseMessage(
                call: callId, response: response, refund: refund, kind: record.kind, synthetic: false,
                payloadBytes: bytes, answeredByContext: true
            )
            state.send(.response(message), from: record.callee, to: callId.caller)
        case .systemTask:
            break  // a system task's context never needs a response
        }
    }
}
