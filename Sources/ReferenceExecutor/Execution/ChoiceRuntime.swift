import ICCore
import ModelChecking

/// Where a step's nondeterministic answers come from.
enum ChoiceSource {
    /// Directed replay: the trace's `choices`, in order.
    case script([Int])
    /// Simulation: drawn from a PRNG; each fault the configuration allows hits each admitted call
    /// with probability `faultRate` (a synchronous failure is applied at once, the others by the
    /// simulator).
    case random(Xoshiro256, faultRate: Double)
}

/// The `ExecutionRuntime` the executor hands to programs: answers `choose` and admission from a
/// `ChoiceSource`, and records every answer so the step can be written to a trace.
///
/// Choice encoding (shared with the model): every `choose(n)` consumes one choice in `0..<n`
/// (`choose(1)` never reaches the runtime); when `FaultSwitches.syncCallFailures` is on, every
/// call the system would admit consumes one choice in `0..<2`: 0 performs it, 1 fails it with
/// `systemRefused`. Structural refusals (payload, cycles, queue, quota) consume no choice.
final class ChoiceRuntime: ExecutionRuntime {
    private(set) var source: ChoiceSource
    private var position = 0
    private(set) var used: [Int] = []
    private(set) var error: String?
    /// Structural admission for the current execution: the call, the calls this execution
    /// already performed, and the liquid balance.
    private var structural: (OutgoingCall, [OutgoingCall], Cycles) -> CallPerformResult = { _, _, _ in .performed }
    /// The current execution's cycle accounts: the canister's cycles above its freezing
    /// threshold (what `call_cycles_add128` may take), and the call's unaccepted cycles.
    private var spendable: Cycles = 0
    private var unaccepted: Cycles = 0
    let syncFaults: Bool
    /// The faults the configuration allows, and its controller (stop of the caller).
    let faults: FaultSwitches
    let controller: ControllerActions
    private(set) var admitted: [OutgoingCall] = []
    /// Simulation: the fault planned for each call admitted by the current execution, in order.
    private(set) var plannedFaults: [FaultKind?] = []
    private(set) var injectedSyncFailures = 0

    init(source: ChoiceSource, faults: FaultSwitches, controller: ControllerActions) {
        self.source = source
        self.syncFaults = faults.syncCallFailures
        self.faults = faults
        self.controller = controller
    }

    /// Starts a message execution with its admission rule (the executor's state at its start),
    /// the canister's balance and freezing threshold, and the cycles the call context holds.
    func beginExecution(
        admission: @escaping (OutgoingCall, [OutgoingCall], Cycles) -> CallPerformResult,
        balance: Cycles, freezingThreshold: Cycles, contextCycles: Cycles
    ) {
        structural = admission
        admitted = []
        plannedFaults = []
        spendable = balance - freezingThreshold
        unaccepted = contextCycles
    }

    var availableCycles: Cycles { unaccepted }
    var liquidBalance: Cycles { spendable }

    /// `msg_cycles_accept128`: the accepted cycles are the canister's at once.
    func accept(_ amount: Cycles) -> Cycles {
        guard amount > 0, unaccepted > 0 else { return 0 }
        let taken = amount < unaccepted ? amount : unaccepted
        unaccepted -= taken
        spendable += taken
        return taken
    }

    func choose(_ count: Int) -> Int { next(count) }

    private func record(_ value: Int) -> Int {
        used.append(value)
        return value
    }

    func perform(_ call: OutgoingCall) -> CallPerformResult {
        let result = structural(call, admitted, spendable)
        guard result == .performed else { return result }
        var planned: FaultKind?
        if case .random(var generator, let rate) = source, rate > 0 {
            // Each allowed fault hits the call with probability `rate`; one of those that hit applies.
            var hits: [FaultKind] = []
            for options in FaultKind.classes(for: call.kind, allowed: faults, controller: controller) {
                let draw = Double(generator.next() >> 11) / Double(1 << 53)
                if draw < rate { hits.append(options[generator.next(below: options.count)]) }
            }
            if !hits.isEmpty { planned = hits[generator.next(below: hits.count)] }
            source = .random(generator, faultRate: rate)
        }
        if syncFaults {
            let refuse: Bool
            if case .script = source { refuse = next(2) == 1 } else { refuse = record(planned == .syncFailure ? 1 : 0) == 1 }
            if refuse {
                injectedSyncFailures += 1
                return .failed(.systemRefused)
            }
        }
        admitted.append(call)
        spendable -= call.cycles
        plannedFaults.append(planned == .syncFailure ? nil : planned)
        return .performed
    }

    /// Whether the system traps the cleanup about to run (`faults.cleanupTraps`): one choice among
    /// 2 (1: it traps), replayed from the script, or in simulation drawn with the fault rate.
    func trapsCleanup() -> Bool {
        guard case .random(var generator, let rate) = source else { return next(2) == 1 }
        let draw = Double(generator.next() >> 11) / Double(1 << 53)
        source = .random(generator, faultRate: rate)
        return record(draw < rate ? 1 : 0) == 1
    }

    private func next(_ count: Int) -> Int {
        switch source {
        case .script(let script):
            guard position < script.count else {
                if error == nil { error = "the step makes more choices than the \(script.count) recorded" }
                return 0
            }
            let value = script[position]
            position += 1
            guard value >= 0 && value < count else {
                if error == nil { error = "choice #\(position - 1) is \(value), outside 0..<\(count)" }
                return 0
            }
            used.append(value)
            return value
        case .random(var generator, let rate):
            let value = generator.next(below: count)
            source = .random(generator, faultRate: rate)
            used.append(value)
            return value
        }
    }

    /// After the step: an error if the script was not consumed exactly.
    var finalError: String? {
        if let error { return error }
        if case .script(let script) = source, position < script.count {
            return "\(script.count - position) recorded choice(s) left unused"
        }
        return nil
    }

    /// The generator after the step (simulation carries it on).
    var generator: Xoshiro256? {
        if case .random(let generator, _) = source { return generator }
        return nil
    }
}
