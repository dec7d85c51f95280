import ICCore
import ICSpec

/// B9 variants a, c and d: a withdrawal service with an intent journal. Each flag is one of the
/// SEC 'Journaling' rules; the buggy variant breaks exactly that one.
public struct IntentJournalWithdrawer: CanisterProgram {
    /// A journaled intent: a transfer C0 started and whose outcome it has not recorded yet.
    public struct Intent: Hashable, Sendable, Codable {
        /// The deduplication key sent with the transfer (nil: the intent carries none).
        public var memo: Int?
        public var createdAt: Time?
        /// Its call ended with SYS_UNKNOWN: `resolve` may re-send it.
        public var outcomeUnknown = false
    }

    public struct State: CanisterState {
        /// Unresolved intents (at most a few).
        public var pending: [Intent] = []
        /// Withdrawals recorded as done.
        public var done = 0
    }

    public enum Continuation: ContinuationValue { case transferred }

    /// Which journaling rule the program keeps (the others are kept as well).
    public enum Rule: String, Sendable {
        /// (a) journal the intent before the await.
        case intentBeforeAwait
        /// (c) the intent carries the transfer's deduplication key, so resolving re-sends it
        /// with the same key.
        case intentHasKey
        /// (d) an unresolved intent is the lock: no second withdrawal starts meanwhile.
        case intentIsLock
    }

    public let ledger: CanisterId
    public let rule: Rule
    public let keepsRule: Bool
    public let kind: CallKind

    public init(ledger: CanisterId, rule: Rule, keepsRule: Bool, kind: CallKind) {
        self.ledger = ledger
        self.rule = rule
        self.keepsRule = keepsRule
        self.kind = kind
    }

    public var name: String { "withdrawer(\(rule.rawValue)\(keepsRule ? "" : " broken"))" }
    public var initialState: State { State() }

    private var journalsIntent: Bool { rule != .intentBeforeAwait || keepsRule }
    private var checksLock: Bool { rule != .intentIsLock || keepsRule }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "withdraw":
            // The user may withdraw once: recorded withdrawals, and with the lock the unresolved ones.
            guard execution.state.done == 0, !(checksLock && !execution.state.pending.isEmpty) else {
                return try execution.reject("already withdrawn or in progress")
            }
            let keyed = rule != .intentHasKey || keepsRule
            let intent = Intent(memo: keyed ? 7 : nil, createdAt: keyed ? execution.now : nil)
            if journalsIntent { execution.state.pending.append(intent) }
            try send(intent, in: &execution)
        case "resolve":
            // Recovery: re-send the oldest intent whose outcome is unknown (a journal replay).
            guard let intent = execution.state.pending.first, intent.outcomeUnknown else { return try execution.reply() }
            try send(intent, in: &execution)
        default:
            try execution.reject("no method \(call.method)")
        }
    }

    private func send(_ intent: Intent, in execution: inout Execution<State, Continuation>) throws {
        let transfer = LedgerProgram.Transfer(to: 2, amount: 1, memo: intent.memo, createdAt: intent.createdAt)
        let result = try execution.call(ledger, "transfer", arguments: transfer, kind: kind, timeout: 1, then: .transferred)
        if !result.succeeded { try execution.reject("ledger unreachable") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        switch response {
        case .reply:
            if !execution.state.pending.isEmpty { execution.state.pending.removeFirst() }
            execution.state.done += 1
            // Post-processing in the same execution may trap (SEC: it should run in its own).
            if rule == .intentBeforeAwait, try execution.choose(2) == 1 { try execution.trap("post-processing trapped") }
            try execution.reply()
        case .reject(.sysUnknown, _):
            // Outcome unknown: the intent stays pending, for `resolve`.
            if !execution.state.pending.isEmpty { execution.state.pending[0].outcomeUnknown = true }
            try execution.reject("outcome unknown")
        case .reject:
            if !execution.state.pending.isEmpty { execution.state.pending.removeFirst() }
            try execution.reject("transfer failed")
        }
    }
}

enum B09Variants {
    static let paidOnce = B04.paidOnce

    /// Every token the ledger paid is recorded: as done, or as a pending intent.
    static let paymentsRecorded = ICProperty(
        name: "payments-recorded",
        statement: "When C0 awaits nothing, every payment the ledger made is in C0's journal, done or pending.",
        observes: .none, observesContextRemoval: false
    ) { view in
        guard view.openCallbacks(of: 0).isEmpty else { return true }
        guard let state = view.programState(of: 0, as: IntentJournalWithdrawer.State.self),
            let paid = view.programState(of: 1, as: LedgerProgram.State.self)?.balances[2]
        else { return false }
        return paid <= state.done + state.pending.count
    }

    static func configuration(_ rule: IntentJournalWithdrawer.Rule, keepsRule: Bool) -> SystemConfiguration {
        let kind: CallKind = rule == .intentHasKey ? .bestEffort : .guaranteed
        let ingress: [IngressMessage] = switch rule {
        case .intentBeforeAwait: [IngressMessage(to: 0, "withdraw")]
        case .intentHasKey: [IngressMessage(to: 0, "withdraw"), IngressMessage(to: 0, "resolve")]
        case .intentIsLock: [IngressMessage(to: 0, "withdraw"), IngressMessage(to: 0, "withdraw")]
        }
        return SystemConfiguration(
            canisters: [
                CanisterSetup(IntentJournalWithdrawer(ledger: 1, rule: rule, keepsRule: keepsRule, kind: kind)),
                CanisterSetup(LedgerProgram(balances: [5, 0, 0], window: rule == .intentHasKey ? 10 : nil)),
            ],
            ingress: ingress, faults: rule == .intentHasKey ? .lossy : .benign,
            limits: MessagingLimits(maxTime: rule == .intentHasKey ? 2 : 0))
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B9a-intent-before-await", callKinds: [.guaranteed], properties: [paymentsRecorded], violates: "payments-recorded",
            buggy: .init(
                summary: "No intent journaled before the await: after the callback traps, nothing records that the ledger paid.",
                details: "Bug B9(a) (SEC 'Journaling'). C0 pays a withdrawal of 1 token through the ledger C1 (guaranteed call) without journaling the intent first; its callback records the withdrawal as done and then post-processes, which may trap and roll the record back. Claim: when C0 awaits nothing, every payment the ledger made is in C0's journal, done or pending. No faults besides the program's own trap; one withdrawal. Expected: violated (payments-recorded).",
                configuration: configuration(.intentBeforeAwait, keepsRule: false)),
            fixed: .init(
                summary: "Journal the intent before the await: a trapping callback leaves it pending, to be resolved later.",
                details: "Fix of B9(a): C0 appends the intent to its journal before calling the ledger; the await commits it, so a trap in the callback leaves the intent pending (the withdrawal can be looked up and resolved). Claim: when C0 awaits nothing, every payment the ledger made is in C0's journal, done or pending. No faults besides the program's own trap; one withdrawal. Expected: holds.",
                configuration: configuration(.intentBeforeAwait, keepsRule: true))
        ) + Spec.bugPattern(
            "B9c-intent-without-dedup-key", callKinds: [.bestEffort], properties: [paidOnce], violates: "paid-at-most-once",
            buggy: .init(
                summary: "An intent without a deduplication key: resolving it after SYS_UNKNOWN pays a second time.",
                details: "Bug B9(c) (SEC 'Journaling'). C0 journals the intent and pays 1 token through the ICRC-1 ledger C1 with a best-effort call (timeout 1 s); on SYS_UNKNOWN the intent stays pending, and a later `resolve` call re-sends it. The intent has no deduplication key, so the ledger cannot tell the re-sent transfer from a new one: if the first executed (its reply lost), the payee is paid twice. Claim: the payee gets at most 1 token. Environment: lossy (best-effort drops, early expiry); the ledger deduplicates keyed transfers within 10 s; clock up to 2 s. Expected: violated (paid-at-most-once).",
                configuration: configuration(.intentHasKey, keepsRule: false)),
            fixed: .init(
                summary: "Put the deduplication key (memo, created_at_time) in the intent: re-sending it is deduplicated.",
                details: "Fix of B9(c): the journaled intent carries the transfer's memo and created_at_time, and `resolve` re-sends it with the same key; the ledger answers a repeat within its window with 'duplicate' instead of paying again. Claim: the payee gets at most 1 token. Environment: lossy; the ledger deduplicates within 10 s; clock up to 2 s. Expected: holds.",
                configuration: configuration(.intentHasKey, keepsRule: true))
        ) + Spec.bugPattern(
            "B9d-intent-as-lock", callKinds: [.guaranteed], properties: [paidOnce], violates: "paid-at-most-once",
            buggy: .init(
                summary: "Re-entering the flow while an intent is unresolved: two withdrawals of a once-only payout both pay.",
                details: "Bug B9(d) (SEC 'Journaling'). A user may withdraw 1 token once. C0 checks only its recorded withdrawals, journals the intent and calls the ledger C1 (guaranteed); a second `withdraw` that runs while the first awaits the ledger passes the same check and pays again. Claim: the payee gets at most 1 token. No faults; two withdraw calls. Expected: violated (paid-at-most-once).",
                configuration: configuration(.intentIsLock, keepsRule: false)),
            fixed: .init(
                summary: "Treat an unresolved intent as the lock: a second withdrawal is refused while one is pending.",
                details: "Fix of B9(d): `withdraw` also refuses while an intent is pending, so the journal serves as the per-user lock across the await. Claim: the payee gets at most 1 token. No faults; two withdraw calls. Expected: holds.",
                configuration: configuration(.intentIsLock, keepsRule: true))
        )
    }
}
