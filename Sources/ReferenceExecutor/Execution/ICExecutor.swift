import ICCore
import ModelChecking

/// The reference executor: an independent, IC-structured implementation of inter-canister
/// messaging that runs the same `CanisterProgram`s as the model.
///
/// Directed mode: `perform(_:)` carries out one `ICAction` (a trace step) in the executor's own
/// structures — queues per peer, streams between subnets, call contexts, callbacks — and throws
/// `ExecutorError` when the step is not enabled or its choices do not fit. The simulator drives
/// the same steps autonomously. The state conforms to `ICView`, so `ObservableState` and every
/// `ICProperty` judge it.
public struct ICExecutor: Sendable {
    public let configuration: SystemConfiguration
    public let options: ExecutorOptions
    public internal(set) var state: ExecutorState

    /// - Parameter monitors: the monitors of the properties the run will be judged by
    ///   (`MonitorStates(properties:)`); the executor keeps them up to date itself.
    public init(configuration: SystemConfiguration, options: ExecutorOptions = ExecutorOptions(), monitors: MonitorStates = MonitorStates()) {
        self.configuration = configuration
        self.options = options
        let layout = options.layout ?? .separate(canisters: configuration.canisters.count)
        state = ExecutorState(configuration: configuration, layout: layout)
        state.monitors = monitors
    }

    /// What replay compares after each step.
    public var observableState: ObservableState { ObservableState(state) }

    /// Performs one trace step with the trace's own choices.
    public mutating func perform(_ action: ICAction) throws(ExecutorError) {
        let runtime = makeRuntime(.script(action.choices))
        let before = state
        try perform(action, runtime: runtime)
        if let problem = runtime.finalError {
            state = before
            throw .choicesMismatch(action, reason: problem)
        }
    }

    /// Performs `action`, drawing its choices from `source`; returns the action with the choices
    /// actually made (what a trace records) and the runtime that made them.
    mutating func performRecording(_ action: ICAction, source: ChoiceSource) throws(ExecutorError) -> (ICAction, ChoiceRuntime) {
        let runtime = makeRuntime(source)
        try perform(action, runtime: runtime)
        return (action.with(choices: runtime.used), runtime)
    }

    func makeRuntime(_ source: ChoiceSource) -> ChoiceRuntime {
        ChoiceRuntime(source: source, faults: configuration.faults, controller: configuration.controller)
    }

    /// Performs `action`; on failure the state is left as it was.
    mutating func perform(_ action: ICAction, runtime: ChoiceRuntime) throws(ExecutorError) {
        let before = state
        do {
            try step(action, runtime: runtime)
        } catch {
            state = before
            throw error
        }
        if !state.monitors.isEmpty, let observed = before.monitors.observing(action, from: before, to: state) {
            state.monitors = observed
        }
    }

    private mutating func step(_ action: ICAction, runtime: ChoiceRuntime) throws(ExecutorError) {
        switch action {
        case .ingress(let slot, _, let trap):
            try ingress(slot: slot, trap: trap, action: action, runtime: runtime)
        case .deliverRequest(let from, let to, _, let trap):
            try deliverRequest(from: from, to: to, trap: trap, action: action, runtime: runtime)
        case .rejectRequest(let from, let to, let code):
            try rejectRequest(from: from, to: to, code: code, action: action)
        case .deliverResponse(let call, _, let trap):
            try deliverResponse(call: call, trap: trap, action: action, runtime: runtime)
        case .discardResponse(let call):
            try discardResponse(call: call, action: action)
        case .starveContext(let context):
            try starve(context, action: action)
        case .removeContext(let context):
            try remove(context, action: action)
        case .systemReject(let call, let code):
            try systemReject(call: call, code: code, action: action)
        case .expireCall(let call):
            try expire(call: call, action: action)
        case .dropRequest(let call):
            try dropRequest(call: call, action: action)
        case .dropResponse(let call):
            try dropResponse(call: call, action: action)
        case .stopCanister(let id):
            try stop(id, action: action)
        case .completeStop(let id):
            try completeStop(id, action: action)
        case .stopRequestTimeout(let id):
            try stopTimeout(id, action: action)
        case .startCanister(let id):
            try start(id, action: action)
        case .upgradeCanister(let id):
            try upgrade(id, action: action)
        case .uninstallCanister(let id):
            try uninstall(id, action: action)
        case .installCanister(let id):
            try installCode(id, mode: .install, action: action)
        case .reinstallCanister(let id):
            try installCode(id, mode: .reinstall, action: action)
        case .tick:
            guard state.now < configuration.limits.maxTime else {
                throw .notEnabled(action, reason: "the clock is at its bound \(configuration.limits.maxTime)")
            }
            state.now += 1
        case .heartbeat(let id, _, let trap):
            try runSystemTask(.heartbeat, on: id, trap: trap, action: action, runtime: runtime)
        case .globalTimer(let id, _, let trap):
            try runSystemTask(.globalTimer, on: id, trap: trap, action: action, runtime: runtime)
        case .rejectIngress(let slot):
            try rejectIngress(slot: slot, action: action)
        case .managementCall(let from):
            try managementCall(from: from, action: action)
        case .stopCallTimeout(let call):
            try stopCallTimeout(call: call, action: action)
        }
    }

    /// `call_perform`'s synchronous checks for calls made by `caller`, in the IC's order: payload,
    /// cycles, queue slots and quotas (`slotAndQuotaRefusal`), guaranteed-response memory. A call to a
    /// canister that does not exist is performed (it is rejected later, see `apply`).
    func admission(for caller: CanisterId) -> (OutgoingCall, [OutgoingCall], Cycles) -> CallPerformResult {
        let snapshot = state
        let limits = configuration.limits
        let guaranteedLimit = options.guaranteedMemoryLimit
        let refusesAll = configuration.canisters[caller.index].instantStop && !snapshot.canisters[caller.index].status.isRunning
        return { call, earlier, liquid in
            if refusesAll { return .failed(.systemRefused) }  // instant stop: no calls while stopping
            let limit = call.kind == .smallGuaranteed ? limits.smallPayloadLimit : limits.payloadLimit
            if call.payloadBytes > limit { return .failed(.payloadTooLarge) }
            // `call_cycles_add128` is only made for a non-zero amount; it needs that much liquid.
            if call.cycles != 0 && liquid < call.cycles { return .failed(.insufficientCycles) }
            if let refusal = Self.slotAndQuotaRefusal(call, by: caller, earlier: earlier, snapshot: snapshot, limits: limits) {
                return .failed(refusal)
            }
            if let guaranteedLimit, call.kind.isGuaranteed {
                let layout = snapshot.layout
                let subnet = layout.subnet(of: caller)
                let inUse = snapshot.allMessages.filter { message in
                    guard !message.isBestEffort, let request = message.request else { return false }
                    return layout.subnet(of: request.call.caller) == subnet
                }.reduce(0) { $0 + $1.bytes }
                let pending = earlier.filter(\.kind.isGuaranteed).reduce(0) { $0 + $1.payloadBytes }
                if inUse + pending + call.payloadBytes > guaranteedLimit { return .failed(.systemRefused) }
            }
            return .performed
        }
    }
}

extension ICAction {
    /// The choices recorded in the action (empty for actions that run no code).
    public var choices: [Int] {
        switch self {
        case .ingress(_, let choices, _), .deliverRequest(_, _, let choices, _), .deliverResponse(_, let choices, _),
            .heartbeat(_, let choices, _), .globalTimer(_, let choices, _):
            choices
        default: []
        }
    }

    /// The same action with other choices.
    func with(choices: [Int]) -> ICAction {
        switch self {
        case .ingress(let slot, _, let trap): .ingress(slot: slot, choices: choices, trap: trap)
        case .deliverRequest(let from, let to, _, let trap):
            .deliverRequest(from: from, to: to, choices: choices, trap: trap)
        case .deliverResponse(let call, _, let trap): .deliverResponse(call: call, choices: choices, trap: trap)
        case .heartbeat(let id, _, let trap): .heartbeat(id, choices: choices, trap: trap)
        case .globalTimer(let id, _, let trap): .globalTimer(id, choices: choices, trap: trap)
        default: self
        }
    }
}
