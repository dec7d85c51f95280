import ICCore

/// System tasks (AB "Heartbeat", "Global timer"): executions the system starts in a context of
/// their own (`FromSystemTask`: no caller, no cycles, no response), only on a running,
/// installed, unfrozen canister, at most `CanisterSetup.maxSystemTasks` per canister.
extension ICExecutor {
    mutating func runSystemTask(
        _ task: SystemTask, on id: CanisterId, trap: Bool, action: ICAction, runtime: ChoiceRuntime
    ) throws(ExecutorError) {
        guard let record = state.record(id) else { throw .notEnabled(action, reason: "unknown canister \(id)") }
        guard record.isInstalled, record.status == .running else {
            throw .notEnabled(action, reason: "system tasks run only on a running canister with code (\(id) is \(record.status))")
        }
        guard !state.isFrozen(id, threshold: freezingThreshold(id)) else { throw .notEnabled(action, reason: "\(id) is frozen") }
        let budget = configuration.canisters[id.index].maxSystemTasks
        guard record.systemTasksRun < budget else {
            throw .notEnabled(action, reason: "\(id) has run all \(budget) system tasks its configuration allows")
        }
        switch task {
        case .heartbeat:
            guard code(of: id).exportsHeartbeat else {
                throw .notEnabled(action, reason: "\(id)'s program exports no heartbeat")
            }
        case .globalTimer:
            guard let timer = record.globalTimer, timer <= state.now else {
                throw .notEnabled(action, reason: "\(id)'s global timer has not passed (timer \(record.globalTimer.map(String.init) ?? "inactive"), now \(state.now))")
            }
        }
        try requireTrapAllowed(trap, action)
        if task == .globalTimer { state.canisters[id.index].globalTimer = nil }  // firing deactivates it
        let context = ContextId.systemTask(canister: id, sequence: record.systemTasksRun)
        state.canisters[id.index].systemTasksRun += 1
        state.callContexts[context] = CallContext(canister: id, needsToRespond: false, availableCycles: 0, deadline: nil)
        if case .returned(let effects) = run(.systemTask(task), on: id, context: context, refunded: 0, trap: trap, runtime: runtime) {
            apply(effects, canister: id, context: context)
        }
    }
}
