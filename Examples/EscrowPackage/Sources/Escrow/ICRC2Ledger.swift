import ICCore

/// A ledger in the style of ICRC-2: account owners approve a spender (here the escrow
/// canister), which then moves tokens with `transfer_from` (arguments: a `TransferFrom`).
///
/// As in ICRC-1/2, a transfer that carries a deduplication key (a memo and its
/// `created_at_time`) is executed at most once within the ledger's window; a repeat is answered
/// `duplicate` instead of moving the tokens again. Without a key there is no deduplication.
public struct ICRC2Ledger: CanisterProgram {
    public struct State: CanisterState {
        /// Tokens per account (accounts are indices: 0 the buyer, 1 the seller).
        public var balances: [Int]
        /// What the spender may still move out of each account.
        public var allowances: [Int]
        /// Keys of the transfers executed within the deduplication window.
        public var recent: [DedupKey] = []
    }

    public enum Continuation: ContinuationValue { case none }

    public let initialBalances: [Int]
    public let initialAllowances: [Int]
    /// Seconds a deduplication key is remembered.
    public let window: Int

    public init(balances: [Int], allowances: [Int], window: Int = 10) {
        initialBalances = balances
        initialAllowances = allowances
        self.window = window
    }

    public var name: String { "ledger" }
    public var initialState: State { State(balances: initialBalances, allowances: initialAllowances) }

    /// `transfer_from`: replies `TransferFromResult.ok`, or `.duplicate` for a repeat of a keyed
    /// transfer within the window; rejects what the allowance or the balance does not cover.
    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        guard call.method == "transfer_from" else {
            try execution.reject("unknown method \(call.method)")
            return
        }
        let transfer = try call.arguments(as: TransferFrom.self)
        let (from, to, amount) = (transfer.from.number, transfer.to.number, transfer.amount)
        let accounts = execution.state.balances.indices
        guard accounts.contains(from), accounts.contains(to), amount >= 0 else {
            try execution.reject("bad transfer")
            return
        }
        if let key = transfer.key {
            let now = execution.now
            execution.state.recent.removeAll { $0.createdAt + window < now }
            if execution.state.recent.contains(key) {
                try execution.reply(TransferFromResult.duplicate)
                return
            }
        }
        guard execution.state.allowances[from] >= amount else {
            try execution.reject("insufficient allowance")
            return
        }
        guard execution.state.balances[from] >= amount else {
            try execution.reject("insufficient funds")
            return
        }
        execution.state.allowances[from] -= amount
        execution.state.balances[from] -= amount
        execution.state.balances[to] += amount
        if let key = transfer.key { execution.state.recent.append(key) }
        try execution.reply(TransferFromResult.ok)
    }

    /// The ledger makes no calls, so no response ever reaches it.
    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}
