import ICCore

/// An ICRC-1-style token ledger, small enough to model check.
///
/// Accounts are indices into `balances`; a canister `Ci` transfers from account `i` (its own).
/// `transfer [to, amount, memo, createdAt]` moves `amount` from the caller's account to `to`
/// and replies `[0]`; it rejects on insufficient funds. With deduplication on (`window`), a
/// transfer carrying a memo (`memo ≥ 0`) and a `createdAt` time is deduplicated the ICRC-1 way:
/// a transfer older than `window` or from the future is rejected, and a second transfer with
/// the same (caller, memo, createdAt) within the window is not executed again: the ledger
/// replies `[1]` ("duplicate") instead. `balance [account]` replies `[balance]`.
public struct LedgerProgram: CanisterProgram {
    public struct DedupKey: Hashable, Sendable, Codable {
        public var caller: Int
        public var memo: Int
        public var createdAt: Time
    }

    public struct State: CanisterState {
        public var balances: [Int]
        /// Transfers executed (not counting duplicates).
        public var executed = 0
        /// Deduplication keys of recent transfers.
        public var recent: [DedupKey] = []
    }

    public enum Continuation: ContinuationValue { case none }

    public let initialBalances: [Int]
    /// The deduplication window in model seconds; `nil` turns deduplication off.
    public let window: Time?

    public init(balances: [Int], window: Time? = nil) {
        initialBalances = balances
        self.window = window
    }

    public var name: String { window == nil ? "ledger" : "ledger(dedup)" }
    public var initialState: State { State(balances: initialBalances) }

    /// Reply payload of an executed transfer.
    public static let ok = 0
    /// Reply payload of a transfer recognised as a duplicate.
    public static let duplicate = 1

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "transfer":
            guard case .canister(let caller) = call.caller else {
                try execution.reject("users hold no accounts on this ledger")
                return
            }
            let from = caller.index
            let to = try call.argument(0)
            let amount = try call.argument(1)
            let memo = call.arguments.count > 2 ? call.arguments[2] : -1
            let createdAt = call.arguments.count > 3 ? call.arguments[3] : execution.now
            let balances = execution.state.balances
            guard balances.indices.contains(from), balances.indices.contains(to), amount >= 0 else {
                try execution.reject("bad transfer")
                return
            }
            var key: DedupKey?
            if let window, memo >= 0 {
                let now = execution.now
                execution.state.recent.removeAll { $0.createdAt + window < now }
                if createdAt + window < now {
                    try execution.reject("too old")
                    return
                }
                if createdAt > now {
                    try execution.reject("created in the future")
                    return
                }
                let candidate = DedupKey(caller: from, memo: memo, createdAt: createdAt)
                if execution.state.recent.contains(candidate) {
                    try execution.reply([Self.duplicate])
                    return
                }
                key = candidate
            }
            guard balances[from] >= amount else {
                try execution.reject("insufficient funds")
                return
            }
            execution.state.balances[from] -= amount
            execution.state.balances[to] += amount
            execution.state.executed += 1
            if let key { execution.state.recent.append(key) }
            try execution.reply([Self.ok])
        case "balance":
            let account = try call.argument(0)
            guard execution.state.balances.indices.contains(account) else {
                try execution.reject("no such account")
                return
            }
            try execution.reply([execution.state.balances[account]])
        default:
            try execution.reject("no method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}
