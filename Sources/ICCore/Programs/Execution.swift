import ModelChecking

/// The system services a message execution uses: nondeterministic choice and the System API's
/// cycle and call semantics.
///
/// The program-facing API (`Execution`) only forwards to it; the model and the executor each
/// implement it on their own (the model by enumerating every choice, re-running the handler once
/// per choice sequence; the executor by replaying a trace's choices or drawing them from a seeded
/// PRNG), so a difference between the two shows up as a replay divergence. Both record every
/// choice in order, so a trace carries what is needed to re-run the step.
public protocol ExecutionRuntime: AnyObject {
    /// A choice among `count` (≥ 1) options, in `0..<count`.
    func choose(_ count: Int) -> Int
    /// `ic0.call_cycles_add128` + `ic0.call_perform`: decides whether the system accepts `call`
    /// now (payload limits, the caller's liquid balance, queue capacity, quotas, fault switches)
    /// and, if it does, takes the attached cycles from the liquid balance. Called once per
    /// `Execution.call`, in program order.
    func perform(_ call: OutgoingCall) -> CallPerformResult
    /// `ic0.msg_cycles_accept128`: moves up to `amount` of the cycles still available to the
    /// canister's balance at once (so they can be attached to calls in the same execution);
    /// returns how many moved.
    func accept(_ amount: Cycles) -> Cycles
    /// `ic0.msg_cycles_available128`: cycles attached to the call and not yet accepted.
    var availableCycles: Cycles { get }
    /// `ic0.canister_liquid_cycle_balance128`: balance − freezing threshold, with the cycles
    /// accepted so far and without those attached to calls performed so far.
    var liquidBalance: Cycles { get }
    /// The program read the absolute clock (`Execution.now`) or set the global timer, which is
    /// an absolute time: a model whose states keep time only relative to now (relative time)
    /// cannot run such a program faithfully and reports it. Default: nothing.
    func readClock()
}

extension ExecutionRuntime {
    public func readClock() {}
}

/// What the system tells a message execution about itself, fixed for its duration.
public struct ExecutionContext: Hashable, Sendable {
    public let canister: CanisterId
    public let now: Time
    /// The canister's balance when the execution starts (refund already credited for callbacks).
    public let balance: Cycles
    /// `ic0.msg_cycles_available`: cycles attached to the call and not yet accepted.
    public let availableCycles: Cycles
    /// `ic0.msg_cycles_refunded` in a callback; 0 otherwise.
    public let refundedCycles: Cycles
    /// `ic0.msg_deadline`: the call context's deadline for best-effort calls.
    public let deadline: Time?
    /// Whether the call context still needs a response (reply or reject allowed).
    public let needsToRespond: Bool
    /// Whether this is a cleanup execution (no calls, replies or rejects allowed).
    public let isCleanup: Bool
    /// The largest reply payload the call being answered allows, in bytes (1 kB for a small
    /// guaranteed-response call in the proposal): a larger reply traps, as `ic0.msg_reply_data_append`
    /// does beyond the limit. Each runtime works it out on its own.
    public let responsePayloadLimit: Int

    public init(
        canister: CanisterId, now: Time, balance: Cycles, availableCycles: Cycles, refundedCycles: Cycles,
        deadline: Time?, needsToRespond: Bool, isCleanup: Bool = false, responsePayloadLimit: Int = .max
    ) {
        self.responsePayloadLimit = responsePayloadLimit
        self.canister = canister
        self.now = now
        self.balance = balance
        self.availableCycles = availableCycles
        self.refundedCycles = refundedCycles
        self.deadline = deadline
        self.needsToRespond = needsToRespond
        self.isCleanup = isCleanup
    }
}

/// One message execution, as a program sees it: its state and the System API.
///
/// Effects are collected and applied by the runtime only if the handler returns without
/// throwing; a thrown error is a trap and discards them all (P5).
public struct Execution<State: CanisterState, Continuation: ContinuationValue> {
    /// The canister's state; change it freely.
    public var state: State
    public let context: ExecutionContext
    @usableFromInline let runtime: ExecutionRuntime

    public private(set) var calls: [OutgoingCall] = []
    public private(set) var response: Response?
    /// The size of the reply's payload in bytes (what the quotas and limits see).
    public private(set) var responseBytes: Int = 0
    public private(set) var acceptedCycles: Cycles = 0
    /// The global timer as this execution last set it (`nil`: not set; 0: deactivated).
    public private(set) var globalTimer: Time?
    /// The liquid balance (balance − freezing threshold), with the cycles accepted and without
    /// those attached so far: what the next call can attach.
    public var liquidBalance: Cycles { runtime.liquidBalance }

    /// The maximum best-effort timeout (`MAX_CALL_TIMEOUT`, 300 s on the IC): the system clamps
    /// longer timeouts (each runtime on its own; this is the figure programs can plan with).
    public static var maxCallTimeout: Time { 300 }

    /// Fingerprints of the program's continuations seen before (`nil`: compute each afresh).
    /// Unowned: the program's closure holds the memo for longer than any execution lasts, and
    /// a strong reference was a reference count per execution on one object that every worker
    /// of a search counted.
    @usableFromInline unowned(unsafe) let continuationMemo: FingerprintMemo<Continuation>?

    public init(state: State, context: ExecutionContext, runtime: ExecutionRuntime) {
        self.init(state: state, context: context, runtime: runtime, continuationMemo: nil)
    }

    /// Inlinable, so that the program's specialised code makes its execution without a
    /// run-time metadata lookup (once per message execution the checker explores).
    @inlinable
    init(state: State, context: ExecutionContext, runtime: ExecutionRuntime, continuationMemo: FingerprintMemo<Continuation>?) {
        self.state = state
        self.context = context
        self.runtime = runtime
        self.continuationMemo = continuationMemo
    }

    public var me: CanisterId { context.canister }
    /// `ic0.time`: the current time (a read the runtime is told of, see `ExecutionRuntime.readClock`).
    public var now: Time {
        runtime.readClock()
        return context.now
    }

    /// Calls `callee` (`ic0.call_new` … `ic0.call_perform`) with `arguments`. The callback runs
    /// `continuation` when the response arrives. Returns `.failed` when the system refuses the
    /// call synchronously: then no callback will ever run (bug pattern B11).
    @discardableResult @inlinable
    public mutating func call<Arguments: PayloadValue>(
        _ callee: CanisterId, _ method: String, arguments: Arguments, cycles: Cycles = 0,
        kind: CallKind = .guaranteed, timeout: Time = 300, payloadBytes: Int = 100,
        then continuation: Continuation, cleanup: Bool = false
    ) throws -> CallPerformResult {
        try perform(
            callee, method, arguments: Payload(arguments), cycles: cycles, kind: kind, timeout: timeout,
            payloadBytes: payloadBytes, then: continuation, cleanup: cleanup)
    }

    /// Calls `callee` without arguments (see `call(_:_:arguments:…)`). Inlinable like the
    /// others: compiled once in ICCore, it called the generic `perform`, whose optional
    /// continuation and memo made the runtime look metadata up (about 5,000 instructions a call).
    @discardableResult @inlinable
    public mutating func call(
        _ callee: CanisterId, _ method: String, cycles: Cycles = 0,
        kind: CallKind = .guaranteed, timeout: Time = 300, payloadBytes: Int = 100,
        then continuation: Continuation, cleanup: Bool = false
    ) throws -> CallPerformResult {
        try perform(
            callee, method, arguments: .empty, cycles: cycles, kind: kind, timeout: timeout,
            payloadBytes: payloadBytes, then: continuation, cleanup: cleanup)
    }

    /// Sends a one-way call (`notify` / `call_new_oneway` in the CDKs): by default a best-effort
    /// call whose response no code of this canister handles. The CDKs register an invalid
    /// callback, so the response's arrival traps at once: only its refund is credited. The caller
    /// never learns whether the callee executed the call. Returns `.failed` when the system
    /// refuses it synchronously.
    @discardableResult @inlinable
    public mutating func notify<Arguments: PayloadValue>(
        _ callee: CanisterId, _ method: String, arguments: Arguments, cycles: Cycles = 0,
        kind: CallKind = .bestEffort, timeout: Time = 300, payloadBytes: Int = 100
    ) throws -> CallPerformResult {
        try perform(
            callee, method, arguments: Payload(arguments), cycles: cycles, kind: kind, timeout: timeout,
            payloadBytes: payloadBytes, then: nil, cleanup: false)
    }

    /// Sends a one-way call without arguments (see `notify(_:_:arguments:…)`); inlinable for
    /// the same reason as `call(_:_:cycles:…)`.
    @discardableResult @inlinable
    public mutating func notify(
        _ callee: CanisterId, _ method: String, cycles: Cycles = 0,
        kind: CallKind = .bestEffort, timeout: Time = 300, payloadBytes: Int = 100
    ) throws -> CallPerformResult {
        try perform(
            callee, method, arguments: .empty, cycles: cycles, kind: kind, timeout: timeout,
            payloadBytes: payloadBytes, then: nil, cleanup: false)
    }

    /// Performs a call; a `nil` continuation makes it one-way. Inlinable so that each program's
    /// calls are specialised for its continuation type: generic, the optional continuation
    /// made the runtime look metadata up (a shared, contended cache) on every call.
    @inlinable
    mutating func perform(
        _ callee: CanisterId, _ method: String, arguments: Payload, cycles: Cycles,
        kind: CallKind, timeout: Time, payloadBytes: Int, then continuation: Continuation?, cleanup: Bool
    ) throws -> CallPerformResult {
        guard !context.isCleanup else { throw CanisterTrap("call in a cleanup handler") }
        guard cycles >= 0 else { throw CanisterTrap("negative cycles attached") }
        let call = OutgoingCall(
            callee: callee, method: method, arguments: arguments, payloadBytes: payloadBytes, cycles: cycles,
            kind: kind, timeout: kind.isBestEffort ? timeout : nil,
            continuation: continuation.map { continuation in
                continuationMemo.map { AnyContinuation(continuation, fingerprint: $0.fingerprint(of: continuation)) }
                    ?? AnyContinuation(continuation)
            } ?? .oneWay,
            hasCleanup: cleanup
        )
        let result = runtime.perform(call)
        if result == .performed { record(call) }
        return result
    }

    @usableFromInline
    mutating func record(_ call: OutgoingCall) { calls.append(call) }

    /// Replies to the call being executed with `value` (`ic0.msg_reply`), a payload of
    /// `payloadBytes` bytes. Traps if there is nothing to reply to, a response was already given,
    /// or the payload exceeds what the call allows (1 kB for a small guaranteed-response call).
    @inlinable
    public mutating func reply<Value: PayloadValue>(_ value: Value, payloadBytes: Int = 100) throws {
        try respond(.reply(Payload(value)), payloadBytes: payloadBytes)
    }

    /// Replies to the call being executed without data (Candid's `()`).
    public mutating func reply(payloadBytes: Int = 100) throws {
        try respond(.reply(.empty), payloadBytes: payloadBytes)
    }

    /// Rejects the call being executed (`ic0.msg_reject`, code `CANISTER_REJECT`).
    public mutating func reject(_ message: String = "") throws {
        try respond(.reject(.canisterReject, message), payloadBytes: 0)
    }

    @usableFromInline
    mutating func respond(_ response: Response, payloadBytes: Int = 100) throws {
        guard !context.isCleanup else { throw CanisterTrap("response in a cleanup handler") }
        guard context.needsToRespond, self.response == nil else {
            throw CanisterTrap("the call context has already been responded to")
        }
        guard payloadBytes <= context.responsePayloadLimit else {
            throw CanisterTrap("reply of \(payloadBytes) bytes exceeds the call's limit of \(context.responsePayloadLimit)")
        }
        self.response = response
        responseBytes = payloadBytes
    }

    /// Accepts up to `amount` of the attached cycles (`ic0.msg_cycles_accept128`); returns how
    /// many were accepted. They count towards the balance at once: a proxy can forward them.
    @discardableResult
    public mutating func accept(_ amount: Cycles) -> Cycles {
        guard !context.isCleanup, amount > 0 else { return 0 }
        let accepted = runtime.accept(amount)
        acceptedCycles += accepted
        return accepted
    }

    /// Cycles attached to the call and not yet accepted (`ic0.msg_cycles_available128`).
    public var availableCycles: Cycles { context.isCleanup ? 0 : runtime.availableCycles }

    /// A nondeterministic choice in `0..<count`: the checker explores every option.
    public func choose(_ count: Int) throws -> Int {
        guard count >= 1 else { throw CanisterTrap("choose among no options") }
        return count == 1 ? 0 : runtime.choose(count)
    }

    /// A nondeterministic choice among `options`.
    public func choose<T>(among options: [T]) throws -> T {
        options[try choose(options.count)]
    }

    /// Sets the canister's global timer (`ic0.global_timer_set`) to the absolute time `time`; 0
    /// deactivates it. Once the time has passed, the system runs `handleSystemTask(.globalTimer, …)`
    /// once and deactivates the timer. Takes effect only if this execution returns.
    public mutating func setGlobalTimer(_ time: Time) {
        if time > 0 { runtime.readClock() }
        globalTimer = min(max(time, 0), Self.maxTimer)
    }

    /// The latest time a timer can be set to (later times are clamped to it): far beyond any
    /// clock bound a check explores, so such a timer never fires.
    public static var maxTimer: Time { Time(UInt32.max) }

    /// Sets the global timer `delay` seconds from now (a one-shot timer; re-arm it to repeat).
    public mutating func setTimer(after delay: Time) {
        setGlobalTimer(now + max(delay, 1))
    }

    /// Traps (`ic0.trap`): this execution's effects are discarded.
    public func trap(_ message: String) throws -> Never {
        throw CanisterTrap(message)
    }
}
