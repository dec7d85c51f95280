import ICCore

/// An account on the ledger (on an ICRC ledger a principal and a subaccount; here a number).
public struct Account: Hashable, Sendable, Codable, CustomStringConvertible {
    public let number: Int

    public init(number: Int) { self.number = number }

    public static let buyer = Account(number: 0), seller = Account(number: 1)

    public var description: String { "account \(number)" }
}

/// ICRC-1's deduplication key: a memo and the time the transfer was created.
public struct DedupKey: Hashable, Sendable, Codable {
    public var memo: Int
    public var createdAt: Time

    public init(memo: Int, createdAt: Time) {
        self.memo = memo
        self.createdAt = createdAt
    }
}

/// The arguments of `transfer_from` (ICRC-2's `TransferFromArgs`, abridged): move `amount`
/// from `from` to `to` on the caller's allowance; with a `key`, at most once.
public struct TransferFrom: PayloadValue, CustomStringConvertible {
    public var from: Account
    public var to: Account
    public var amount: Int
    public var key: DedupKey?

    public init(from: Account, to: Account, amount: Int, key: DedupKey? = nil) {
        self.from = from
        self.to = to
        self.amount = amount
        self.key = key
    }

    /// `5 from account 0 to account 1, key 1`: how a counterexample step shows the call.
    public var description: String {
        "\(amount) from \(from) to \(to)" + (key.map { ", key \($0.memo)" } ?? "")
    }
}

/// The reply of `transfer_from`.
public enum TransferFromResult: String, PayloadValue, CustomStringConvertible {
    /// The transfer was executed.
    case ok
    /// A transfer with the same key was executed before; this one was not.
    case duplicate

    public var description: String { rawValue }
}
