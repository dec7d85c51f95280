import ICCore

/// Controller (management canister) steps: T13, T14, T15.
extension ICExecutor {
    mutating func useControllerAction(_ allowed: Set<CanisterId>, _ id: CanisterId, _ action: ICAction) throws(ExecutorError) {
        guard state.record(id) != nil else { throw .notEnabled(action, reason: "unknown canister \(id)") }
        guard allowed.contains(id) else { throw .notEnabled(action, reason: "the configuration does not allow \(action.name) on \(id)") }
        guard state.controllerActionsUsed < configuration.controller.maxActions else {
            throw .notEnabled(action, reason: "all \(configuration.controller.maxActions) controller actions are used up")
        }
        state.controllerActionsUsed += 1
    }

    mutating func stop(_ id: CanisterId, action: ICAction) throws(ExecutorError) {
        try useControllerAction(configuration.controller.stop, id, action)
        switch state.canisters[id.index].status {
        case .running: state.canisters[id.index].status = .stopping(pendingStopRequests: 1)
        case .stopping(let count): state.canisters[id.index].status = .stopping(pendingStopRequests: count + 1)
        case .stopped: break  // answered at once
        }
    }

    mutating func completeStop(_ id: CanisterId, action: ICAction) throws(ExecutorError) {
        guard let record = state.record(id), case .stopping = record.status else {
            throw .notEnabled(action, reason: "\(id) is not stopping")
        }
        if let open = state.callContexts.first(where: { $0.value.canister == id })?.key {
            throw .notEnabled(action, reason: "\(id) still has call context \(open)")
        }
        state.canisters[id.index].status = .stopped
    }

    mutating func stopTimeout(_ id: CanisterId, action: ICAction) throws(ExecutorError) {
        guard configuration.faults.stopTimeouts else {
            throw .notEnabled(action, reason: "stop timeouts are switched off in this configuration")
        }
        guard let record = state.record(id), case .stopping(let count) = record.status, count > 0 else {
            throw .notEnabled(action, reason: "\(id) has no pending stop request")
        }
        state.canisters[id.index].status = .stopping(pendingStopRequests: count - 1)
    }

    mutating func start(_ id: CanisterId, action: ICAction) throws(ExecutorError) {
        try useControllerAction(configuration.controller.start, id, action)
        state.canisters[id.index].status = .running
    }

    /// T15: new code version; the heap is kept (pre/post-upgrade hooks are the identity for
    /// these programs) and every context and callback survives.
    mutating func upgrade(_ id: CanisterId, action: ICAction) throws(ExecutorError) {
        guard let version = state.record(id)?.codeVersion else { throw .notEnabled(action, reason: "\(id) has no code") }
        try useControllerAction(configuration.controller.upgrade, id, action)
        state.canisters[id.index].codeVersion = version + 1
    }

    /// T14: the heap is reset to the program's initial state, open contexts are rejected with
    /// CANISTER_REJECT and every context of the canister is marked deleted.
    mutating func uninstall(_ id: CanisterId, action: ICAction) throws(ExecutorError) {
        guard state.record(id)?.isInstalled == true else { throw .notEnabled(action, reason: "\(id) has no code") }
        try useControllerAction(configuration.controller.uninstall, id, action)
        state.canisters[id.index].codeVersion = nil
        state.canisters[id.index].programState = configuration.canisters[id.index].program.initialState
        for contextId in state.callContexts.keys.sorted() where state.callContexts[contextId]!.canister == id {
            var context = state.callContexts[contextId]!
            if context.needsToRespond { respond(to: contextId, with: .reject(.canisterReject, ""), refund: context.availableCycles) }
            context.needsToRespond = false
            context.deleted = true
            context.availableCycles = 0
            state.callContexts[contextId] = context
        }
    }
}
