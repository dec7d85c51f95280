import ICCore
import ICSpec

/// A DEX that swaps a user's token A, held in its custody on ledger A, for token B from its pool
/// on ledger B. It pays the user 1 B with a best-effort call carrying a deduplication key; if
/// the payment definitely failed it compensates by returning the user's A. The buggy DEX takes
/// SYS_UNKNOWN for a failure and compensates; the fixed one retries with the same key and, when
/// the outcome stays unknown, leaves the swap open instead of guessing.
public struct SwappingDex: CanisterProgram {
    public struct State: CanisterState {
        /// Token A the DEX holds for the user (returned on compensation, kept on success).
        public var owedToUser = 1
        public var attempts = 0
        /// The swap ended (paid, or compensated); an open swap awaits manual resolution.
        public var finished = false
        /// The time of the first attempt: the created_at_time every retry reuses.
        public var createdAt: Time = 0
    }

    public enum Continuation: ContinuationValue { case paid, refunded }

    public let ledgerA: CanisterId
    public let ledgerB: CanisterId
    public let maxRetries: Int
    public let resolvesUnknown: Bool

    public init(ledgerA: CanisterId, ledgerB: CanisterId, maxRetries: Int, resolvesUnknown: Bool) {
        self.ledgerA = ledgerA
        self.ledgerB = ledgerB
        self.maxRetries = maxRetries
        self.resolvesUnknown = resolvesUnknown
    }

    /// The user's account on both ledgers.
    public static let user = 3

    public var name: String { resolvesUnknown ? "dex(retries unknown)" : "dex" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        guard execution.state.attempts == 0 else { return try execution.reject("swap already started") }
        execution.state.createdAt = execution.now
        try pay(in: &execution)
    }

    private func pay(in execution: inout Execution<State, Continuation>) throws {
        execution.state.attempts += 1
        let payment = LedgerProgram.Transfer(to: Self.user, amount: 1, memo: 1, createdAt: execution.state.createdAt)
        let result = try execution.call(ledgerB, "transfer", arguments: payment, kind: .bestEffort, timeout: 1, then: .paid)
        if !result.succeeded { try execution.reject("ledger B unreachable: swap open") }
    }

    /// Compensation: return the user's A from custody (a guaranteed call: its outcome is known).
    private func compensate(in execution: inout Execution<State, Continuation>) throws {
        let refund = LedgerProgram.Transfer(to: Self.user, amount: 1)
        let result = try execution.call(ledgerA, "transfer", arguments: refund, then: .refunded)
        if !result.succeeded { try execution.reject("ledger A unreachable: swap open") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        switch (continuation, response) {
        case (.paid, .reply):
            // `ok` or `duplicate`: either way the user has been paid once.
            execution.state.owedToUser = 0
            execution.state.finished = true
            try execution.reply()
        case (.paid, .reject(.sysUnknown, _)) where resolvesUnknown:
            if execution.state.attempts <= maxRetries {
                try pay(in: &execution)
            } else {
                try execution.reject("payment outcome unknown: swap open")
            }
        case (.paid, .reject):
            try compensate(in: &execution)
        case (.refunded, .reply):
            execution.state.owedToUser = 0
            execution.state.finished = true
            try execution.reject("swap failed: your A was returned")
        case (.refunded, .reject):
            try execution.reject("refund failed: swap open")
        }
    }
}

enum TwoLedgerSwap {
    /// A finished swap left the user exactly one token: the B bought or the A returned.
    static let userMadeWhole = ICProperty(
        name: "swap-all-or-nothing",
        statement: "Once C0 calls the swap finished, the user holds exactly 1 token: the B bought, or the A returned (none still owed).",
        observes: .none, observesContextRemoval: false
    ) { view in
        guard let dex = view.programState(of: 0, as: SwappingDex.State.self), dex.finished else { return true }
        guard let a = view.programState(of: 1, as: LedgerProgram.State.self)?.balances[SwappingDex.user],
            let b = view.programState(of: 2, as: LedgerProgram.State.self)?.balances[SwappingDex.user]
        else { return false }
        return a + b + dex.owedToUser == 1
    }

    static func configuration(fixed: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(SwappingDex(ledgerA: 1, ledgerB: 2, maxRetries: 1, resolvesUnknown: fixed)),
                // Ledger A: the DEX's account 0 holds the user's 1 A in custody.
                CanisterSetup(LedgerProgram(balances: [1, 0, 0, 0], window: 10)),
                // Ledger B: the DEX's account 0 holds its pool of 1 B.
                CanisterSetup(LedgerProgram(balances: [1, 0, 0, 0], window: 10)),
            ],
            ingress: [IngressMessage(to: 0, "swap")], faults: .lossy, limits: MessagingLimits(maxTime: 2))
    }

    static var specs: [Spec] {
        let setting = "A swap across two ledgers: the DEX C0 holds the user's 1 A in custody on ledger A (C1) and pays the user 1 B from its pool on ledger B (C2) with a best-effort call (timeout 1 s) carrying a deduplication key (memo, created_at_time; both ledgers deduplicate within 10 s). If the payment definitely failed it compensates by returning the user's A (a guaranteed transfer on ledger A). Claim: once C0 calls the swap finished, the user holds exactly one token (the B, or the A back, none still owed). Environment: lossy (best-effort drops, early expiry); clock up to 2 s; one swap."
        return Spec.bugPattern(
            "SWAP-two-ledgers", category: .application, callKinds: [.bestEffort, .guaranteed], properties: [userMadeWhole],
            violates: "swap-all-or-nothing",
            buggy: .init(
                summary: "A two-ledger swap that compensates on SYS_UNKNOWN: the user can get the B and the A back.",
                details: "\(setting) The buggy DEX treats SYS_UNKNOWN as a failed payment and compensates: if the payment executed and only its answer was lost, the user keeps the B and gets the A back. Expected: violated (swap-all-or-nothing).",
                configuration: configuration(fixed: false)),
            fixed: .init(
                summary: "A two-ledger swap that retries an unknown payment with the same key and compensates only a definite failure.",
                details: "\(setting) The fixed DEX retries the payment once with the same key on SYS_UNKNOWN (the ledger answers a repeat with 'duplicate', which also means paid), compensates only on a definite reject, and leaves the swap open (for resolution from the ledger's log) when the outcome stays unknown. Expected: holds.",
                configuration: configuration(fixed: true))
        )
    }
}
