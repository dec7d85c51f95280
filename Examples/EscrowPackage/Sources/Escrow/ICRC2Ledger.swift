import ICCore

/// A ledger in the style of ICRC-2: account owners approve a spender (here the escrow
/// canister), which then moves tokens with `transfer_from(from, to, amount)`.
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
        /// Keys of the transfers executed within the deduplication window: (memo, created_at_time).
        public var recent: [[Int]] = []
    }

    public enum Continuation: ContinuationValue { case none }

    /// Reply payloads of `transfer_from`.
    public static let ok = 0
    public static let duplicate = 1

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

    /// `transfer_from(from, to, amount)` or, with a deduplication key,
    /// `transfer_from(from, to, amount, memo, created_at_time)`.
    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        guard call.method == "transfer_from", call.arguments.count == 3 || call.arguments.count == 5 else {
            try execution.reject("unknown method or arguments: \(call.method)")
            return
        }
        let (from, to, amount) = (call.arguments[0], call.arguments[1], call.arguments[2])
        let accounts = execution.state.balances.indices
        guard accounts.contains(from), accounts.contains(to), amount >= 0 else {
            try execution.reject("bad transfer")
            return
        }
        var key: [Int]?
        if call.arguments.count == 5 {
            let candidate = [call.arguments[3], call.arguments[4]]
            let now = execution.now
            execution.state.recent.removeAll { $0[1] + window < now }
            if execution.state.recent.contains(candidate) {
                try execution.reply([Self.duplicate])
                return
            }
            key = candidate
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
        if let key { execution.state.recent.append(key) }
        try execution.reply([Self.ok])
    }

    /// The ledger makes no calls, so no response ever reaches it.
    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}
