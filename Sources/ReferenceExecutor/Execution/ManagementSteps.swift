import ICCore

/// The management canister (`aaaaa-aa`) as a call target: the executor's own implementation of
/// the subnet messages `deposit_cycles`, `stop_canister`, `start_canister` and `install_code`
/// (in its three modes)
/// (AB "IC Management Canister"; replica `execute_subnet_message`, `CanisterManager`).
extension ICExecutor {
    /// Executes the oldest request `from` has for the management canister (it waits in the
    /// caller's output queue: requests to `aaaaa-aa` are never routed to a canister).
    mutating func managementCall(from: CanisterId, action: ICAction) throws(ExecutorError) {
        guard configuration.hasManagementCanister else {
            throw .notEnabled(action, reason: "the configuration has no management canister")
        }
        guard state.record(from) != nil, var outgoing = state.canisters[from.index].outputQueues[.management],
            case .request(let request)? = outgoing.first
        else { throw .notEnabled(action, reason: "\(from) has no request for the management canister") }
        outgoing.removeFirst()
        state.canisters[from.index].outputQueues[.management] = outgoing.isEmpty ? nil : outgoing
        execute(request, from: from)
    }

    private mutating func execute(_ request: RequestMessage, from caller: CanisterId) {
        // Decode the method and its argument (the target): an unknown method or a bad payload is
        // IC0407/IC0408 (CANISTER_REJECT), an unknown canister IC0301 (DESTINATION_INVALID).
        let method = ManagementMethod.allCases.first { $0.rawValue == request.method }
        // install_code takes `InstallCodeArgument` (target and mode) or a bare id (upgrade).
        var mode = InstallMode.upgrade
        var target = method == .installCode ? nil : request.arguments.as(CanisterId.self)
        if method == .installCode {
            if let argument = request.arguments.as(InstallCodeArgument.self) {
                (target, mode) = (argument.canisterId, argument.mode)
            } else {
                target = request.arguments.as(CanisterId.self)
            }
        }
        guard let method, let target else {
            return answerFromManagement(request, with: .reject(.canisterReject, ""), refund: request.cycles)
        }
        guard let record = state.record(target) else {
            return answerFromManagement(request, with: .reject(.destinationInvalid, ""), refund: request.cycles)
        }
        let isController = configuration.canisters[target.index].controllers.contains(caller)
        if method != .depositCycles && !isController {
            // IC0512 (`CanisterInvalidController`): only controllers may manage a canister.
            return answerFromManagement(request, with: .reject(.canisterError, ""), refund: request.cycles)
        }
        switch method {
        case .depositCycles:
            state.canisters[target.index].balance += request.cycles
            state.history.calls[request.call]?.accepted += request.cycles
            answerFromManagement(request, with: .reply(.empty), refund: 0)
        case .stopCanister:
            if record.status == .stopped {
                answerFromManagement(request, with: .reply(.empty), refund: request.cycles)
                return
            }
            if record.status == .running {
                state.canisters[target.index].status = .stopping(pendingStopRequests: 0)
                if configuration.canisters[target.index].instantStop { failOutstandingBestEffortCalls(of: target) }
            }
            state.heldStopCalls[target, default: []].append(request)
            state.stopCallsTakenAt[request.call] = state.now
        case .startCanister:
            restart(target)
            answerFromManagement(request, with: .reply(.empty), refund: request.cycles)
        case .installCode:
            // A mode that does not fit (install on code: IC0538; upgrade of nothing: IC0537) is
            // CANISTER_ERROR with no effect, as is a trapping upgrade hook.
            var installed = installCodeFits(mode, record)
            if installed {
                if mode == .upgrade, let version = record.codeVersion {
                    installed = installNewVersion(on: target, record: record, version: version)
                } else {
                    replaceCode(of: target)
                }
            }
            answerFromManagement(request, with: installed ? .reply(.empty) : .reject(.canisterError, ""), refund: request.cycles)
        }
    }

    /// A held `stop_canister` call times out (`StopCanisterRequestTimeout`, SYS_TRANSIENT): its
    /// caller gets the reject and its cycles back; the target keeps stopping.
    mutating func stopCallTimeout(call: CallId, action: ICAction) throws(ExecutorError) {
        guard configuration.faults.stopTimeouts else {
            throw .notEnabled(action, reason: "stop timeouts are switched off in this configuration")
        }
        guard let (target, position) = heldStopCall(call) else {
            throw .notEnabled(action, reason: "the management canister holds no stop call \(call)")
        }
        // With a clock the replica's stop timer must have run out; without one, any moment.
        if configuration.limits.maxTime > 0, let timeout = configuration.limits.stopTimeout, let taken = state.stopCallsTakenAt[call],
            state.now - taken < timeout
        {
            throw .notEnabled(action, reason: "the stop call \(call) was taken at \(taken): it times out at \(taken + timeout)")
        }
        state.stopCallsTakenAt[call] = nil
        let request = state.heldStopCalls[target]!.remove(at: position)
        if state.heldStopCalls[target]!.isEmpty { state.heldStopCalls[target] = nil }
        answerFromManagement(request, with: .reject(.sysTransient, ""), refund: request.cycles)
    }

    private func heldStopCall(_ call: CallId) -> (CanisterId, Int)? {
        for (target, held) in state.heldStopCalls {
            if let position = held.firstIndex(where: { $0.call == call }) { return (target, position) }
        }
        return nil
    }

    /// The management canister's response to `request`, put straight into the caller's input
    /// queue (it lives on every subnet), recorded as the callee's response.
    mutating func answerFromManagement(_ request: RequestMessage, with response: Response, refund: Cycles) {
        if state.history.calls[request.call]?.calleeResponse == nil { state.history.calls[request.call]?.calleeResponse = response }
        let message = ResponseMessage(call: request.call, response: response, refund: refund, kind: request.kind,
                                      synthetic: false, payloadBytes: 0)
        state.deliverLocally(.response(message), from: .management, to: request.call.caller)
    }
}
