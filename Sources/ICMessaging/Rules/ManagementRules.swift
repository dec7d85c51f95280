import ICCore

extension ICSystem {
    /// `managementCall(from:)` — the management canister executes the request at the head of
    /// `from → aaaaa-aa` (AB "IC Management Canister"; replica `execute_subnet_message`).
    ///
    /// - A method the model does not know, or an argument that is no canister id: CANISTER_REJECT
    ///   (IC0407, IC0408); a target outside the configuration: DESTINATION_INVALID (IC0301); full refund.
    /// - `deposit_cycles` (anyone): every attached cycle goes to the target's balance (recorded as
    ///   accepted); reply, refund 0.
    /// - `stop_canister`, `start_canister`, `install_code` from a canister not among the target's
    ///   `controllers`: CANISTER_ERROR (IC0512), full refund.
    /// - `stop_canister`: a stopped target is answered at once; otherwise the target is stopping
    ///   and the management canister holds the call (queue `management → target`) until
    ///   `completeStop` replies, `startCanister`/`start_canister` rejects (CANISTER_ERROR) or
    ///   `stopCallTimeout` rejects (SYS_TRANSIENT). Attached cycles are refunded with the answer.
    /// - `start_canister`: as the controller's `startCanister` (held stop calls rejected
    ///   CANISTER_ERROR, IC0511 `CanisterStoppingCancelled`); reply, full refund.
    /// - `install_code` (`InstallCodeArgument`'s mode; a bare canister id is an upgrade): `upgrade`
    ///   runs the hooks as in `upgradeCanister`, reply on success, CANISTER_ERROR on a trap
    ///   (IC0502/IC0503) or an empty target (IC0537); `install` on an empty target and `reinstall`
    ///   on any target install as `installCanister` does, reply; `install` on a target with code:
    ///   CANISTER_ERROR (IC0538 `CanisterNonEmpty`), no effect. Full refund in every case.
    ///
    /// Simplifications: management answers carry empty messages; no fees; the request is taken
    /// from its queue like a request to a canister, with no subnet queue in between.
    func managementCall(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard hasManagementCanister else { return }
        for from in state.allCanisters {
            guard let request = state.queue(from: from, to: .management).first else { continue }
            var next = state
            next.queues.removeRequest(at: 0, fromQueue: state.queueIndex(from, .management))
            executeManagement(request, from: from, in: &next)
            body(.managementCall(from: from), next)
            next.recycle()
        }
    }

    private func executeManagement(_ request: QueuedRequest, from caller: CanisterId, in state: inout ICState) {
        guard let method = ManagementMethod(rawValue: request.method),
            let argument = method == .installCode
                ? InstallCodeArgument.decoding(request.arguments)
                : request.arguments.as(CanisterId.self).map({ InstallCodeArgument(canisterId: $0, mode: .upgrade) })
        else {
            // IC0407 `UnknownManagementMessage` / IC0408 `InvalidManagementPayload`.
            return answerManagement(request.call, .reject(.canisterReject, ""), refund: request.cycles, in: &state)
        }
        let target = argument.canisterId
        guard target.index >= 0, target.index < state.canisterCount else {
            // IC0301 `CanisterNotFound`.
            return answerManagement(request.call, .reject(.destinationInvalid, ""), refund: request.cycles, in: &state)
        }
        if method.needsController, !configuration.canisters[target.index].controllers.contains(caller) {
            return answerManagement(request.call, .reject(.canisterError, ""), refund: request.cycles, in: &state)
        }
        switch method {
        case .depositCycles:
            state[canister: target].balance += request.cycles
            state.recordCall(request.call) { $0.accepted += request.cycles }
            answerManagement(request.call, .reply(.empty), refund: 0, in: &state)
        case .stopCanister:
            switch state[canister: target].status {
            case .stopped:
                answerManagement(request.call, .reply(.empty), refund: request.cycles, in: &state)
            case .running:
                state[canister: target].status = .stopping(pendingStopRequests: 0)
                if configuration.canisters[target.index].instantStop { expireBestEffortCalls(of: target, in: &state) }
                state.queues[state.queueIndex(.management, target)].append(held(request, at: state.now))
            case .stopping:
                state.queues[state.queueIndex(.management, target)].append(held(request, at: state.now))
            }
        case .startCanister:
            start(target, in: &state)
            answerManagement(request.call, .reply(.empty), refund: request.cycles, in: &state)
        case .installCode:
            let installed: Bool
            switch argument.mode {
            case .upgrade: installed = state[canister: target].codeVersion != nil && upgrade(target, in: &state)
            case .install: installed = state[canister: target].codeVersion == nil
            case .reinstall: installed = true
            }
            if installed, argument.mode != .upgrade { install(target, in: &state) }
            answerManagement(request.call, installed ? .reply(.empty) : .reject(.canisterError, ""), refund: request.cycles, in: &state)
        }
    }

    /// A `stop_canister` call as the management canister holds it: with a clock and a stop
    /// timeout, its `deadline` is the time it may time out (`now + limits.stopTimeout`); else none.
    private func held(_ request: QueuedRequest, at now: Time) -> QueuedRequest {
        guard configuration.limits.maxTime > 0, let timeout = configuration.limits.stopTimeout else { return request }
        return QueuedRequest(
            call: request.call, callee: request.callee, method: request.method, arguments: request.arguments, cycles: request.cycles,
            kind: request.kind, deadline: now + timeout)
    }

    /// The management canister's answer to `call`: in flight to the caller with `refund`,
    /// recorded as the callee's response.
    func answerManagement(_ call: CallId, _ response: Response, refund: Cycles, in state: inout ICState) {
        state.insertResponse(InFlightResponse(call: call, response: response, refund: refund, isSystemNotice: false))
        state.recordCall(call) { record in
            if record.calleeResponse == nil { record.calleeResponse = response }
        }
    }

    /// Answers every `stop_canister` call the management canister holds for `target` with
    /// `response` (each refunding its cycles), oldest first.
    func answerStopCalls(of target: CanisterId, with response: Response, in state: inout ICState) {
        let index = state.queueIndex(.management, target)
        guard index < state.queues.count, !state.queues[index].isEmpty else { return }
        let held = state.queues[index]
        state.queues[index] = []
        for request in held { answerManagement(request.call, response, refund: request.cycles, in: &state) }
    }

    /// `stopCallTimeout(call:)` — a held `stop_canister` call is rejected SYS_TRANSIENT (IC0206
    /// `StopCanisterRequestTimeout`, `faults.stopTimeouts`) with its cycles; the target stays
    /// stopping. With a clock (`limits.maxTime > 0`) and `limits.stopTimeout`, only once it has passed
    /// since the management canister took the call (the replica's `STOP_CANISTER_TIMEOUT_DURATION`,
    /// checked at round boundaries: any time from then on); otherwise at any moment.
    func stopCallTimeout(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard hasManagementCanister, configuration.faults.stopTimeouts else { return }
        for target in state.allCanisters {
            let index = state.queueIndex(.management, target)
            for (position, request) in state.queues[index].enumerated() where request.deadline.map({ state.now >= $0 }) ?? true {
                var next = state
                next.queues.removeRequest(at: position, fromQueue: index)
                answerManagement(request.call, .reject(.sysTransient, ""), refund: request.cycles, in: &next)
                body(.stopCallTimeout(call: request.call), next)
                next.recycle()
            }
        }
    }
}
