import ICCore

/// Calls a callee with a best-effort call and, on SYS_UNKNOWN, retries from the global timer
/// with exponential back-off (1 s, 2 s, …) at most `maxRetries` times. Each retry runs in the
/// timer task's own call context, so no call context stays open across a back-off.
public struct TimerRetryCaller: CanisterProgram {
    public struct State: CanisterState {
        public var attempts = 0
        public var done = false
    }

    public enum Continuation: ContinuationValue { case response }

    public let callee: CanisterId
    public let maxRetries: Int

    public init(callee: CanisterId, maxRetries: Int) {
        self.callee = callee
        self.maxRetries = maxRetries
    }

    public var name: String { "timer-retry-caller" }
    public var initialState: State { State() }
    /// Declared for partial-order reduction (`icmc check --por`).
    public var callees: Set<CanisterId>? { [callee] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        try attempt(in: &execution)
        try execution.reply()
    }

    public func handleSystemTask(_ task: SystemTask, in execution: inout Execution<State, Continuation>) throws {
        try attempt(in: &execution)
    }

    private func attempt(in execution: inout Execution<State, Continuation>) throws {
        execution.state.attempts += 1
        let result = try execution.call(callee, "work", kind: .bestEffort, timeout: 1, then: .response)
        if !result.succeeded { try scheduleRetry(in: &execution) }
    }

    /// Arms the timer 2^(attempts−1) s ahead while retries are left; gives up otherwise.
    private func scheduleRetry(in execution: inout Execution<State, Continuation>) throws {
        if execution.state.attempts <= maxRetries {
            execution.setTimer(after: Time(1 << (execution.state.attempts - 1)))
        } else {
            execution.state.done = true
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if response.rejectCode == .sysUnknown {
            try scheduleRetry(in: &execution)
        } else {
            execution.state.done = true
        }
    }
}

/// Reads an account's balance from a ledger with a best-effort call and retries the read on
/// SYS_UNKNOWN (at most `maxRetries` times): a query of state, safe to repeat.
public struct RetryingReader: CanisterProgram {
    public struct State: CanisterState {
        public var attempts = 0
        /// The balance the ledger replied, once one reply arrived.
        public var reading: Int?
    }

    public enum Continuation: ContinuationValue { case balance }

    public let ledger: CanisterId
    public let account: Int
    public let maxRetries: Int

    public init(ledger: CanisterId, account: Int, maxRetries: Int) {
        self.ledger = ledger
        self.account = account
        self.maxRetries = maxRetries
    }

    public var name: String { "reader" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        try attempt(in: &execution)
    }

    private func attempt(in execution: inout Execution<State, Continuation>) throws {
        execution.state.attempts += 1
        let result = try execution.call(ledger, "balance", arguments: account, kind: .bestEffort, timeout: 1, then: .balance)
        if !result.succeeded { try execution.reject("ledger unreachable") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if let balance = response.payload(as: Int.self) {
            execution.state.reading = balance
            try execution.reply(balance)
        } else if response.rejectCode == .sysUnknown, execution.state.attempts <= maxRetries {
            try attempt(in: &execution)
        } else {
            try execution.reject("balance unknown")
        }
    }
}

/// Pays 1 token through an ICRC-1 ledger with a deduplication key (memo + `created_at_time`),
/// retrying on SYS_UNKNOWN with the same key at most `maxRetries` times. When the ledger says
/// the key is too old (its window has passed), the payer either re-sends with a fresh
/// `created_at_time` (`renewsExpiredKey`, the bug: a new key the ledger cannot match with the
/// first transfer) or stops and leaves the outcome to be looked up.
public struct WindowedPayer: CanisterProgram {
    public struct State: CanisterState {
        public var attempts = 0
        public var createdAt: Time = 0
    }

    public enum Continuation: ContinuationValue { case transfer }

    public let ledger: CanisterId
    public let maxRetries: Int
    public let renewsExpiredKey: Bool

    public init(ledger: CanisterId, maxRetries: Int, renewsExpiredKey: Bool) {
        self.ledger = ledger
        self.maxRetries = maxRetries
        self.renewsExpiredKey = renewsExpiredKey
    }

    public var name: String { renewsExpiredKey ? "payer(renews key)" : "payer(keeps key)" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        execution.state.createdAt = execution.now
        try attempt(in: &execution)
    }

    private func attempt(in execution: inout Execution<State, Continuation>) throws {
        execution.state.attempts += 1
        let transfer = LedgerProgram.Transfer(to: 2, amount: 1, memo: 7, createdAt: execution.state.createdAt)
        let result = try execution.call(ledger, "transfer", arguments: transfer, kind: .bestEffort, timeout: 1, then: .transfer)
        if !result.succeeded { try execution.reject("ledger unreachable") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        let retriesLeft = execution.state.attempts <= maxRetries
        switch response {
        case .reply:
            try execution.reply()
        case .reject(.sysUnknown, _) where retriesLeft:
            try attempt(in: &execution)
        case .reject(.canisterReject, LedgerProgram.tooOld) where retriesLeft && renewsExpiredKey:
            execution.state.createdAt = execution.now
            try attempt(in: &execution)
        case .reject:
            try execution.reject("payment outcome unknown: look the transfer up on the ledger")
        }
    }
}
