import ICCore
import ICSpec

/// B12: a vault that holds a global lock across a call to a checker, which calls back into the
/// vault; the vault's own guard refuses the inner call, so the operation can never succeed.
public struct Vault: CanisterProgram {
    public struct State: CanisterState {
        public var locked = false
        public var withdrawals = 0
    }

    public enum Continuation: ContinuationValue { case checked }

    public let checker: CanisterId
    /// The fix: `confirm` only reads, so it does not take the lock.
    public let confirmIgnoresLock: Bool

    public var name: String { "vault" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "withdraw":
            if execution.state.locked {
                try execution.reject("busy")
                return
            }
            execution.state.locked = true
            try execution.call(checker, "check", then: .checked, cleanup: true)
        case "confirm":
            if execution.state.locked, !confirmIgnoresLock {
                try execution.reject("busy")
            } else {
                try execution.reply([1])
            }
        default:
            try execution.reject("no method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        execution.state.locked = false
        if response.isReply {
            execution.state.withdrawals += 1
            try execution.reply()
        } else {
            try execution.reject("check failed")
        }
    }

    public func cleanup(after continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {
        execution.state.locked = false
    }
}

/// Asks the vault to confirm before approving (the call back into the vault closes the loop).
public struct VaultChecker: CanisterProgram {
    public struct State: CanisterState { public var checks = 0 }
    public enum Continuation: ContinuationValue { case confirmed }

    public let vault: CanisterId
    public var name: String { "checker" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        execution.state.checks += 1
        try execution.call(vault, "confirm", then: .confirmed)
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if response.isReply { try execution.reply() } else { try execution.reject("not confirmed") }
    }
}

enum B12 {
    static let withdrawalSucceeds = ICProperty(
        name: "withdrawal-never-refused", statement: "The user's withdrawal, once answered, succeeded.", observesContextRemoval: false
    ) { view in
        view.history.ingressResponses[0].map(\.isReply) ?? true
    }

    static func configuration(fixed: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(Vault(checker: 1, confirmIgnoresLock: fixed)), CanisterSetup(VaultChecker(vault: 0))],
            ingress: [IngressMessage(to: 0, "withdraw")])
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B12-call-graph-loop", callKinds: [.guaranteed], properties: [withdrawalSucceeds], violates: "withdrawal-never-refused",
            buggy: .init(
                summary: "A call-graph loop A→B→A with A's global lock held: the inner call is refused, the operation always fails.",
                details: "Bug B12. The vault (C0) takes its global lock and calls the checker (C1), which calls back `vault.confirm`; `confirm` is behind the same lock, so it is refused and the withdrawal fails every time (with a lock that waits instead of refusing, the loop would hang for ever). Claim: the user's withdrawal, once answered, succeeded. No faults; one withdrawal. Expected: violated (withdrawal-never-refused).",
                configuration: configuration(fixed: false)),
            fixed: .init(
                summary: "Keep read-only endpoints out of the lock (or break the loop): the withdrawal succeeds.",
                details: "Fix of B12: `confirm` only reads state, so it does not take the lock; the loop A→B→A completes. Claim: the user's withdrawal, once answered, succeeded. No faults; one withdrawal. Expected: holds.",
                configuration: configuration(fixed: true))
        )
    }
}
