import ICCore

extension ICSystem {
    /// `heartbeat(_:choices:trap:)` and `globalTimer(_:choices:trap:)` — AB "Heartbeat" and
    /// "Global timer" (T3 for system tasks + T4).
    ///
    /// On a running, non-empty, unfrozen canister that has run fewer than its configuration's
    /// `maxSystemTasks`: a heartbeat runs if the program exports one; the global timer fires if
    /// it is set and its time has passed (`now ≥ timer`), and firing deactivates it. The task
    /// runs in a new context `task(C#n)` with no caller, no cycles and no response to give
    /// (AB `FromSystemTask`), once per choice sequence (and, with `faults.injectedTraps`, as an
    /// injected trap, which keeps the context and the deactivated timer). Simplifications: no
    /// rounds (a heartbeat may run at any step, at most `maxSystemTasks` times in all), one
    /// global clock, the timer fires at any step once it has passed (the replica: in the next
    /// round), and no cycles are charged.
    func systemTasks(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for canister in systemTaskCanisters {
            let setup = configuration.canisters[canister.index]
            let record = state[canister: canister]
            guard record.systemTasksRun < setup.maxSystemTasks, admissionReject(of: canister, in: state) == nil else { continue }
            if program(of: canister, in: state).exportsHeartbeat {
                runSystemTask(.heartbeat, of: canister, in: state, label: { .heartbeat(canister, choices: $0, trap: $1) }, body)
            }
            if let timer = record.globalTimer, timer <= state.now {
                var base = state
                base[canister: canister].globalTimer = nil
                runSystemTask(.globalTimer, of: canister, in: base, label: { .globalTimer(canister, choices: $0, trap: $1) }, body)
            }
        }
    }

    private func runSystemTask(
        _ task: SystemTask, of canister: CanisterId, in state: ICState,
        label: (_ choices: [Int], _ trap: Bool) -> ICAction, _ body: (ICAction, ICState) -> Void
    ) {
        var base = state
        let contextId = ContextId.systemTask(canister: canister, sequence: state[canister: canister].systemTasksRun)
        base[canister: canister].systemTasksRun += 1
        base.insertContext(CallContext(id: contextId, canister: canister, needsToRespond: false, deleted: false, availableCycles: 0, deadline: nil))
        executeMethod(.systemTask(task), canister: canister, context: contextId, base: base, label: label, body)
    }
}
