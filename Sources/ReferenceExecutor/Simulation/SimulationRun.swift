import ICCore
import ModelChecking

/// One simulated run: the executor, the PRNG, the faults planned per call, and the last
/// actions. States are recorded only when `recording` is on, which the simulator turns on to
/// rebuild a violation's trace by running the same seed again: a long run costs no memory.
struct SimulationRun {
    let simulator: Simulator
    let environment: TraceEnvironment
    let faultRate: Double
    let maxSteps: Int
    let recording: Bool
    let keepLast: Int
    let watch: SimulationWatch?
    var executor: ICExecutor
    var generator: Xoshiro256
    var recorded: RecordedRun
    var stepsTaken = 0
    /// Steps that are not the environment's (tick, stop, start): the run's own progress.
    var progressSteps = 0
    var round = 0
    var violation: (step: Int, property: String)?
    /// Why the run ended before `maxSteps` without a violation ("no step enabled", "only the
    /// environment can act", or the limit reached).
    var endReason: String?
    /// The last `keepLast` actions, oldest first once `recentStart` is applied.
    private var recent: [String] = []
    private var recentStart = 0
    var faults: [FaultKind: Int] = [:]
    /// Calls whose request or callback execution must trap (planned faults).
    var trapInCallee: Set<CallId> = []
    var trapInCallback: Set<CallId> = []
    /// Canisters stopped by a fault, with the round they are started again.
    var restartRound: [CanisterId: Int] = [:]
    private var digestHasher = FingerprintHasher()

    /// A run of at most `steps` steps (which also sets its environment's clock bound); `stopAfter`
    /// ends it earlier with the same environment, to re-execute a run up to its violation.
    init(simulator: Simulator, seed: UInt64, faultRate: Double, steps: Int, stopAfter: Int? = nil, recording: Bool = false,
         keepLast: Int = 20, watch: SimulationWatch? = nil) {
        self.simulator = simulator
        self.faultRate = faultRate
        self.recording = recording
        self.keepLast = keepLast
        self.watch = watch
        maxSteps = min(steps, stopAfter ?? steps)
        environment = simulator.environment(steps: steps)
        executor = ICExecutor(
            configuration: ICExecutor.configuration(simulator.configuration, with: environment), options: simulator.options,
            monitors: MonitorStates(properties: simulator.properties)
        )
        generator = Xoshiro256(seed: seed)
        recorded = RecordedRun(initialState: executor.observableState)
    }

    var digest: String { String(digestHasher.finalize(), radix: 16) }

    var done: Bool { violation != nil || stepsTaken >= maxSteps || endReason != nil }

    /// The last actions of the run, oldest first.
    var lastActions: [String] { Array(recent[recentStart...] + recent[..<recentStart]) }

    mutating func execute() {
        checkProperties()
        while !done {
            let before = stepsTaken
            let progressBefore = progressSteps
            runRound()
            if done { return }
            if stepsTaken == before {
                endReason = "no step enabled"
            } else if progressSteps == progressBefore && !waitingForTime {
                endReason = "only the environment can act"
            }
        }
    }

    /// Whether the clock or a planned restart can still enable a step of the run's own: a
    /// best-effort call waiting for its deadline, or a canister stopped by a fault and due to
    /// be started again. Otherwise a round of ticks alone would repeat for ever.
    var waitingForTime: Bool {
        if !restartRound.isEmpty { return true }
        let state = executor.state
        guard state.now < executor.configuration.limits.maxTime else { return false }
        return state.openCallbacks.values.contains { $0.kind.isBestEffort && !$0.expired && $0.deadline != nil }
    }

    // MARK: Rounds

    mutating func runRound() {
        let ids = executor.state.canisterIds
        guard !ids.isEmpty else { return }
        let offset = round % ids.count
        for index in 0..<ids.count where !done {
            let canister = ids[(index + offset) % ids.count]
            let candidates = inputs(of: canister)
            guard !candidates.isEmpty else { continue }
            let chosen = candidates[generator.next(below: candidates.count)]
            // `faults.ingressRejects`: at the fault rate the system rejects the ingress message
            // before it executes (SYS_TRANSIENT), instead of inducting it.
            if case .ingress(let slot, _, _) = chosen, executor.configuration.faults.ingressRejects, drawFault() {
                step(.rejectIngress(slot: slot), fault: .rejectIngress)
            } else {
                step(chosen)
            }
        }
        systemWork()
        round += 1
    }

    /// What `canister` may consume now: ingress, head requests per peer, responses, system tasks.
    func inputs(of canister: CanisterId) -> [ICAction] {
        let state = executor.state
        var actions: [ICAction] = []
        for (slot, message) in executor.configuration.ingress.enumerated()
        where message.canister == canister && !state.ingressSent.contains(slot) {
            actions.append(.ingress(slot: slot, choices: [], trap: false))
        }
        for peer in state.canisterIds {
            guard let head = state.messages(from: peer, to: canister).compactMap(\.request).first else { continue }
            if let code = executor.requestReject(head) {
                actions.append(.rejectRequest(from: peer, to: canister, code: code))
            } else {
                actions.append(.deliverRequest(from: peer, to: canister, choices: [], trap: trapInCallee.contains(head.call)))
            }
        }
        for response in state.allResponses where response.call.caller == canister {
            let callback = state.openCallbacks[response.call]
            let live = callback.map { response.synthetic == $0.expired } ?? false
            let deleted = callback.flatMap { state.callContexts[$0.context] }?.deleted ?? false
            if live && !deleted && state.canisters[canister.index].isInstalled {
                actions.append(.deliverResponse(call: response.call, choices: [], trap: trapInCallback.contains(response.call)))
            } else {
                actions.append(.discardResponse(call: response.call))
            }
        }
        // System tasks compete with messages: a heartbeat, or the timer once it has passed.
        let setup = executor.configuration.canisters[canister.index]
        let record = state.canisters[canister.index]
        if record.systemTasksRun < setup.maxSystemTasks {
            if executor.code(of: canister).exportsHeartbeat { actions.append(.heartbeat(canister, choices: [], trap: false)) }
            if let timer = record.globalTimer, timer <= state.now { actions.append(.globalTimer(canister, choices: [], trap: false)) }
        }
        return actions
    }

    /// A draw that comes out true at the fault rate.
    mutating func drawFault() -> Bool {
        Double(generator.next() >> 11) / Double(1 << 53) < faultRate
    }

    /// The management canister's work: the oldest request of each canister to it, then (at the
    /// fault rate, with `faults.stopTimeouts`) timeouts of the stop calls it holds.
    mutating func managementWork() {
        guard executor.configuration.hasManagementCanister else { return }
        for id in executor.state.canisterIds where !executor.state.messages(from: id, to: .management).isEmpty {
            step(.managementCall(from: id))
        }
        guard executor.configuration.faults.stopTimeouts else { return }
        for id in executor.state.canisterIds {
            for request in executor.state.messages(from: .management, to: id).compactMap(\.request) where drawFault() {
                step(.stopCallTimeout(call: request.call), fault: .stopTimeout)
            }
        }
    }

    /// The system's own steps at the end of a round.
    mutating func systemWork() {
        managementWork()
        let state = executor.state
        for (id, context) in state.callContexts.sorted(by: { $0.key < $1.key }) where !state.hasOpenCallbacks(id) {
            step(context.needsToRespond ? .starveContext(id) : .removeContext(id))
        }
        for (call, callback) in executor.state.openCallbacks.sorted(by: { $0.key < $1.key })
        where callback.kind.isBestEffort && !callback.expired && (callback.deadline ?? .max) <= executor.state.now {
            step(.expireCall(call: call))
        }
        for id in executor.state.canisterIds {
            if case .stopping = executor.state.canisters[id.index].status,
                !executor.state.callContexts.values.contains(where: { $0.canister == id })
            {
                step(.completeStop(id))
            }
            if let restart = restartRound[id], restart <= round {
                restartRound[id] = nil
                step(.startCanister(id))
            }
        }
        shedBestEffort()
        if executor.state.now < executor.configuration.limits.maxTime { step(.tick) }
    }

    /// Sheds the largest best-effort message while best-effort memory is over its limit.
    mutating func shedBestEffort() {
        guard let limit = executor.options.bestEffortMemoryLimit, executor.configuration.faults.dropBestEffort else { return }
        while !done {
            let messages = executor.state.allMessages.filter(\.isBestEffort).filter { message in
                if let response = message.response { return !response.synthetic }
                return true
            }
            guard messages.reduce(0, { $0 + $1.bytes }) > limit,
                let largest = messages.max(by: { $0.bytes < $1.bytes })
            else { return }
            let before = stepsTaken
            if let request = largest.request {
                step(.dropRequest(call: request.call))
            } else if let response = largest.response {
                step(executor.state.openCallbacks[response.call]?.expired == false
                     ? .dropResponse(call: response.call) : .discardResponse(call: response.call))
            }
            if stepsTaken == before { return }
        }
    }

    // MARK: Steps

    /// Performs `action` with random choices; records it, applies planned faults, checks properties.
    @discardableResult
    mutating func step(_ action: ICAction, fault: FaultKind? = nil) -> Bool {
        guard !done else { return false }
        let callbacksBefore = Set(executor.state.openCallbacks.keys)
        let performed: ICAction
        let runtime: ChoiceRuntime
        do {
            (performed, runtime) = try executor.performRecording(action, source: .random(generator, faultRate: faultRate))
        } catch {
            return false
        }
        if let next = runtime.generator { generator = next }
        stepsTaken += 1
        if recording { recorded.steps.append((performed, executor.observableState)) }
        remember(performed)
        digestHasher.combine(performed)
        if let fault { faults[fault, default: 0] += 1 }
        switch performed {
        case .tick, .stopCanister, .startCanister, .upgradeCanister, .installCanister, .reinstallCanister: break
        case .deliverRequest(_, _, _, true): faults[.trapInCallee, default: 0] += 1
            progressSteps += 1
        case .deliverResponse(_, _, true): faults[.trapInCallback, default: 0] += 1
            progressSteps += 1
        default: progressSteps += 1
        }
        if watch?.exceeded() == true { endReason = watch?.reached }
        if runtime.injectedSyncFailures > 0 { faults[.syncFailure, default: 0] += runtime.injectedSyncFailures }
        checkProperties()
        let newCalls = executor.state.openCallbacks.keys.filter { !callbacksBefore.contains($0) }.sorted()
        for (call, planned) in zip(newCalls, runtime.plannedFaults) {
            if let planned { inject(planned, into: call) }
        }
        return true
    }

    mutating func inject(_ fault: FaultKind, into call: CallId) {
        switch fault {
        case .syncFailure: break
        case .reject(let code): step(.systemReject(call: call, code: code), fault: fault)
        case .drop: step(.dropRequest(call: call), fault: fault)
        case .earlyExpiry: step(.expireCall(call: call), fault: fault)
        case .trapInCallee: trapInCallee.insert(call)
        case .trapInCallback: trapInCallback.insert(call)
        case .stopCaller:
            let controller = executor.configuration.controller
            guard controller.stop.contains(call.caller), controller.start.contains(call.caller) else { return }
            if step(.stopCanister(call.caller), fault: fault) { restartRound[call.caller] = round + 3 }
        case .rejectIngress, .stopTimeout: break  // not per call: drawn in `runRound` and `managementWork`
        case .upgradeCaller:
            guard executor.configuration.controller.upgrade.contains(call.caller) else { return }
            step(.upgradeCanister(call.caller), fault: fault)
        }
    }

    /// Keeps `action` among the last `keepLast` actions (a ring buffer).
    private mutating func remember(_ action: ICAction) {
        guard keepLast > 0 else { return }
        if recent.count < keepLast {
            recent.append(action.description)
        } else {
            recent[recentStart] = action.description
            recentStart = (recentStart + 1) % keepLast
        }
    }

    mutating func checkProperties() {
        guard violation == nil else { return }
        if let broken = simulator.properties.first(where: { !$0.holds(executor.state) }) {
            violation = (stepsTaken, broken.name)
        }
    }
}
