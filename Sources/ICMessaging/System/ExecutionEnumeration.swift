import ICCore

/// The model's `ExecutionRuntime`: answers choices from a prefix (0 beyond it), records every
/// answer with its number of options, decides call admission against the state, and keeps the
/// execution's cycle accounts (AB: `liquid_balance` = balance − freezing limit; accepted cycles
/// join the balance at once; attached cycles leave it at `call_perform`).
///
/// Admission convention (the executor must ask the same questions in the same order): a
/// stopping canister in instant-stop mode is refused (`systemRefused`) first; the
/// deterministic checks come next — payload limit, liquid cycles, queue slots (request slot, then
/// response-slot reservation), the outgoing small-call or best-effort quota with the shared pool
/// (see `QuotaUse`) — and only a call that passes them all
/// consumes one choice among 2 (0 = performed, 1 = `systemRefused`), and only when
/// `faults.syncCallFailures` is on.
final class EnumeratingRuntime: ExecutionRuntime {
    private let prefix: [Int]
    private(set) var answers: [Int] = []
    /// Whether choice `i` has an answer beyond this run's (bit `i`, for the first 64 choices;
    /// `moreOptionsBeyond` after them): all the next run's prefix needs of the option counts,
    /// without a second array (each array's first append allocated, about 1,000 instructions per
    /// choice on P1 scale 2 with both).
    private var moreOptions: UInt64 = 0
    private var moreOptionsBeyond: [Bool] = []
    private let state: ICState
    /// What the runtime needs of the configuration (a copy of all of it cost a dozen reference
    /// counts per explored execution).
    private let limits: MessagingLimits
    private let syncCallFailures: Bool
    /// Whether the caller refuses calls while stopping (`CanisterSetup.instantStop`).
    private let instantStop: Bool
    /// The caller's program name, for `clockReads` only.
    private let programName: String?
    private let caller: CanisterId
    /// Calls performed earlier in this same execution (they hold reservations too).
    private var admitted: [OutgoingCall] = []
    private(set) var availableCycles: Cycles
    private(set) var liquidBalance: Cycles
    /// Told when the program reads the absolute clock (`ICSystem.clockReads`).
    private let clockReads: ClockReadAudit?

    /// - Parameter available: the cycles of the call context the execution may accept.
    init(
        prefix: [Int], state: ICState, configuration: SystemConfiguration, caller: CanisterId, available: Cycles,
        clockReads: ClockReadAudit? = nil
    ) {
        self.clockReads = clockReads
        self.prefix = prefix
        self.state = state
        limits = configuration.limits
        syncCallFailures = configuration.faults.syncCallFailures
        let known = configuration.canisters.indices.contains(caller.index)
        instantStop = known && configuration.canisters[caller.index].instantStop
        programName = clockReads == nil ? nil : known ? configuration.canisters[caller.index].program.name : "?"
        self.caller = caller
        self.availableCycles = available
        let threshold = known ? configuration.canisters[caller.index].freezingThreshold : 0
        self.liquidBalance = state.balance(of: caller) - threshold
    }

    func accept(_ amount: Cycles) -> Cycles {
        let moved = min(max(amount, 0), availableCycles)
        availableCycles -= moved
        liquidBalance += moved
        return moved
    }

    func readClock() {
        ClockReadProbe.current?.record(caller)
        guard let clockReads else { return }
        clockReads.record("\(caller) (\(programName ?? "?"))")
    }

    func choose(_ count: Int) -> Int {
        let position = answers.count
        let answer = position < prefix.count ? min(prefix[position], max(count - 1, 0)) : 0
        answers.append(answer)
        let more = answer + 1 < max(count, 1)
        if position < 64 {
            if more { moreOptions |= 1 << UInt64(position) }
        } else {
            moreOptionsBeyond.append(more)
        }
        return answer
    }

    /// Whether choice `position` (< `answers.count`) has an answer beyond this run's.
    func hasMoreOptions(at position: Int) -> Bool {
        position < 64 ? moreOptions & (1 << UInt64(position)) != 0 : moreOptionsBeyond[position - 64]
    }

    func perform(_ call: OutgoingCall) -> CallPerformResult {
        // Instant-stop mode: a stopping canister makes no more calls.
        if instantStop, case .stopping = state.status(of: caller) {
            return .failed(.systemRefused)
        }
        if let failure = deterministicRefusal(call) { return .failed(failure) }
        if syncCallFailures, choose(2) == 1 { return .failed(.systemRefused) }
        admitted.append(call)
        liquidBalance -= call.cycles
        return .performed
    }

    private func deterministicRefusal(_ call: OutgoingCall) -> SyncCallError? {
        let payloadLimit = call.kind == .smallGuaranteed ? limits.smallPayloadLimit : limits.payloadLimit
        if call.payloadBytes > payloadLimit { return .payloadTooLarge }
        // `call_cycles_add128` (only made for a non-zero amount) needs liquid_balance ≥ amount.
        if call.cycles > 0, call.cycles > liquidBalance { return .insufficientCycles }
        return Self.resourceRefusal(call, by: caller, earlier: admitted, in: state, limits: limits)
    }
}

/// Runs one (or a chain of) message execution(s) once per complete choice sequence, and hands
/// each run's choices and result to `body` as soon as the run ends.
///
/// The handler is re-run from scratch with each prefix; sequences are visited in lexicographic
/// order (the first run answers 0 everywhere), so the order of actions is deterministic. Runs go
/// to `body` one by one rather than into an array: most executions have a single run, and
/// building, copying and destroying an array of runs (their outcomes with every effect) cost
/// about 4 % of a P1 check.
func forEachChoiceSequence<Result>(
    state: ICState, configuration: SystemConfiguration, canister: CanisterId, available: Cycles,
    clockReads: ClockReadAudit? = nil, _ run: (EnumeratingRuntime) -> Result, _ body: (_ choices: [Int], _ result: Result) -> Void
) {
    var prefix: [Int] = []
    while true {
        let runtime = EnumeratingRuntime(
            prefix: prefix, state: state, configuration: configuration, caller: canister, available: available,
            clockReads: clockReads)
        let answers: [Int]
        do {
            let result = run(runtime)
            answers = runtime.answers
            body(answers, result)
        }
        var index = answers.count - 1
        while index >= 0, !runtime.hasMoreOptions(at: index) { index -= 1 }
        if index < 0 { return }
        var next = [Int]()
        next.reserveCapacity(index + 1)
        next.append(contentsOf: answers[..<index])
        next.append(answers[index] + 1)
        prefix = next
    }
}
