import ICCore
import ICSpec

/// A ckBTC-style minter: a withdrawal burns 1 ckBTC on the ledger (a guaranteed call), then
/// submits a Bitcoin transaction paying the user through a best-effort call to the Bitcoin
/// network's canister, retried on SYS_UNKNOWN at most `maxRetries` times. The buggy minter
/// builds a new transaction for every retry; the fixed one re-submits the same signed one.
public struct WithdrawingMinter: CanisterProgram {
    public struct State: CanisterState {
        public var attempts = 0
        /// Withdrawals whose burn the ledger confirmed.
        public var burned = 0
    }

    public enum Continuation: ContinuationValue { case burned, submitted }

    public let ledger: CanisterId
    public let bitcoin: CanisterId
    public let maxRetries: Int
    public let resubmitsSameTransaction: Bool

    public init(ledger: CanisterId, bitcoin: CanisterId, maxRetries: Int, resubmitsSameTransaction: Bool) {
        self.ledger = ledger
        self.bitcoin = bitcoin
        self.maxRetries = maxRetries
        self.resubmitsSameTransaction = resubmitsSameTransaction
    }

    public var name: String { resubmitsSameTransaction ? "minter(same tx)" : "minter" }
    public var initialState: State { State() }

    /// The burn account on the ledger (ICRC-1: a transfer to the minting account burns).
    public static let burnAccount = 3

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let burn = LedgerProgram.Transfer(to: Self.burnAccount, amount: 1)
        let result = try execution.call(ledger, "transfer", arguments: burn, then: .burned)
        if !result.succeeded { try execution.reject("ledger unreachable") }
    }

    private func submit(in execution: inout Execution<State, Continuation>) throws {
        execution.state.attempts += 1
        // A transaction id: the same signed transaction for every retry, or a new one each time.
        let transaction = resubmitsSameTransaction ? 1 : execution.state.attempts
        let result = try execution.call(bitcoin, "send", arguments: transaction, kind: .bestEffort, timeout: 1, then: .submitted)
        if !result.succeeded { try execution.reject("bitcoin canister unreachable: retry later") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        switch (continuation, response) {
        case (.burned, .reply):
            execution.state.burned += 1
            try submit(in: &execution)
        case (.burned, .reject):
            try execution.reject("burn failed")
        case (.submitted, .reply):
            try execution.reply()
        case (.submitted, .reject(.sysUnknown, _)) where execution.state.attempts <= maxRetries:
            try submit(in: &execution)
        case (.submitted, .reject):
            try execution.reject("bitcoin transaction status unknown")
        }
    }
}

/// The Bitcoin network, as the minter sees it: a transaction pays out once, however often it
/// is submitted (its inputs can be spent once); different transactions pay out separately.
public struct BitcoinNetwork: CanisterProgram {
    public struct State: CanisterState {
        /// Transactions included in the chain, each paying the user 1 BTC.
        public var included: [Int] = []
    }

    public enum Continuation: ContinuationValue { case none }

    public init() {}

    public var name: String { "bitcoin" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let transaction = try call.arguments(as: Int.self)
        if !execution.state.included.contains(transaction) { execution.state.included.append(transaction) }
        try execution.reply()
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}

enum CkBTCWithdrawal {
    static let paidAtMostBurned = ICProperty(
        name: "btc-paid-at-most-burned",
        statement: "The Bitcoin paid out never exceeds the ckBTC burned on the ledger.",
        observes: .none, observesContextRemoval: false
    ) { view in
        let paid = view.programState(of: 2, as: BitcoinNetwork.State.self)?.included.count ?? 0
        let burned = view.programState(of: 1, as: LedgerProgram.State.self)?.balances[WithdrawingMinter.burnAccount] ?? 0
        return paid <= burned
    }

    static func configuration(fixed: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(WithdrawingMinter(ledger: 1, bitcoin: 2, maxRetries: 1, resubmitsSameTransaction: fixed)),
                CanisterSetup(LedgerProgram(balances: [5, 0, 0, 0])),
                CanisterSetup(BitcoinNetwork()),
            ],
            ingress: [IngressMessage(to: 0, "withdraw")], faults: .lossy, limits: MessagingLimits(maxTime: 2))
    }

    static var specs: [Spec] {
        let setting = "A user withdraws 1 ckBTC through the minter C0: C0 burns 1 ckBTC on the ledger C1 (a guaranteed transfer to the minting account), then submits a Bitcoin transaction paying the user to the Bitcoin network's canister C2 with a best-effort call (timeout 1 s), retrying once on SYS_UNKNOWN. C2 includes a transaction once, however often it is submitted. Claim: the Bitcoin paid out never exceeds the ckBTC burned. Environment: lossy (best-effort drops, early expiry); clock up to 2 s."
        return Spec.bugPattern(
            "CKBTC-withdrawal", category: .application, callKinds: [.guaranteed, .bestEffort], properties: [paidAtMostBurned],
            violates: "btc-paid-at-most-burned",
            buggy: .init(
                summary: "ckBTC-style withdrawal: retrying the Bitcoin send with a new transaction after SYS_UNKNOWN pays twice for one burn.",
                details: "\(setting) The buggy minter builds a new transaction for the retry: if the first was included and only its answer was lost, the user is paid twice for one burn. Expected: violated (btc-paid-at-most-burned).",
                configuration: configuration(fixed: false)),
            fixed: .init(
                summary: "ckBTC-style withdrawal: re-submitting the same signed transaction makes the retry harmless.",
                details: "\(setting) The fixed minter re-submits the same signed transaction (its inputs can be spent once: the deduplication key of Bitcoin), so a retry never pays again. Expected: holds.",
                configuration: configuration(fixed: true))
        )
    }
}
