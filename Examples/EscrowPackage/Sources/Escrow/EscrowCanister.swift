import ICCore

/// An escrow canister: when the deal is released it pays the seller from the buyer's account
/// with the ledger's `transfer_from`, over a best-effort call (bounded wait), and retries when
/// the outcome is unknown (`SYS_UNKNOWN`) or the system was busy (`SYS_TRANSIENT`).
///
/// `SYS_UNKNOWN` does not mean the transfer failed: the ledger may have executed it and the
/// reply been dropped or overtaken by the deadline. Retrying without a deduplication key can
/// therefore pay twice; with one (`useDedupKey`), every attempt carries the same memo and
/// `created_at_time` and the ledger executes the transfer once.
public struct EscrowCanister: CanisterProgram {
    public struct State: CanisterState {
        public var attempts = 0
        /// The first attempt's time: the `created_at_time` every retry reuses.
        public var createdAt: Time?
        /// Whether the ledger confirmed the payment.
        public var released = false
    }

    public enum Continuation: ContinuationValue { case transferFrom }

    /// The deal's price, paid from `Account.buyer` to `Account.seller`.
    public static let price = 5
    /// The memo of the deal's payment.
    static let memo = 1

    public let ledger: CanisterId
    public let useDedupKey: Bool
    public let maxRetries: Int

    public init(ledger: CanisterId, useDedupKey: Bool, maxRetries: Int) {
        self.ledger = ledger
        self.useDedupKey = useDedupKey
        self.maxRetries = maxRetries
    }

    public var name: String { useDedupKey ? "escrow(dedup)" : "escrow" }
    public var initialState: State { State() }

    /// `release`: pay the seller.
    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        guard call.method == "release" else {
            try execution.reject("unknown method \(call.method)")
            return
        }
        execution.state.createdAt = execution.now
        try attempt(in: &execution)
    }

    private func attempt(in execution: inout Execution<State, Continuation>) throws {
        execution.state.attempts += 1
        var transfer = TransferFrom(from: .buyer, to: .seller, amount: Self.price)
        if useDedupKey { transfer.key = DedupKey(memo: Self.memo, createdAt: execution.state.createdAt ?? execution.now) }
        let result = try execution.call(
            ledger, "transfer_from", arguments: transfer, kind: .bestEffort, timeout: 1, then: .transferFrom)
        if !result.succeeded { try execution.reject("ledger unreachable") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        switch response {
        case .reply(let payload):
            // `.ok`, or `.duplicate` (an earlier attempt was executed): either way the seller is paid.
            guard payload.as(TransferFromResult.self) != nil else { try execution.trap("unexpected reply \(payload)") }
            execution.state.released = true
            try execution.reply()
        case .reject(let code, _) where (code == .sysUnknown || code == .sysTransient) && execution.state.attempts <= maxRetries:
            try attempt(in: &execution)
        case .reject:
            try execution.reject("release failed")
        }
    }
}
