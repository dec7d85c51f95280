import ICCore
import ICSpec

/// B4: a payer that retries a best-effort ledger transfer after SYS_UNKNOWN. Without a
/// deduplication key the retry can execute a second transfer.
public struct RetryingPayer: CanisterProgram {
    public struct State: CanisterState {
        public var attempts = 0
        /// The time of the first attempt: the `created_at_time` every retry reuses.
        public var createdAt: Time?
    }

    public enum Continuation: ContinuationValue { case transfer }

    public let ledger: CanisterId
    public let useDedupKey: Bool
    public let maxRetries: Int

    public var name: String { useDedupKey ? "payer(dedup)" : "payer" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        execution.state.createdAt = execution.now
        try attempt(in: &execution)
    }

    private func attempt(in execution: inout Execution<State, Continuation>) throws {
        execution.state.attempts += 1
        var transfer = LedgerProgram.Transfer(to: 2, amount: 1)
        if useDedupKey { (transfer.memo, transfer.createdAt) = (7, execution.state.createdAt ?? execution.now) }
        let result = try execution.call(ledger, "transfer", arguments: transfer, kind: .bestEffort, timeout: 1, then: .transfer)
        if !result.succeeded { try execution.reject("ledger unreachable") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        switch response {
        case .reply:
            try execution.reply()
        case .reject(let code, _):
            if (code == .sysUnknown || code == .sysTransient), execution.state.attempts <= maxRetries {
                try attempt(in: &execution)
            } else {
                try execution.reject("payment failed")
            }
        }
    }
}

enum B04 {
    static let paidOnce = ICProperty(name: "paid-at-most-once", statement: "The payee receives at most the one token of the one payment.", observes: .none, observesContextRemoval: false) { view in
        (view.programState(of: 1, as: LedgerProgram.State.self)?.balances[2] ?? 0) <= 1
    }

    static func configuration(dedup: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(RetryingPayer(ledger: 1, useDedupKey: dedup, maxRetries: 1)),
                CanisterSetup(LedgerProgram(balances: [5, 0, 0], window: dedup ? 10 : nil)),
            ],
            ingress: [IngressMessage(to: 0, "pay")], faults: .lossy, limits: MessagingLimits(maxTime: 2))
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B4-retry-without-dedup", callKinds: [.bestEffort], properties: [paidOnce], violates: "paid-at-most-once",
            buggy: .init(
                summary: "Retrying a transfer after SYS_UNKNOWN without a dedup key pays twice.",
                details: "Bug B4. C0 pays 1 token through the ledger (C1) with a best-effort call and retries once on SYS_UNKNOWN. SYS_UNKNOWN does not mean the transfer failed: the ledger may have executed it and its reply been dropped or overtaken by the deadline. Claim: the payee gets at most 1 token. Environment: lossy (best-effort drops, early expiry); clock up to 2 s, timeout 1 s. Expected: violated (paid-at-most-once).",
                configuration: configuration(dedup: false)),
            fixed: .init(
                summary: "Retry with the same ICRC-1 dedup key (memo + created_at_time): the ledger executes it once.",
                details: "Fix of B4: every attempt carries the same memo and created_at_time; the ledger deduplicates within its 10 s window and answers a repeat with 'duplicate'. Claim: the payee gets at most 1 token. Environment: lossy; clock up to 2 s. Expected: holds.",
                configuration: configuration(dedup: true))
        )
    }
}
