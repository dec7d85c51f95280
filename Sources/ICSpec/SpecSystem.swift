import ICCore
import ICMessaging
import ModelChecking

/// The IC model a spec runs: `ICSystem` with the spec's silent canisters taken out of the
/// schedule (no request to them is ever executed or rejected: a stalled subnet or a malicious
/// callee). With no silent canisters it is exactly `ICSystem`; every trace of it is also a trace
/// of `ICSystem`, so replay needs no knowledge of the silencing.
public struct SpecSystem: FairTransitionSystem {
    public typealias State = ICState
    public typealias Action = ICAction
    public typealias TraceState = ObservableState
    public typealias Frontier = FrontierTables

    public let base: ICSystem
    public let silent: Set<CanisterId>
    public let eagerSchedule: Bool
    public let fairness: [Fairness]
    /// Symmetry reduction in use (`Spec.reductions`), or `nil`: successors are then replaced by
    /// their representatives, and counterexamples are made concrete before they are reported.
    public let symmetry: SymmetryReduction?
    /// Whether successors get canonical call ids (`ICState.withCanonicalCallIds()`,
    /// `StateSpaceReductions.canonicalCallIds`); counterexamples are made concrete again.
    public let canonicalCallIds: Bool
    /// Whether the clock is relative (`StateSpaceReductions.relativeTime`): unbounded (`base`
    /// runs with no `maxTime`), and successors keep time relative to now
    /// (`ICState.withRelativeTime()`); counterexamples are made concrete again.
    public let relativeTime: Bool
    /// Partial-order reduction in use (`StateSpaceReductions.partialOrder`), or `nil`: only an
    /// ample set of each state's successors is explored where one exists.
    public let partialOrder: PartialOrderReduction?
    /// Names this system's representatives in the per-thread memo (`RepresentativeMemo`).
    let memoIdentity = RepresentativeMemo.newIdentity()

    /// The states keep only the ghost history the properties observe (safety and liveness;
    /// `.all` for a liveness property that does not declare its needs). Counterexamples are
    /// reported with the whole history (`reportedTrace(_:)`).
    public init(spec: Spec, properties: [ICProperty]? = nil) {
        let checked = properties ?? spec.properties
        let recording = spec.livenessProperties.reduce(ICSystem.observations(of: checked)) { $0.union($1.observes) }
        let relativeTime = spec.reductions.contains(.relativeTime)
        var configuration = spec.configuration
        if relativeTime { configuration.limits.maxTime = .max }
        self.init(
            base: ICSystem(
                configuration: configuration, properties: checked, name: spec.name, recording: recording,
                mergingInvisibleSteps: spec.mergesInvisibleSteps(checking: checked), clockReads: relativeTime ? ClockReadAudit() : nil),
            silent: spec.silentCanisters, eagerSchedule: spec.eagerSchedule,
            fairness: SpecFairness.classes(for: spec.configuration).map(Fairness.weak),
            symmetry: spec.symmetryInUse(checking: checked), canonicalCallIds: spec.reductions.contains(.canonicalCallIds) && MonitorStates(properties: checked).areIdentityFree,
            relativeTime: relativeTime,
            partialOrder: spec.partialOrderInUse(checking: checked)
                ? PartialOrderReduction(
                    configuration: configuration,
                    reads: spec.livenessProperties.reduce(checked.reduce(StateReads.canisters(fields: [])) { $0.union($1.reads) }) {
                        $0.union($1.reads)
                    },
                    eagerSchedule: spec.eagerSchedule, checksLiveness: !spec.livenessProperties.isEmpty)
                : nil)
    }

    init(
        base: ICSystem, silent: Set<CanisterId>, eagerSchedule: Bool, fairness: [Fairness], symmetry: SymmetryReduction?,
        canonicalCallIds: Bool = false, relativeTime: Bool = false, partialOrder: PartialOrderReduction? = nil
    ) {
        self.base = base
        self.partialOrder = partialOrder
        self.canonicalCallIds = canonicalCallIds
        self.relativeTime = relativeTime
        self.silent = silent
        self.eagerSchedule = eagerSchedule
        self.fairness = fairness
        self.symmetry = symmetry
    }

    /// Counterexamples as concrete runs (see `concretised(_:)`) with the whole history and every
    /// merged invisible step made explicit, re-executed from their actions.
    public func reportedTrace(_ trace: Trace<SpecSystem>) -> Trace<SpecSystem> {
        if isReduced {
            // Should the run not be found (a program breaks the declared symmetry), the reduced
            // trace is reported as it is: its replay then fails visibly.
            return unreduced.concretised(trace, representative: representative).map { unreduced.reportedTrace($0) } ?? trace
        }
        guard base.mergesInvisibleSteps || base.recordedHistory != .all else { return trace }
        let plain = SpecSystem(base: base.reportingSystem, silent: silent, eagerSchedule: eagerSchedule, fairness: fairness, symmetry: nil)
        return trace.reported(on: plain, mergedInvisibleSteps: base.mergesInvisibleSteps)
    }

    public var name: String { base.name }
    public var initialStates: [ICState] { base.initialStates.map(representative) }
    public var properties: [Property<ICState>] { base.properties }
    public func traceState(of state: ICState) -> ObservableState { base.traceState(of: state) }
    public func makeFrontier() -> FrontierTables { base.makeFrontier() }

    public func forEachSuccessor(of state: ICState, _ body: (ICAction, ICState) -> Void) {
        forEachSuccessor(of: state, leavingOut: { _ in }, body)
    }

    /// Partial-order reduction leaves steps out of reduced states.
    public var leavesOutSuccessors: Bool { partialOrder != nil }

    public func forEachSuccessor(of state: ICState, leavingOut leftOut: (ICAction) -> Void, _ body: (ICAction, ICState) -> Void) {
        if let partialOrder {
            var successors: [(action: ICAction, concrete: ICState, stored: ICState)] = []
            let clockReaders = ClockReadProbe.recording {
                forEachStoredSuccessor(of: state) { successors.append((action: $0, concrete: $1, stored: $2)) }
            }
            partialOrder.forEachAmpleSuccessor(of: state, successors: successors, clockReaders: clockReaders, leftOut: leftOut, body)
            return
        }
        guard isReduced else {
            forEachConcreteSuccessor(of: state, body)
            return
        }
        forEachStoredSuccessor(of: state) { action, _, stored in body(action, stored) }
    }

    /// Every successor as (action, concrete successor, the state stored for it).
    private func forEachStoredSuccessor(of state: ICState, _ body: (ICAction, ICState, ICState) -> Void) {
        forEachConcreteSuccessor(of: state) { action, next in
            // A closure, not the method `representative`: a method reference copied the whole
            // system (a dozen reference counts, and as many releases) for every successor.
            let stored = isReduced ? RepresentativeMemo.current.representative(of: next, identity: memoIdentity) { representative($0) } : next
            // With relative time a tick that changes nothing (no deadline left to approach, the
            // clock already started) is a self-loop; leaving it out changes no verdict (safety
            // gains nothing from it; liveness properties do not count stuttering steps, and a
            // state without other steps stutters for ever anyway).
            if relativeTime, action == .tick, stored == state { return }
            body(action, next, stored)
        }
    }

    /// Whether states are replaced by representatives (symmetry, canonical call ids, relative time).
    var isReduced: Bool { symmetry != nil || canonicalCallIds || relativeTime }

    /// The state stored for `state`: its clock made relative, its call ids canonical, then its
    /// symmetry class's representative (each as far as in use).
    public func representative(_ state: ICState) -> ICState {
        let relative = relativeTime ? state.withRelativeTime() : state
        let renumbered = canonicalCallIds ? relative.withCanonicalCallIds() : relative
        return symmetry?.representative(of: renumbered) ?? renumbered
    }

    /// The successors of the IC model, with silent canisters and the eager schedule applied.
    private func forEachConcreteSuccessor(of state: ICState, _ body: (ICAction, ICState) -> Void) {
        if silent.isEmpty, !eagerSchedule {
            base.forEachSuccessor(of: state, body)
            return
        }
        guard eagerSchedule else {
            base.forEachSuccessor(of: state) { action, next in
                if !isSilenced(action, in: state) { body(action, next) }
            }
            return
        }
        var successors: [(ICAction, ICState)] = []
        var systemStepEnabled = false
        base.forEachSuccessor(of: state) { action, next in
            guard !isSilenced(action, in: state) else { return }
            if action != .tick, SpecFairness.fairnessClass(of: action) != nil { systemStepEnabled = true }
            successors.append((action, next))
        }
        for (action, next) in successors where !(systemStepEnabled && action == .tick) { body(action, next) }
    }

    /// Whether `action` answers or executes a request addressed to a silent canister, or is a
    /// user or controller action after time 0 when the spec restricts the environment so.
    func isSilenced(_ action: ICAction, in state: ICState) -> Bool {
        if eagerSchedule, state.now > 0 {
            switch action {
            case .ingress, .stopCanister, .startCanister, .upgradeCanister, .uninstallCanister, .installCanister, .reinstallCanister:
                return true
            default: break
            }
        }
        switch action {
        case .deliverRequest(_, let to, _, _), .rejectRequest(_, let to, _):
            return silent.contains(to)
        case .systemReject(let call, _):
            return state.callee(of: call).map { silent.contains($0) } ?? false
        default:
            return false
        }
    }

    public func fairnessClass(of action: ICAction) -> String? { SpecFairness.fairnessClass(of: action) }
}

/// Weak fairness of the system's own steps, one class per step *target* (a queue pair, a call,
/// a context, a canister, the clock): each continuously enabled delivery, execution, expiry,
/// starvation, context removal or stop completion eventually happens, and the clock eventually
/// ticks. Users (ingress), controllers and faults (spontaneous rejects, drops, stop timeouts)
/// are never forced.
public enum SpecFairness {
    /// Calls per canister covered by fairness classes (the liveness checker needs the classes
    /// declared up front; specs make far fewer calls than this).
    static let callsPerCanister = 8

    public static func fairnessClass(of action: ICAction) -> String? {
        switch action {
        case .deliverRequest(let from, let to, _, _): "deliver \(from)→\(to)"
        case .rejectRequest(let from, let to, _): "reject \(from)→\(to)"
        case .deliverResponse(let call, _, _), .discardResponse(let call): "respond \(call)"
        case .expireCall(let call): "expire \(call)"
        case .starveContext(let context), .removeContext(let context): "context \(context)"
        case .completeStop(let canister): "stop-complete \(canister)"
        case .tick: "tick"
        case .heartbeat(let canister, _, _), .globalTimer(let canister, _, _): "system-task \(canister)"
        case .managementCall(let from): "management \(from)"
        case .ingress, .systemReject, .dropRequest, .dropResponse, .stopCanister, .stopRequestTimeout,
            .startCanister, .upgradeCanister, .uninstallCanister, .installCanister, .reinstallCanister, .rejectIngress, .stopCallTimeout:
            nil
        }
    }

    /// Every class `fairnessClass(of:)` can return for `configuration` (within the call bound).
    public static func classes(for configuration: SystemConfiguration) -> [String] {
        let ids = configuration.canisterIds
        var classes: [String] = []
        for from in ids {
            for to in ids { classes += ["deliver \(from)→\(to)", "reject \(from)→\(to)"] }
        }
        for caller in ids {
            for sequence in 0 ..< callsPerCanister {
                let call = CallId(caller: caller, sequence: sequence)
                classes += ["respond \(call)", "expire \(call)", "context \(ContextId.call(call))"]
            }
        }
        for slot in configuration.ingress.indices { classes.append("context \(ContextId.ingress(slot: slot))") }
        for canister in ids { classes.append("stop-complete \(canister)") }
        if configuration.hasManagementCanister { for canister in ids { classes.append("management \(canister)") } }
        for canister in ids where configuration.canisters[canister.index].maxSystemTasks > 0 {
            classes.append("system-task \(canister)")
        }
        classes.append("tick")
        return classes
    }
}
