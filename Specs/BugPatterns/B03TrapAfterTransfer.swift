import ICCore
import ICSpec

/// B3: a service that keeps its users' token balances and pays a withdrawal through the ledger.
/// The buggy one debits the user in the callback, next to statistics code that may trap; the
/// trap rolls the debit back although the ledger paid. The fix debits before the call (the
/// debit is committed at the await) and credits back only on a reject.
public struct AccountingWithdrawer: CanisterProgram {
    public struct State: CanisterState {
        /// The user's balance in the service's own books.
        public var userBalance = 3
        /// Withdrawals recorded by the statistics code.
        public var statistics = 0
    }

    public enum Continuation: ContinuationValue { case transferred }

    public let ledger: CanisterId
    public let debitsBeforeCall: Bool

    public init(ledger: CanisterId, debitsBeforeCall: Bool) {
        self.ledger = ledger
        self.debitsBeforeCall = debitsBeforeCall
    }

    public var name: String { debitsBeforeCall ? "withdrawer(debit first)" : "withdrawer" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        guard execution.state.userBalance >= 1 else { return try execution.reject("insufficient funds") }
        if debitsBeforeCall { execution.state.userBalance -= 1 }
        let result = try execution.call(ledger, "transfer", arguments: LedgerProgram.Transfer(to: 2, amount: 1), then: .transferred)
        if !result.succeeded {
            if debitsBeforeCall { execution.state.userBalance += 1 }
            try execution.reject("ledger unreachable")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        guard response.isReply else {
            if debitsBeforeCall { execution.state.userBalance += 1 }
            return try execution.reject("transfer failed")
        }
        if !debitsBeforeCall { execution.state.userBalance -= 1 }
        // Statistics code after the accounting, in the same execution; it may trap (a bug, the
        // instruction limit), which rolls back everything this callback did.
        if try execution.choose(2) == 1 { try execution.trap("statistics: index out of range") }
        execution.state.statistics += 1
        try execution.reply()
    }
}

enum B03 {
    static let booksMatchLedger = ICProperty(
        name: "books-match-ledger",
        statement: "When C0 awaits nothing, the user's balance in C0's books plus what the ledger paid out is the user's initial 3 tokens.",
        observes: .none, observesContextRemoval: false
    ) { view in
        guard view.openCallbacks(of: 0).isEmpty else { return true }
        guard let books = view.programState(of: 0, as: AccountingWithdrawer.State.self)?.userBalance,
            let paid = view.programState(of: 1, as: LedgerProgram.State.self)?.balances[2]
        else { return false }
        return books + paid == 3
    }

    static func configuration(fixed: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(AccountingWithdrawer(ledger: 1, debitsBeforeCall: fixed)),
                CanisterSetup(LedgerProgram(balances: [5, 0, 0])),
            ],
            ingress: [IngressMessage(to: 0, "withdraw")])
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B3-trap-after-transfer", callKinds: [.guaranteed], properties: [booksMatchLedger], violates: "books-match-ledger",
            buggy: .init(
                summary: "Accounting in a callback that then traps: the ledger paid, but the user's balance was never debited.",
                details: "Bug B3 (ic-semantics.md §6; SEC 'Securely handle traps in callbacks'). C0 keeps a user's balance (3 tokens) and pays a withdrawal of 1 through the ledger C1 (guaranteed call). Its callback debits the user and then runs statistics code that may trap; a trap rolls back the whole callback, debit included, though the ledger has paid. Claim: when C0 awaits nothing, the user's balance in C0's books plus what the ledger paid out is 3. No faults besides the program's own trap; one withdrawal. Expected: violated (books-match-ledger).",
                configuration: configuration(fixed: false)),
            fixed: .init(
                summary: "Debit before the call (committed at the await), credit back only on a reject: a trap in the callback loses nothing.",
                details: "Fix of B3 (journaling): C0 debits the user before calling the ledger; the await commits the debit, so a trap in the callback's statistics code rolls back only the statistics. A reject credits the user back. Claim: when C0 awaits nothing, the user's balance in C0's books plus what the ledger paid out is 3. No faults besides the program's own trap; one withdrawal. Expected: holds.",
                configuration: configuration(fixed: true))
        )
    }
}
