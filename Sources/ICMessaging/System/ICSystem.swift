import ICCore
import ModelChecking

/// The IC inter-canister messaging semantics (ic-semantics.md §2) as a transition system.
///
/// One action per atomic step of the IC: every rule is a method of this type (see the files in
/// `Rules/`), named after the `ICAction` case it produces, with its T-number. Every
/// nondeterministic decision of a step is in the action (choices, trap, codes, which call),
/// so the reference executor can replay a trace action by action.
///
/// Simplifications (each rule's doc comment lists its own):
/// - no execution fees, no `MAX_CYCLES_PER_RESPONSE` reservation, no cycles burned: only
///   attached, accepted and refunded cycles move; the freezing threshold is a plain balance bound;
/// - one global clock (`now`), advanced by `tick`; a best-effort callback's expiry is urgent at its
///   deadline (time does not pass it while the callback is unexpired and unanswered);
/// - ingress is answered directly (T12 collapsed): no ingress expiry, no `inspect_message`;
/// - system-generated rejects carry an empty message;
/// - no subnets/streams: one FIFO queue per ordered canister pair, responses unordered;
/// - stop requests from the environment (the controller) are only counted; those of controller
///   canisters (`stop_canister` to the management canister) are calls with callbacks.
public struct ICSystem: TransitionSystem {
    public typealias State = ICState
    public typealias Action = ICAction
    public typealias TraceState = ObservableState
    public typealias Frontier = FrontierTables

    public let configuration: SystemConfiguration
    /// The IC-level properties, checked as invariants (`always`).
    public let icProperties: [ICProperty]
    /// Further properties over the model state (e.g. reachability goals).
    public let additionalProperties: [Property<ICState>]
    /// IC-level reachability goals (`sometimes`), whose monitors the states keep too.
    public let witnesses: [ICProperty]
    public let mutations: Set<SemanticsMutation>
    /// Reported as the model name (the ITF trace's `#meta.model`): e.g. the spec's name.
    public let name: String
    /// The parts of the ghost history the states keep (see `HistoryObservation`).
    public let recordedHistory: HistoryObservation
    /// Whether T9 (removing an answered, unreferenced call context) is merged into the step that
    /// made the context removable instead of being a step of its own (see `InvisibleSteps.swift`).
    public let mergesInvisibleSteps: Bool
    /// The canisters that may run system tasks (`maxSystemTasks > 0`): the rule looks at no other.
    let systemTaskCanisters: [CanisterId]
    /// Told when a program reads the absolute clock; set by a caller whose states keep time
    /// only relative to now (see `ClockReadAudit`), `nil` otherwise.
    public let clockReads: ClockReadAudit?
    /// Whether any canister's upgrade installs another program (else `program(of:in:)` need not look).
    let hasUpgradedPrograms: Bool
    /// The checked properties' monitors at the start: every state carries their current values.
    public let initialMonitors: MonitorStates
    /// Whether the management canister is a call target (`SystemConfiguration.hasManagementCanister`).
    let hasManagementCanister: Bool
    /// Whether responses record their respondent, so that a callee's unconsumed responses may
    /// fill its output queue (`outputQueueMayBeFull`): only below the replica's queue capacity
    /// (`MessagingLimits.replicaQueueCapacity`), since no explorable state holds 500 calls of one
    /// pair, and the states stay as they were at the default.
    let tracksResponseSlots: Bool

    /// - Parameter mergingInvisibleSteps: merge T9 into the step that enables it. Sound only when
    ///   no checked property observes context removal and no liveness property is checked
    ///   (`ICProperty.observesContextRemoval`); counterexamples are reported with T9 steps.
    /// - Parameter recording: the ghost history the states keep. `.all` (the default) keeps
    ///   everything, so any observer (a test, `additionalProperties`, liveness properties judged
    ///   elsewhere) sees it. A caller that knows every observer passes the union of their needs,
    ///   e.g. `ICSystem.observations(of: properties)`: equal situations with different pasts then
    ///   become one state, and the search is faster and smaller.
    public init(
        configuration: SystemConfiguration, properties: [ICProperty], mutations: Set<SemanticsMutation> = [],
        name: String = "ic-messaging", additionalProperties: [Property<ICState>] = [],
        recording: HistoryObservation = .all, mergingInvisibleSteps: Bool = false, clockReads: ClockReadAudit? = nil,
        witnesses: [ICProperty] = []
    ) {
        self.witnesses = witnesses
        self.clockReads = clockReads
        self.mergesInvisibleSteps = mergingInvisibleSteps
        self.configuration = configuration
        self.icProperties = properties
        self.mutations = mutations
        self.name = name
        self.additionalProperties = additionalProperties
        self.recordedHistory = recording
        systemTaskCanisters = configuration.canisterIds.filter { configuration.canisters[$0.index].maxSystemTasks > 0 }
        hasUpgradedPrograms = configuration.canisters.contains { $0.upgradedProgram != nil }
        initialMonitors = MonitorStates(properties: properties + witnesses)
        hasManagementCanister = configuration.hasManagementCanister
        tracksResponseSlots = configuration.limits.queueCapacity < MessagingLimits.replicaQueueCapacity
    }

    /// The union of what `properties` observe of the history.
    public static func observations(of properties: [ICProperty]) -> HistoryObservation {
        ICProperty.observations(of: properties)
    }

    /// This system with the whole history recorded and every step its own: what reports and
    /// replay see.
    public var reportingSystem: ICSystem {
        ICSystem(
            configuration: configuration, properties: icProperties, mutations: mutations, name: name,
            additionalProperties: additionalProperties, recording: .all, witnesses: witnesses)
    }

    /// Frontier states are 32-byte component indices (see `FrontierTables`).
    public func makeFrontier() -> FrontierTables {
        FrontierTables(initialTotalCycles: configuration.initialTotalCycles, recording: recordedHistory)
    }

    public var initialStates: [ICState] {
        [ICState(configuration: configuration, recording: recordedHistory, monitors: initialMonitors)]
    }

    /// Counterexamples are reported with the whole history (traces, replay and the documents
    /// show it) and every step its own, by re-executing their actions on `reportingSystem`; the
    /// history never changes which steps are enabled.
    public func reportedTrace(_ trace: Trace<ICSystem>) -> Trace<ICSystem> {
        guard mergesInvisibleSteps || recordedHistory != .all else { return trace }
        return trace.reported(on: reportingSystem, mergedInvisibleSteps: mergesInvisibleSteps)
    }

    public var properties: [Property<ICState>] { icProperties.map(\.invariant) + witnesses.map(\.witness) + additionalProperties }

    /// Traces record, per state, exactly what replay compares.
    public func traceState(of state: ICState) -> ObservableState { ObservableState(state) }

    public func forEachSuccessor(of state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard !state.monitors.isEmpty else { return forEachUnmonitoredSuccessor(of: state, body) }
        // The monitors see each step whole (with a merged T9, the step and the removal). One
        // view of the state for all its successors.
        let monitors = state.monitors
        state.withView { before in
            forEachUnmonitoredSuccessor(of: state) { action, next in
                // Most steps change no monitor: no view of the successor, no call per monitor.
                guard monitors.mayChange(on: action) else { return body(action, next) }
                let observed = next.withView { after in monitors.observing(action, from: before, to: after) }
                guard let observed else { return body(action, next) }
                var updated = next
                updated.monitors = observed
                body(action, updated)
                updated.recycle()
            }
        }
    }

    /// The successors with the monitors as they were before the step.
    private func forEachUnmonitoredSuccessor(of state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard mergesInvisibleSteps else {
            forEachRuleSuccessor(of: state, body)
            return
        }
        forEachRuleSuccessor(of: state) { action, next in
            guard next.hasRemovableContexts else { return body(action, next) }
            var merged = next
            merged.removeRemovableContexts()
            body(action, merged)
            merged.recycle()
        }
    }

    /// Every rule's successors (T9 finds nothing to remove in a state whose removable contexts
    /// were removed at once).
    private func forEachRuleSuccessor(of state: ICState, _ body: (ICAction, ICState) -> Void) {
        ingress(state, body)
        deliverRequest(state, body)
        rejectRequest(state, body)
        deliverResponse(state, body)
        discardResponse(state, body)
        starveContext(state, body)
        removeContext(state, body)
        systemReject(state, body)
        expireCall(state, body)
        dropRequest(state, body)
        dropResponse(state, body)
        stopCanister(state, body)
        completeStop(state, body)
        stopRequestTimeout(state, body)
        startCanister(state, body)
        upgradeCanister(state, body)
        uninstallCanister(state, body)
        installCanister(state, body)
        reinstallCanister(state, body)
        tick(state, body)
        systemTasks(state, body)
        rejectIngress(state, body)
        if hasManagementCanister {
            managementCall(state, body)
            stopCallTimeout(state, body)
        }
    }

    /// The program `canister` runs in `state`: its first program, or from the first upgrade on
    /// the configuration's `upgradedProgram`.
    func program(of canister: CanisterId, in state: ICState) -> AnyCanisterProgram {
        if hasUpgradedPrograms, (state.codeVersion(of: canister) ?? 0) > 0,
            let newCode = configuration.canisters[canister.index].upgradedProgram
        {
            return newCode
        }
        return configuration.canisters[canister.index].program
    }
}
