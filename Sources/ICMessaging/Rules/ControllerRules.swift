import ICCore

extension ICSystem {
    var controller: ControllerActions { configuration.controller }

    /// Whether a controller action on `canister` from `allowed` may still be taken.
    func controllerMay(_ canister: CanisterId, in allowed: Set<CanisterId>, _ state: ICState) -> Bool {
        allowed.contains(canister) && state.controllerActionsUsed < controller.maxActions
    }

    /// `stopCanister(_:)` — T13 `stop_canister` from a controller (bounded by `maxActions`).
    /// Running → stopping(1); stopping(n) → stopping(n+1); stopped: answered at once (no change
    /// but the spent controller action). Under `CanisterSetup.instantStop`, running → stopping
    /// also expires the canister's outstanding best-effort calls. Simplification: the controller is the environment, so
    /// stop requests are only counted, not modelled as calls with contexts.
    func stopCanister(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for canister in state.allCanisters where controllerMay(canister, in: controller.stop, state) {
            var next = state
            next.controllerActionsUsed += 1
            switch state[canister: canister].status {
            case .running:
                next[canister: canister].status = .stopping(pendingStopRequests: 1)
                if configuration.canisters[canister.index].instantStop { expireBestEffortCalls(of: canister, in: &next) }
            case .stopping(let count): next[canister: canister].status = .stopping(pendingStopRequests: count + 1)
            case .stopped: break
            }
            body(.stopCanister(canister), next)
            next.recycle()
        }
    }

    /// Instant-stop mode: every outstanding, unexpired best-effort call of `canister` expires
    /// now (callback expired, SYS_UNKNOWN notice with refund 0 in flight, as `expireCall` does).
    func expireBestEffortCalls(of canister: CanisterId, in state: inout ICState) {
        for index in state.openCallbacks.indices {
            let callback = state.openCallbacks[index]
            guard callback.call.caller == canister, callback.kind.isBestEffort, !callback.expired else { continue }
            state.openCallbacks[index].expired = true
            state.insertResponse(InFlightResponse(call: callback.call, response: .reject(.sysUnknown, ""), refund: 0, isSystemNotice: true))
        }
    }

    /// `completeStop(_:)` — T13: a stopping canister with no call contexts at all (I3, deleted
    /// ones included) becomes stopped; its pending stop requests are answered.
    func completeStop(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for canister in state.allCanisters {
            guard case .stopping = state[canister: canister].status, !state.callContexts.contains(where: { $0.canister == canister })
            else { continue }
            var next = state
            next[canister: canister].status = .stopped
            if hasManagementCanister { answerStopCalls(of: canister, with: .reply(.empty), in: &next) }
            body(.completeStop(canister), next)
            next.recycle()
        }
    }

    /// `stopRequestTimeout(_:)` — T13: a pending stop request is answered SYS_TRANSIENT
    /// (IC0206, `faults.stopTimeouts`); the canister stays stopping.
    func stopRequestTimeout(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard configuration.faults.stopTimeouts else { return }
        for canister in state.allCanisters {
            guard case .stopping(let count) = state[canister: canister].status, count > 0 else { continue }
            var next = state
            next[canister: canister].status = .stopping(pendingStopRequests: count - 1)
            body(.stopRequestTimeout(canister), next)
            next.recycle()
        }
    }

    /// `startCanister(_:)` — T13 `start_canister`: the canister runs again; pending stop requests
    /// are rejected (CANISTER_ERROR, to the environment; the `stop_canister` calls of canisters
    /// the management canister holds get that reject with their cycles).
    func startCanister(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for canister in state.allCanisters where controllerMay(canister, in: controller.start, state) {
            var next = state
            next.controllerActionsUsed += 1
            start(canister, in: &next)
            body(.startCanister(canister), next)
            next.recycle()
        }
    }

    /// `start_canister`'s effect, from the environment or a controller canister.
    func start(_ canister: CanisterId, in state: inout ICState) {
        state[canister: canister].status = .running
        if hasManagementCanister { answerStopCalls(of: canister, with: .reject(.canisterError, ""), in: &state) }
    }

    /// `upgradeCanister(_:)` — T15 `install_code` in upgrade mode on a non-empty canister, in any
    /// status (only a stopped one under `stopsBeforeUpgrade`). The hooks run: `preUpgrade` on the
    /// old code, then `postUpgrade`. If both return, the program state is what they made of it,
    /// every context and callback survives and the code version goes up by one. If either traps,
    /// the upgrade fails atomically: state and version stay (the failure is recorded in the
    /// history). `pre_upgrade` is the old code's, `post_upgrade` the new code's: the
    /// configuration's `upgradedProgram` from the first upgrade on (else the same program), and
    /// callbacks of calls the old code made then run on the new code.
    func upgradeCanister(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for canister in state.allCanisters where controllerMay(canister, in: controller.upgrade, state) {
            let record = state[canister: canister]
            guard record.codeVersion != nil else { continue }
            if controller.stopsBeforeUpgrade, record.status != .stopped { continue }
            var next = state
            next.controllerActionsUsed += 1
            upgrade(canister, in: &next)
            body(.upgradeCanister(canister), next)
            next.recycle()
        }
    }

    /// `install_code` in upgrade mode on the non-empty `canister`, from the environment or a
    /// controller canister: returns whether it was upgraded (false: a hook trapped, recorded).
    @discardableResult
    func upgrade(_ canister: CanisterId, in state: inout ICState) -> Bool {
        let record = state[canister: canister]
        guard let version = record.codeVersion else { return false }
        let upgrade = UpgradeInfo(
            status: record.status, outstandingCallbacks: state.openCallbacks.reduce(0) { $0 + ($1.call.caller == canister ? 1 : 0) },
            newVersion: version + 1)
        // pre_upgrade runs on the old code, post_upgrade on the new one.
        let newCode = configuration.canisters[canister.index].upgradedProgram ?? program(of: canister, in: state)
        let outcome = mutations.contains(.upgradeIgnoresHooks)
            ? .upgraded(record.programState) : program(of: canister, in: state).upgrade(record.programState, upgrade, to: newCode)
        switch outcome {
        case .upgraded(let programState):
            state[canister: canister].codeVersion = version + 1
            state[canister: canister].programState = programState
            state[canister: canister].globalTimer = nil  // install_code deactivates the timer
            return true
        case .trapped:
            state.recordFailedUpgrade(canister)
            return false
        }
    }

    /// `uninstallCanister(_:)` — T14 `uninstall_code`: every context of the canister that needs a
    /// response is answered CANISTER_REJECT with its available cycles refunded; all its contexts
    /// become deleted; the program state is reset to the initial state and the canister is empty
    /// (version `nil`). Later responses to it only refund (T10b); requests to it are rejected.
    func uninstallCanister(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for canister in state.allCanisters where controllerMay(canister, in: controller.uninstall, state) {
            guard state[canister: canister].codeVersion != nil else { continue }
            var next = state
            next.controllerActionsUsed += 1
            for index in next.callContexts.indices where next.callContexts[index].canister == canister {
                if next.callContexts[index].needsToRespond {
                    next.respond(context: index, with: .reject(.canisterReject, ""), fromCallee: false, recordingRespondent: tracksResponseSlots)
                }
                next.callContexts[index].deleted = true
            }
            next[canister: canister].programState = configuration.canisters[canister.index].program.initialState
            next[canister: canister].codeVersion = nil
            next[canister: canister].globalTimer = nil
            body(.uninstallCanister(canister), next)
            next.recycle()
        }
    }
}
