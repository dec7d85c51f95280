import ICCore

extension ICSystem {
    /// `installCanister(_:)` — `install_code` in `install` mode from a controller, on an empty
    /// (uninstalled) canister only: an install on a canister with code is rejected with no effect,
    /// a step the environment controller never needs to take (AB "Code installation":
    /// `A.mode = install and S.canisters[A.canister_id] = EmptyCanister`).
    func installCanister(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        installCode(state, on: controller.install, emptyOnly: true, as: ICAction.installCanister, body)
    }

    /// `reinstallCanister(_:)` — `install_code` in `reinstall` mode from a controller, on any
    /// canister in any status (AB "Code installation": `A.mode = reinstall`).
    func reinstallCanister(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        installCode(state, on: controller.reinstall, emptyOnly: false, as: ICAction.reinstallCanister, body)
    }

    /// The controller's `install_code` in `install` or `reinstall` mode on each canister of
    /// `allowed` it may still act on (`emptyOnly`: only those without code).
    private func installCode(
        _ state: ICState, on allowed: Set<CanisterId>, emptyOnly: Bool, as action: (CanisterId) -> ICAction,
        _ body: (ICAction, ICState) -> Void
    ) {
        guard !allowed.isEmpty else { return }
        for canister in state.allCanisters where controllerMay(canister, in: allowed, state) {
            if emptyOnly, state[canister: canister].codeVersion != nil { continue }
            var next = state
            next.controllerActionsUsed += 1
            install(canister, in: &next)
            body(action(canister), next)
            next.recycle()
        }
    }

    /// The effect of `install_code` in `install` or `reinstall` mode on `canister`: the new code
    /// (the configuration's `upgradedProgram`, else the same program) with its initial state,
    /// stable memory not kept, no global timer, the code version one past the last (1 on an empty
    /// canister). Call contexts and callbacks are left as they are: AB's rule touches neither
    /// (SPEC-MC: unlike `uninstall_code`, no synthetic rejects, and callbacks of calls the old
    /// code made later run on the new code). Simplification: `canister_init` is not modelled
    /// (it cannot trap), so the install always succeeds.
    func install(_ canister: CanisterId, in state: inout ICState) {
        let setup = configuration.canisters[canister.index]
        let newCode = setup.upgradedProgram ?? setup.program
        state[canister: canister].codeVersion = (state[canister: canister].codeVersion ?? 0) + 1
        state[canister: canister].programState = newCode.initialState
        state[canister: canister].globalTimer = nil
    }
}
