import ICCore
import ICSpec

/// An exchange that keeps users' funds on an ICRC-1-style ledger (account 0 is the exchange's)
/// and books each user's credit. A withdrawal debits the book, then transfers through the
/// ledger with a best-effort call carrying a dedup key (memo = operation id, created_at_time),
/// retrying up to `maxRetries` times on SYS_UNKNOWN/SYS_TRANSIENT.
///
/// When the retries are used up the correct exchange asks once more with a guaranteed-response
/// call with the same key (the ledger is trusted): the answer is then certain. The buggy
/// exchange instead treats the unknown outcome as a failure and re-credits the user.
public struct Exchange: CanisterProgram {
    public struct Operation: Hashable, Sendable, Codable {
        public var id: Int
        public var user: Int
        public var amount: Int
        public var createdAt: Time
        public var attempts: Int
    }

    public struct State: CanisterState {
        /// Credits per ledger account (index = account; only user accounts are used).
        public var credits: [Int]
        public var pending: [Operation] = []
        public var nextId = 0
        public var completed = 0
        public var failed = 0
    }

    public enum Continuation: ContinuationValue { case transfer(id: Int) }

    public let ledger: CanisterId
    public let initialCredits: [Int]
    public let maxRetries: Int
    public let settleWithGuaranteedCall: Bool

    public var name: String { settleWithGuaranteedCall ? "exchange" : "exchange(buggy)" }
    public var initialState: State { State(credits: initialCredits) }
    /// Declared for partial-order reduction (`icmc check --por`).
    public var callees: Set<CanisterId>? { [ledger] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        guard call.method == "withdraw" else {
            try execution.reject("no method \(call.method)")
            return
        }
        let user = try call.argument(0)
        let amount = try call.argument(1)
        guard execution.state.credits.indices.contains(user), amount > 0, execution.state.credits[user] >= amount else {
            try execution.reject("insufficient credit")
            return
        }
        execution.state.credits[user] -= amount
        let operation = Operation(id: execution.state.nextId, user: user, amount: amount, createdAt: execution.now, attempts: 0)
        execution.state.nextId += 1
        execution.state.pending.append(operation)
        try send(operation, kind: .bestEffort, in: &execution)
    }

    private func send(_ operation: Operation, kind: CallKind, in execution: inout Execution<State, Continuation>) throws {
        guard let index = execution.state.pending.firstIndex(where: { $0.id == operation.id }) else { return }
        execution.state.pending[index].attempts += 1
        let result = try execution.call(
            ledger, "transfer", arguments: LedgerProgram.Transfer(to: operation.user, amount: operation.amount, memo: operation.id, createdAt: operation.createdAt),
            kind: kind, timeout: 1, then: .transfer(id: operation.id))
        if !result.succeeded {
            // Nothing was sent: the operation certainly did not happen.
            try settle(operation.id, executed: false, in: &execution)
        }
    }

    private func settle(_ id: Int, executed: Bool, in execution: inout Execution<State, Continuation>) throws {
        guard let index = execution.state.pending.firstIndex(where: { $0.id == id }) else { return }
        let operation = execution.state.pending.remove(at: index)
        if executed {
            execution.state.completed += 1
        } else {
            execution.state.credits[operation.user] += operation.amount
            execution.state.failed += 1
        }
        guard execution.context.needsToRespond else { return }
        if executed { try execution.reply() } else { try execution.reject("withdrawal failed") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        guard case .transfer(let id) = continuation, let operation = execution.state.pending.first(where: { $0.id == id }) else { return }
        switch response {
        case .reply:
            try settle(id, executed: true, in: &execution)  // executed now, or a duplicate of an executed one
        case .reject(let code, _) where code == .sysUnknown || code == .sysTransient:
            if operation.attempts <= maxRetries {
                try send(operation, kind: .bestEffort, in: &execution)
            } else if settleWithGuaranteedCall {
                try send(operation, kind: .guaranteed, in: &execution)
            } else {
                try settle(id, executed: false, in: &execution)  // the bug: unknown is not failed
            }
        case .reject:
            try settle(id, executed: false, in: &execution)  // the ledger refused: nothing happened
        }
    }
}

/// The exchange-and-ledger application specs.
enum ExchangeSpecs {
    /// Ledger accounts: 0 = the exchange, 1 = the ledger itself (unused), 2 and 3 = users.
    static let userAccounts = [2, 3]
    static let initialCredits = [0, 0, 2, 1]

    static func configuration(correct: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(Exchange(ledger: 1, initialCredits: initialCredits, maxRetries: 1, settleWithGuaranteedCall: correct)),
                CanisterSetup(LedgerProgram(balances: [3, 0, 0, 0], window: 10)),
            ],
            ingress: [IngressMessage(to: 0, "withdraw", arguments: [2, 1])],
            faults: .lossy, limits: MessagingLimits(maxTime: 2))
    }

    static func states(_ view: any ICView) -> (Exchange.State, LedgerProgram.State)? {
        guard let exchange = view.programState(of: 0, as: Exchange.State.self),
            let ledger = view.programState(of: 1, as: LedgerProgram.State.self)
        else { return nil }
        return (exchange, ledger)
    }

    static let noDoubleSpend = ICProperty(
        name: "no-double-spend", statement: "No user ever holds, on the ledger plus in the exchange's books, more than the user deposited."
    , observes: .none, observesContextRemoval: false, reads: .canisters(fields: [0, 1])) { view in
        guard let (exchange, ledger) = states(view) else { return false }
        return userAccounts.allSatisfy { ledger.balances[$0] + exchange.credits[$0] <= initialCredits[$0] }
    }

    static let booksMatch = ICProperty(
        name: "books-match-ledger", statement: "With no withdrawal pending, the exchange's ledger balance equals the credits it owes users."
    , observes: .none, observesContextRemoval: false, reads: .canisters(fields: [0, 1])) { view in
        guard let (exchange, ledger) = states(view) else { return false }
        return !exchange.pending.isEmpty || ledger.balances[0] == exchange.credits.reduce(0, +)
    }

    static let operationsEnd = ICLivenessProperty(
        name: "every-withdrawal-ends", statement: "Every pending withdrawal is eventually settled.",
        reads: .canisters(fields: [0, 1]),
        premise: { view in !(states(view)?.0.pending.isEmpty ?? true) },
        goal: { view in states(view)?.0.pending.isEmpty ?? false })

    static var specs: [Spec] {
        let bounds = "Bounds: user account 2 (credit 2) withdraws 1, user account 3 holds credit 1; ledger dedup window 10 s; best-effort timeout 1 s, at most 1 retry; clock up to 2 s. Environment: lossy (best-effort requests and responses dropped, early expiry). Checked: no double spend and books match the ledger (safety, BFS) and every withdrawal ends (liveness under weak fairness of system steps)."
        return [
            Spec(
                name: "A1-exchange-buggy",
                summary: "Exchange treats an unknown transfer outcome as failure and re-credits: the user is paid twice.",
                details: "An exchange (C0) moves users' funds through an ICRC-1-style ledger (C1) with deduplication (memo + created_at_time) and best-effort calls with bounded retries. Bug: when the retries end in SYS_UNKNOWN it assumes the transfer failed and re-credits the user, although the ledger may have executed it. \(bounds) Expected: violated (no-double-spend).",
                category: .application, callKinds: [.bestEffort],
                configuration: configuration(correct: false),
                properties: [noDoubleSpend, booksMatch], livenessProperties: [operationsEnd],
                expectation: .violated(property: "no-double-spend")
            ),
            Spec(
                name: "A1-exchange-correct",
                summary: "Exchange with dedup keys, bounded best-effort retries, then one guaranteed call: no double spend, books match, every withdrawal ends.",
                details: "The correct exchange keeps the user's funds debited while an operation is unresolved, retries with the same dedup key, and after the last best-effort retry settles with one guaranteed-response call carrying the same key (the ledger is trusted, so it answers; a duplicate reply means the first transfer happened). \(bounds) Expected: holds.",
                category: .application, callKinds: [.bestEffort, .guaranteed],
                configuration: configuration(correct: true),
                properties: [noDoubleSpend, booksMatch], livenessProperties: [operationsEnd], expectation: .holds
            ),
        ]
    }
}
