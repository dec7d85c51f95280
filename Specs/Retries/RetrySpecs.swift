import ICCore
import ICSpec

/// Retrying best-effort calls: from a timer with back-off (the canister can still stop), an
/// idempotent read (safe), and a transfer whose deduplication window runs out (double spend).
public enum RetrySpecs {
    /// The claims (scalable messaging claims): R1, R2.
    public static var claims: [Spec] { [timerRetryStops, idempotentReadRetry] }
    /// The bug and its fix (bug patterns): R3.
    public static var bugPatterns: [Spec] { dedupWindow }

    static let attemptsBounded = ICProperty(
        name: "attempts-bounded", statement: "C0 makes at most 1 + R attempts (R = 2 retries).",
        observes: .none, mentions: .only([0]), observesContextRemoval: false, reads: .canisters(fields: [0])
    ) { view in (view.programState(of: 0, as: TimerRetryCaller.State.self)?.attempts ?? 0) <= 3 }

    static var timerRetryStops: Spec {
        var configuration = ScalableMessagingSpecs.stopConfiguration(
            StoppableCaller(callee: 1, kind: .bestEffort, maxRetries: 0), maxTime: 4)
        configuration.canisters[0] = CanisterSetup(TimerRetryCaller(callee: 1, maxRetries: 2), maxSystemTasks: 2)
        return Spec(
            name: "R1-timer-retry-with-backoff-stops",
            summary: "Retrying timed-out best-effort calls from a timer, with back-off and a bound, always lets the canister stop.",
            details: "Claim: a canister that retries a best-effort call on SYS_UNKNOWN from its global timer (back-off 1 s, then 2 s; at most R = 2 retries) can always finish stopping, and makes at most 1 + R attempts. Unlike a retry in the callback (S4-retry-forever-cannot-stop), each retry runs in the timer task's own call context, so the user's call context is answered at once and closes, a timed-out call's context closes when its callback has armed the timer, and a stopping canister runs no timer. C0 calls C1 (timeout 1 s) for a user; C1 never answers. Bounds: 2 system tasks for C0, clock up to 4 s. \(ScalableMessagingSpecs.boundedStopEnvironment) Expected: holds.",
            category: .scalableMessagingClaim, callKinds: [.bestEffort], configuration: configuration,
            properties: [attemptsBounded], livenessProperties: [ScalableMessagingSpecs.stopsEventually], silentCanisters: [1],
            eagerSchedule: true, expectation: .holds)
    }

    /// The ledger's accounts keep their balances, and a reading C0 got is the true balance.
    static let readIsSafe = ICProperty(
        name: "read-retry-is-safe",
        statement: "Retried reads change no balance, and the balance C0 read is the ledger's balance of that account.",
        observes: .none, observesContextRemoval: false
    ) { view in
        guard let ledger = view.programState(of: 1, as: LedgerProgram.State.self) else { return false }
        guard ledger.balances == [5, 0, 3], ledger.executed == 0 else { return false }
        guard let reading = view.programState(of: 0, as: RetryingReader.State.self)?.reading else { return true }
        return reading == ledger.balances[2]
    }

    static var idempotentReadRetry: Spec {
        Spec(
            name: "R2-idempotent-read-retry-safe",
            summary: "Retrying an idempotent read on SYS_UNKNOWN is safe: repeats change nothing and the answer is right.",
            details: "Claim (seed 002): a call that only reads state can be retried after SYS_UNKNOWN without harm, whether or not the earlier attempt executed. C0 reads account 2's balance on the ledger C1 with a best-effort call (timeout 1 s) and retries on SYS_UNKNOWN at most twice. Claim: the ledger's balances and transfer count never change, and a balance C0 received is the true one. Environment: lossy (best-effort drops, early expiry); clock up to 2 s. Expected: holds. Contrast: B4-retry-without-dedup-buggy retries a transfer and pays twice.",
            category: .scalableMessagingClaim, callKinds: [.bestEffort],
            configuration: SystemConfiguration(
                canisters: [
                    CanisterSetup(RetryingReader(ledger: 1, account: 2, maxRetries: 2)),
                    CanisterSetup(LedgerProgram(balances: [5, 0, 3])),
                ],
                ingress: [IngressMessage(to: 0, "read")], faults: .lossy, limits: MessagingLimits(maxTime: 2)),
            properties: [readIsSafe], expectation: .holds)
    }

    static func dedupConfiguration(renewsExpiredKey: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(WindowedPayer(ledger: 1, maxRetries: 2, renewsExpiredKey: renewsExpiredKey)),
                CanisterSetup(LedgerProgram(balances: [5, 0, 0], window: 1)),
            ],
            ingress: [IngressMessage(to: 0, "pay")], faults: .lossy, limits: MessagingLimits(maxTime: 2))
    }

    static var dedupWindow: [Spec] {
        let setting = "C0 pays 1 token to account 2 through an ICRC-1 ledger (C1) with a best-effort call (timeout 1 s) carrying a deduplication key (memo, created_at_time) and retries on SYS_UNKNOWN with the same key, at most 2 times. The ledger deduplicates within a window of 1 s (ICRC-1's 24 h, scaled to the clock bound) and rejects a key older than the window as too old. Claim: the payee gets at most the 1 token. Environment: lossy (best-effort drops, early expiry); clock up to 2 s."
        return Spec.bugPattern(
            "R3-dedup-window", callKinds: [.bestEffort], properties: [B04.paidOnce], violates: "paid-at-most-once",
            buggy: .init(
                summary: "A deduplication window that expires before the last retry: re-sending with a fresh key pays twice.",
                details: "Retry bug (ICRC-1's 24 h deduplication window). \(setting) The first transfer executes and its reply is lost; by the time a retry reaches the ledger the window has passed, the ledger answers 'too old', and C0 re-sends with a fresh created_at_time: a new key, which the ledger cannot match with the first transfer, so it executes again. Expected: violated (paid-at-most-once).",
                configuration: dedupConfiguration(renewsExpiredKey: true)),
            fixed: .init(
                summary: "Never renew the key: once the window has passed, stop retrying and look the transfer up.",
                details: "Fix: every retry keeps the first key, and a 'too old' answer ends the retries (the outcome must be looked up on the ledger, e.g. in its transaction log) instead of starting a new transfer. Equivalently, all retries must reach the ledger within the window. \(setting) Expected: holds.",
                configuration: dedupConfiguration(renewsExpiredKey: false))
        )
    }
}
