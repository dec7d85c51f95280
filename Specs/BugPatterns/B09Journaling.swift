import ICCore
import ICSpec

/// B9: a withdrawal service that journals the ledger's result in the callback and then does
/// post-processing that may trap: the trap erases the journal entry (B9b). The fix commits the
/// journal first and moves the post-processing into a separate execution (a self-call).
public struct JournalingWithdrawer: CanisterProgram {
    public struct State: CanisterState {
        /// Completed withdrawals, as the canister's journal records them.
        public var journal = 0
        public var postProcessed = 0
    }

    public enum Continuation: ContinuationValue { case transferred, postProcessed }

    public let ledger: CanisterId
    /// The ledger (and itself, for post-processing).
    public var callees: Set<CanisterId>? { [ledger] }
    public let commitBeforePostProcessing: Bool

    public var name: String { "withdrawer" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "withdraw":
            try execution.call(ledger, "transfer", arguments: LedgerProgram.Transfer(to: 2, amount: 1), then: .transferred)
        case "postprocess":
            try postProcess(in: &execution)
            try execution.reply()
        default:
            try execution.reject("no method \(call.method)")
        }
    }

    /// Post-processing (statistics, notifications) that may hit the instruction limit.
    private func postProcess(in execution: inout Execution<State, Continuation>) throws {
        if try execution.choose(2) == 1 { try execution.trap("instruction limit in post-processing") }
        execution.state.postProcessed += 1
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        guard continuation == .transferred, response.isReply else { return }
        execution.state.journal += 1
        if commitBeforePostProcessing {
            try execution.call(execution.me, "postprocess", then: .postProcessed)
        } else {
            try postProcess(in: &execution)
        }
        if execution.context.needsToRespond { try execution.reply() }
    }
}

enum B09 {
    static let journalMatchesLedger = ICProperty(
        name: "journal-matches-ledger", statement: "When C0 awaits nothing, its journal counts exactly the tokens the ledger paid out."
    , observes: .none, observesContextRemoval: false, reads: .canisters(fields: [0, 1], callbacks: [0])) { view in
        guard view.openCallbacks(of: 0).isEmpty else { return true }
        guard let journal = view.programState(of: 0, as: JournalingWithdrawer.State.self)?.journal,
            let paid = view.programState(of: 1, as: LedgerProgram.State.self)?.balances[2]
        else { return false }
        return journal == paid
    }

    static func configuration(fixed: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(JournalingWithdrawer(ledger: 1, commitBeforePostProcessing: fixed)),
                CanisterSetup(LedgerProgram(balances: [5, 0, 0])),
            ],
            ingress: [IngressMessage(to: 0, "withdraw")])
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B9-journaling", callKinds: [.guaranteed], properties: [journalMatchesLedger], violates: "journal-matches-ledger",
            buggy: .init(
                summary: "Journaling the result in a callback that later traps: the journal entry is erased.",
                details: "Bug B9(b). C0 withdraws 1 token through the ledger (C1); its callback records the withdrawal in the journal, then post-processes, which may trap (instruction limit). The trap rolls back the whole callback, journal entry included, though the ledger paid. Claim: when C0 awaits nothing, its journal matches the ledger. No faults besides the program's own trap; one withdrawal. Expected: violated (journal-matches-ledger).",
                configuration: configuration(fixed: false)),
            fixed: .init(
                summary: "Commit the journal first: post-process in a separate execution (a self-call).",
                details: "Fix of B9(b) (SEC 'Journaling'): the callback records the result and makes a self-call; the post-processing runs in that call's execution, so its trap cannot erase the journal. Claim: when C0 awaits nothing, its journal matches the ledger. No faults besides the program's own trap; one withdrawal. Expected: holds.",
                configuration: configuration(fixed: true))
        )
    }
}
