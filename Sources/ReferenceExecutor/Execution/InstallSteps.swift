import ICCore

/// `install_code` in the modes that replace the code without upgrade hooks: `install` and
/// `reinstall` (AB "IC Management Canister: Code installation"; SPEC-MC `install_code`). The
/// executor's own implementation, independent of the model's.
extension ICExecutor {
    /// A controller installs (`install`: only on an empty canister) or reinstalls `id`.
    mutating func installCode(_ id: CanisterId, mode: InstallMode, action: ICAction) throws(ExecutorError) {
        guard let record = state.record(id) else { throw .notEnabled(action, reason: "unknown canister \(id)") }
        guard installCodeFits(mode, record) else {
            // IC0538 `CanisterNonEmpty`: rejected, no effect — never a controller step.
            throw .notEnabled(action, reason: "\(id) has code: install needs an empty canister")
        }
        let allowed = mode == .install ? configuration.controller.install : configuration.controller.reinstall
        try useControllerAction(allowed, id, action)
        replaceCode(of: id)
    }

    /// Whether `install_code` in `mode` may run on `record` (the replica's
    /// `validate_install_code`): install needs an empty canister, upgrade an installed one.
    func installCodeFits(_ mode: InstallMode, _ record: CanisterRecord) -> Bool {
        switch mode {
        case .install: !record.isInstalled
        case .reinstall: true
        case .upgrade: record.isInstalled
        }
    }

    /// The new module with a fresh heap and stable memory: the configuration's upgraded program
    /// (or the first one) in its initial state, the next code version, no global timer. Call
    /// contexts and callbacks are not touched: the AB rule leaves them, so responses to calls of
    /// the old code later run the new code's callbacks on the fresh state, and a context the old
    /// code left open still needs its response (no synthetic reject, unlike uninstall_code).
    mutating func replaceCode(of id: CanisterId) {
        let setup = configuration.canisters[id.index]
        var record = state.canisters[id.index]
        record.codeVersion = record.codeVersion.map { $0 + 1 } ?? 1
        record.programState = (setup.upgradedProgram ?? setup.program).initialState
        record.globalTimer = nil
        state.canisters[id.index] = record
    }
}
