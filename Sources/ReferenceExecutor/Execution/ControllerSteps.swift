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
        case .running:
            state.canisters[id.index].status = .stopping(pendingStopRequests: 1)
            if configuration.canisters[id.index].instantStop { failOutstandingBestEffortCalls(of: id) }
        case .stopping(let count): state.canisters[id.index].status = .stopping(pendingStopRequests: count + 1)
        case .stopped: break  // answered at once
        }
    }

    /// Instant-stop mode: the stopping canister's callbacks of best-effort calls not yet expired
    /// expire now, each answered by the system's SYS_UNKNOWN (refund 0).
    mutating func failOutstandingBestEffortCalls(of id: CanisterId) {
        for (call, callback) in state.openCallbacks.sorted(by: { $0.key < $1.key })
        where state.callContexts[callback.context]?.canister == id && callback.kind.isBestEffort && !callback.expired {
            state.openCallbacks[call]?.expired = true
            let notice = ResponseMessage(call: call, response: .reject(.sysUnknown, ""), refund: 0, kind: .bestEffort,
                                         synthetic: true, payloadBytes: 0)
            state.deliverLocally(.response(notice), from: callback.callee, to: id)
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
        // The management canister replies to the stop calls it held for this canister.
        for held in state.heldStopCalls.removeValue(forKey: id) ?? [] {
            state.stopCallsTakenAt[held.call] = nil
            answerFromManagement(held, with: .reply(.empty), refund: held.cycles)
        }
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
        restart(id)
    }

    /// `start_canister`'s effect: running again; every stop call still held for it is
    /// rejected (CANISTER_ERROR, `CanisterStoppingCancelled`).
    mutating func restart(_ id: CanisterId) {
        state.canisters[id.index].status = .running
        for held in state.heldStopCalls.removeValue(forKey: id) ?? [] {
            state.stopCallsTakenAt[held.call] = nil
            answerFromManagement(held, with: .reject(.canisterError, ""), refund: held.cycles)
        }
    }

    /// T15 (AB "Code upgrade"): `pre_upgrade` on the old code, then `post_upgrade` on the new;
    /// both succeed → new code version with the state they leave, every context and callback
    /// kept; either traps → install_code is rejected and nothing changes but the failure record.
    /// Under `stopsBeforeUpgrade` the controller upgrades only a stopped canister.
    mutating func upgrade(_ id: CanisterId, action: ICAction) throws(ExecutorError) {
        guard let record = state.record(id), let version = record.codeVersion else {
            throw .notEnabled(action, reason: "\(id) has no code")
        }
        if configuration.controller.stopsBeforeUpgrade, record.status != .stopped {
            throw .notEnabled(action, reason: "the controller upgrades \(id) only once it is stopped")
        }
        try useControllerAction(configuration.controller.upgrade, id, action)
        installNewVersion(on: id, record: record, version: version)
    }

    /// Runs the upgrade hooks of the installed `id`; returns whether the new version is in.
    @discardableResult
    mutating func installNewVersion(on id: CanisterId, record: CanisterRecord, version: Int) -> Bool {
        // The calls still awaiting responses: callbacks whose call context is this canister's.
        let awaiting = state.openCallbacks.values.filter { state.callContexts[$0.context]?.canister == id }.count
        let info = UpgradeInfo(status: record.status, outstandingCallbacks: awaiting, newVersion: version + 1)
        let oldCode = code(of: id)
        let newCode = configuration.canisters[id.index].upgradedProgram ?? oldCode
        switch oldCode.upgrade(record.programState, info, to: newCode) {
        case .upgraded(let programState):
            state.canisters[id.index].codeVersion = version + 1
            state.canisters[id.index].programState = programState
            state.canisters[id.index].globalTimer = nil  // a new Wasm module starts without a timer
            return true
        case .trapped:
            state.history.failedUpgrades[id, default: 0] += 1
            return false
        }
    }

    /// T14: the heap is reset to the program's initial state, open contexts are rejected with
    /// CANISTER_REJECT and every context of the canister is marked deleted.
    mutating func uninstall(_ id: CanisterId, action: ICAction) throws(ExecutorError) {
        guard state.record(id)?.isInstalled == true else { throw .notEnabled(action, reason: "\(id) has no code") }
        try useControllerAction(configuration.controller.uninstall, id, action)
        state.canisters[id.index].codeVersion = nil
        state.canisters[id.index].globalTimer = nil
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
