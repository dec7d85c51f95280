import ICCore

/// An ICRC-1-style token ledger, small enough to model check.
///
/// Accounts are indices into `balances`; a canister `Ci` transfers from account `i` (its own).
/// `transfer(Transfer)` moves `amount` from the caller's account to `to` and replies
/// `TransferResult.ok`; it rejects on insufficient funds. With deduplication on (`window`), a
/// transfer carrying a memo and a `createdAt` time is deduplicated the ICRC-1 way: a transfer
/// older than `window` or from the future is rejected, and a second transfer with the same
/// (caller, memo, createdAt) within the window is not executed again: the ledger replies
/// `.duplicate` instead. `balance(Account)` replies the account's balance (an `Int`).
public struct LedgerProgram: CanisterProgram {
    /// An account: an index into the ledger's balances (canister `Ci` owns account `i`).
    public typealias Account = Int

    /// The arguments of `transfer` (ICRC-1's `TransferArg`, abridged).
    public struct Transfer: PayloadValue, CustomStringConvertible {
        public var to: Account
        public var amount: Int
        /// The deduplication key: a memo and the time the transfer was created (both or none).
        public var memo: Int?
        public var createdAt: Time?

        public init(to: Account, amount: Int, memo: Int? = nil, createdAt: Time? = nil) {
            self.to = to
            self.amount = amount
            self.memo = memo
            self.createdAt = createdAt
        }

        public var description: String {
            "\(amount) to account \(to)" + (memo.map { ", memo \($0)" } ?? "") + (createdAt.map { ", created at \($0)" } ?? "")
        }
    }

    /// The reply of `transfer`.
    public enum TransferResult: String, PayloadValue, CustomStringConvertible {
        /// The transfer was executed.
        case ok
        /// A transfer with the same key was executed before; this one was not.
        case duplicate

        public var description: String { rawValue }
    }

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

    /// The reject message of a transfer whose `createdAt` is older than the window (ICRC-1's
    /// `TooOld`): a client can tell it from other rejects.
    public static let tooOld = "too old"

    public var name: String { window == nil ? "ledger" : "ledger(dedup)" }
    public var initialState: State { State(balances: initialBalances) }
    /// The ledger only answers: it calls no one.
    public var callees: Set<CanisterId>? { [] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "transfer":
            guard case .canister(let caller) = call.caller else {
                try execution.reject("users hold no accounts on this ledger")
                return
            }
            let from = caller.index
            let transfer = try call.arguments(as: Transfer.self)
            let (to, amount) = (transfer.to, transfer.amount)
            let balances = execution.state.balances
            guard balances.indices.contains(from), balances.indices.contains(to), amount >= 0 else {
                try execution.reject("bad transfer")
                return
            }
            var key: DedupKey?
            if let window, let memo = transfer.memo {
                let createdAt = transfer.createdAt ?? execution.now
                let now = execution.now
                execution.state.recent.removeAll { $0.createdAt + window < now }
                if createdAt + window < now {
                    try execution.reject(Self.tooOld)
                    return
                }
                if createdAt > now {
                    try execution.reject("created in the future")
                    return
                }
                let candidate = DedupKey(caller: from, memo: memo, createdAt: createdAt)
                if execution.state.recent.contains(candidate) {
                    try execution.reply(TransferResult.duplicate)
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
            try execution.reply(TransferResult.ok)
        case "balance":
            let account = try call.arguments(as: Account.self)
            guard execution.state.balances.indices.contains(account) else {
                try execution.reject("no such account")
                return
            }
            try execution.reply(execution.state.balances[account])
        default:
            try execution.reject("no method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}
