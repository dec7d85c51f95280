import ICCore
import ICMessaging
import ModelChecking
import Synchronization

/// Partial-order reduction (`icmc check --por`): in a state where one canister's steps commute
/// with everything the other canisters can do before them, and change nothing the checked
/// properties read, only that canister's steps are explored (an *ample set*). Safety and
/// liveness verdicts are kept (liveness with the further conditions of
/// `PartialOrderReduction+Liveness.swift`); shortest counterexamples are not (a postponed step
/// may make a violation deeper).
///
/// The ample set of canister *c* in state *s* is every enabled step *c* owns (ingress to *c* and
/// its rejection, requests executed, rejected, rejected spontaneously or dropped at *c*,
/// responses, expiries and dropped responses of *c*'s calls, *c*'s contexts, stop completion and
/// system tasks of *c*). It is used only when (docs/architecture.md, "Partial-order reduction"):
/// - C0: it is not empty;
/// - C1 (no step outside it that depends on it can run first): no global step but a tick is
///   enabled, and none but those that depend on no step of *c* can become enabled (the clock
///   is at its bound, or under the eager schedule *c* has a system step enabled, which keeps
///   the clock from ticking until *c* acts, or *c* is clock-free, so that every tick commutes
///   with its steps: `PartialOrderReduction+Clock.swift`; the controller's budget is spent or it has nothing to do, or
///   under the eager schedule the clock has started; no fair load shedding,
///   checked when the reduction is set up; a drop that refunds cycles to another
///   canister is global but touches only that canister and the dropped request), no
///   small guaranteed call is open or made (their quotas are shared), every other canister
///   that may call *c* (`CanisterSetup.callees`) already has a request queued to *c* (a new
///   one then queues behind it and changes none of *c*'s steps), no canister that may call the
///   management canister (which acts on any canister) can run, *c* has no call open to it, and every call of *c* to
///   another canister is done at the callee (no request queued, no context there that still
///   has to answer), so that no other canister can give *c* a new step;
/// - C2 (visibility): every checked property reads only canister fields, callbacks, contexts
///   and cycle totals (`StateReads`), and no step of the set changes those of *c* (or a total)
///   that a property reads (other canisters' steps cannot
///   change what *c*'s steps do to them, so this holds wherever the steps are postponed to);
///   every monitor of a checked property declares the steps that may change it
///   (`PartialOrderMonitor`), and no step of the set is one of them;
/// - C3 (cycle proviso): every step of the set strictly raises `progress(of:)` of the stored
///   state. A cycle of the reduced graph cannot raise it all the way round, so it passes a
///   state that was fully expanded. The condition needs no search order: it holds for
///   breadth-first, depth-first and parallel searches alike.
/// Otherwise the state is fully expanded. Canisters are tried in index order.
public struct PartialOrderReduction: Sendable {
    /// For each canister, the other canisters that may call it, directly or through the
    /// management canister.
    let senders: [[CanisterId]]
    /// For each canister, whether it may call the management canister (and so act on any canister).
    let callsManagement: [Bool]
    /// Whether the spec's eager schedule is on (`Spec.eagerSchedule`): the clock ticks only when
    /// no system step is enabled, users and controllers act only before it first ticks.
    let eagerSchedule: Bool
    /// Whether liveness properties are checked: ample sets then also meet the liveness
    /// conditions (`meetsLivenessConditions`).
    let checksLiveness: Bool
    /// The weak-fairness classes the liveness checker assumes (`SpecFairness.classes(for:)`).
    let fairnessClasses: Set<String>
    /// For each canister, its declared callees (`nil`: anyone).
    let callees: [Set<CanisterId>?]
    /// For each canister, the system tasks (heartbeats, timers) it may run in all.
    let maxSystemTasks: [Int]
    /// For each ingress slot, the canister it goes to.
    let ingressTargets: [CanisterId]
    let maxTime: Time
    /// Whether callbacks may expire before their deadline (`FaultSwitches.earlyExpiry`).
    let expiresEarly: Bool
    /// Whether a dropped request's cycles go back to its caller's balance (`CycleRefunds.replica`).
    let refundsDroppedCycles: Bool
    /// Controller actions the configuration allows (0 when it names no canister).
    let controllerBudget: Int
    /// What the checked properties read together (never `.everything`: see `problem`).
    public let reads: StateReads
    /// The first call outside a declared call graph that a search saw (see `undeclaredCall`).
    let audit: CallGraphAudit
    /// Whether a step that may change a monitor counts as visible (always, but for the test
    /// that shows what goes wrong without it).
    var monitorStepsAreVisible = true
    /// Whether a tick counts as dependent on the steps of a canister that is not clock-free
    /// (`isClockFree`; always, but for the test that shows what goes wrong without it).
    var tickDependenceIsChecked = true

    /// The reduction for `configuration` (with `maxTime` already as the search uses it) and
    /// properties that read `reads` together.
    init(
        configuration: SystemConfiguration, reads: StateReads, eagerSchedule: Bool = false, checksLiveness: Bool = false
    ) {
        self.reads = reads
        self.eagerSchedule = eagerSchedule
        self.checksLiveness = checksLiveness
        fairnessClasses = checksLiveness ? Set(SpecFairness.classes(for: configuration)) : []
        let ids = configuration.canisterIds
        callees = configuration.canisters.map(\.callees)
        let callsManagement = configuration.canisters.map { $0.callees?.contains(.management) ?? true }
        self.callsManagement = callsManagement
        senders = ids.map { target in
            ids.filter {
                $0 != target && (callsManagement[$0.index] || (configuration.canisters[$0.index].callees?.contains(target) ?? true))
            }
        }
        ingressTargets = configuration.ingress.map(\.canister)
        maxSystemTasks = configuration.canisters.map(\.maxSystemTasks)
        maxTime = configuration.limits.maxTime
        expiresEarly = configuration.faults.earlyExpiry
        refundsDroppedCycles = configuration.cycleRefunds == .replica
        let controller = configuration.controller
        let namesNone = controller.stop.isEmpty && controller.start.isEmpty && controller.upgrade.isEmpty && controller.uninstall.isEmpty
            && controller.install.isEmpty && controller.reinstall.isEmpty
        controllerBudget = namesNone ? 0 : controller.maxActions
        audit = CallGraphAudit()
    }

    /// Why the reduction cannot be used on `spec` checking `properties`, or `nil` if it can.
    public static func problem(spec: Spec, checking properties: [ICProperty]) -> String? {
        if let undeclared = spec.livenessProperties.first(where: \.reads.readsEverything) {
            return "liveness property \(undeclared.name) does not declare that it reads only canister fields (ICLivenessProperty.reads)"
        }
        if spec.maxDepth != nil { return "it has a depth bound (the reduction changes depths)" }
        let faults = spec.configuration.faults
        if faults.dropBestEffort, spec.configuration.loadShedding == .fair {
            return "under fair load shedding whether a message may be dropped depends on every canister's messages"
        }
        if let undeclared = properties.first(where: \.reads.readsEverything) {
            return "property \(undeclared.name) does not declare that it reads only canister fields (ICProperty.reads)"
        }
        if let undeclared = MonitorStates(properties: properties).undeclaredVisibleSteps.first {
            return "the monitor of property \(undeclared) does not declare the steps that change it (PartialOrderMonitor)"
        }
        return nil
    }

    /// Calls `body` with the ample successors of `state` (see the type's conditions), or with
    /// all of them. `successors` are the state's successors as (action, concrete successor,
    /// stored successor); `clockReaders` the canisters whose executions among them read the
    /// clock (`ClockReadProbe`); `leftOut` gets each action a reduced state leaves out.
    func forEachAmpleSuccessor(
        of state: ICState, successors: [(action: ICAction, concrete: ICState, stored: ICState)], clockReaders: Set<CanisterId> = [],
        leftOut: (ICAction) -> Void = { _ in }, _ body: (ICAction, ICState) -> Void
    ) {
        var owners: [CanisterId?] = []
        owners.reserveCapacity(successors.count)
        for successor in successors {
            let owner = self.owner(of: successor.action, in: state)
            owners.append(owner)
            if let owner { auditCalls(of: owner, from: state, to: successor.concrete) }
        }
        if let canister = ampleCanister(of: state, successors: successors, owners: owners, clockReaders: clockReaders) {
            for (index, successor) in successors.enumerated() {
                if owners[index] == canister { body(successor.action, successor.stored) } else { leftOut(successor.action) }
            }
            return
        }
        for successor in successors { body(successor.action, successor.stored) }
    }

    /// The canister whose steps form an ample set in `state`, if one does.
    private func ampleCanister(
        of state: ICState, successors: [(action: ICAction, concrete: ICState, stored: ICState)], owners: [CanisterId?],
        clockReaders: Set<CanisterId>
    ) -> CanisterId? {
        // A tick is the one global step a canister's steps may leave out (`isClockFree`).
        var tickEnabled = false
        for (index, owner) in owners.enumerated() where owner == nil {
            guard successors[index].action == .tick else { return nil }
            tickEnabled = true
        }
        guard state.controllerActionsUsed >= controllerBudget || (eagerSchedule && state.now > 0),
            !state.openCallbacks.contains(where: { $0.kind == .smallGuaranteed })
        else { return nil }
        let progress = Self.progress(of: state)
        let sums = Self.cycleSums(of: state, reads.cycleSums)
        var tried = Set<CanisterId>()
        for case let canister? in owners where tried.insert(canister).inserted {
            guard isClosed(canister, in: state),
                (!tickEnabled && state.now >= maxTime) || (eagerSchedule && hasSystemStep(canister, successors: successors, owners: owners))
                    || (!clockReaders.contains(canister) && isClockFree(canister, in: state, successors: successors, owners: owners))
                    || (!tickDependenceIsChecked && !eagerSchedule),
                !checksLiveness || meetsLivenessConditions(canister, in: state, successors: successors, owners: owners)
            else { continue }
            let qualifies = successors.indices.allSatisfy { index in
                guard owners[index] == canister else { return true }
                let successor = successors[index]
                return !(monitorStepsAreVisible && state.monitors.isVisible(successor.action))
                    && !changesObservedFields(of: canister, from: state, to: successor.concrete, sums: sums)
                    && !successor.concrete.openCallbacks.contains(where: { $0.kind == .smallGuaranteed })
                    && Self.progress(of: successor.stored) > progress
            }
            if qualifies { return canister }
        }
        return nil
    }

    /// C1 for `canister` in `state`: no other canister can give it a new step that depends on its
    /// enabled ones (a request queued behind another only adds its own spontaneous reject or drop,
    /// which commute with every step `canister` has now).
    private func isClosed(_ canister: CanisterId, in state: ICState) -> Bool {
        var active: Set<CanisterId>?
        for sender in senders[canister.index] where callsManagement[sender.index] || state.queue(from: sender, to: canister).isEmpty {
            if active == nil { active = mayExecute(without: canister, in: state) }
            if active?.contains(sender) == true { return false }
        }
        for callback in state.openCallbacks where callback.call.caller == canister && callback.callee != canister {
            let callee = callback.callee
            if callee == .management { return false }
            guard callee.index >= 0, callee.index < state.canisterCount else { continue }
            if state.queue(from: canister, to: callee).contains(where: { $0.call == callback.call }) { return false }
            if state.context(.call(callback.call))?.needsToRespond == true { return false }
        }
        return true
    }

    /// The canisters that may run code again before `excluded` takes a step: those with an
    /// ingress message not yet sent, a request queued to them, an open call, a response in
    /// flight or a system task left, and, transitively, the declared callees of such canisters
    /// (other than `excluded`). A canister outside the set sends nothing until `excluded` acts.
    private func mayExecute(without excluded: CanisterId, in state: ICState) -> Set<CanisterId> {
        var work = Set<CanisterId>()
        // Under the eager schedule users act only before the clock first ticks.
        if !eagerSchedule || state.now == 0 {
            for (slot, status) in state.ingress.enumerated() where status == .notSent { work.insert(ingressTargets[slot]) }
        }
        for queue in state.queues { if let request = queue.first { work.insert(request.callee) } }
        for callback in state.openCallbacks { work.insert(callback.call.caller) }
        for response in state.responses { work.insert(response.call.caller) }
        for canister in state.canisterIds where state[canister: canister].systemTasksRun < maxSystemTasks[canister.index] {
            work.insert(canister)
        }
        work.remove(excluded)
        var pending = Array(work)
        while let canister = pending.popLast() {
            guard canister.index >= 0, canister.index < callees.count else { continue }
            let reachable = callees[canister.index] ?? Set(state.canisterIds)
            for callee in reachable where callee != excluded && work.insert(callee).inserted { pending.append(callee) }
        }
        return work
    }

    /// Whether a step of `canister` changed what the properties read of it (`reads`): its
    /// fields, its contexts, its callbacks, or a global cycle total.
    /// `sums` are the cycle totals of `state` the properties read.
    private func changesObservedFields(of canister: CanisterId, from state: ICState, to next: ICState, sums: CycleTotals) -> Bool {
        if Self.cycleSums(of: next, reads.cycleSums) != sums { return true }
        if reads.readsFields(of: canister) {
            let before = state[canister: canister]
            let after = next[canister: canister]
            if before.status != after.status || before.programState != after.programState || before.balance != after.balance
                || before.codeVersion != after.codeVersion || before.globalTimer != after.globalTimer
                || before.systemTasksRun != after.systemTasksRun
            {
                return true
            }
        }
        if reads.readsContexts(of: canister) {
            let mine: (CallContext) -> Bool = { $0.canister == canister }
            if !state.callContexts.filter(mine).elementsEqual(next.callContexts.filter(mine)) { return true }
        }
        guard reads.readsCallbacks(of: canister) else { return false }
        let mine: (Callback) -> Bool = { $0.call.caller == canister }
        return !state.openCallbacks.filter(mine).elementsEqual(next.openCallbacks.filter(mine))
    }

    /// The cycle totals a property may read (0 where it does not): a pair, not an array, since
    /// a candidate canister's every successor computes them.
    private typealias CycleTotals = (withSink: Cycles, withoutSink: Cycles)

    /// The cycle totals of `state` that `sums` names (none, without reading the state, if empty).
    private static func cycleSums(of state: ICState, _ sums: StateReads.CycleSums) -> CycleTotals {
        guard !sums.isEmpty else { return (0, 0) }
        return state.withView { view in
            let accounted = view.accountedCycles
            return (sums.contains(.withSink) ? accounted : 0, sums.contains(.withoutSink) ? accounted - view.lostCycles : 0)
        }
    }

    /// The canister whose local part a step acts on, or `nil` for a global step (the clock,
    /// controllers, a drop that refunds another canister, ingress to a canister outside the
    /// configuration). A fault on a request belongs to its callee (it leaves the callee's queue;
    /// its reject goes to the caller as a response, which only enables), a fault on a response or
    /// callback to the caller, a stop request's timeout to the canister stopping.
    func owner(of action: ICAction, in state: ICState) -> CanisterId? {
        let owner: CanisterId? =
            switch action {
            case .ingress(let slot, _, _): ingressTargets[slot]
            case .deliverRequest(_, let to, _, _), .rejectRequest(_, let to, _): to
            case .deliverResponse(let call, _, _), .discardResponse(let call), .expireCall(let call): call.caller
            case .starveContext(let context), .removeContext(let context): state.context(context)?.canister
            // A stop that answers the management canister's held stop calls reaches their callers: global.
            case .completeStop(let canister): state.queue(from: .management, to: canister).isEmpty ? canister : nil
            case .heartbeat(let canister, _, _), .globalTimer(let canister, _, _): canister
            case .rejectIngress(let slot): ingressTargets[slot]
            case .systemReject(let call, _): queuedRequest(call, in: state)?.callee
            case .dropRequest(let call): queuedRequest(call, in: state).flatMap { dropOwner(of: $0) }
            case .dropResponse(let call): call.caller
            case .stopRequestTimeout(let canister): canister
            case .stopCanister, .startCanister, .upgradeCanister, .uninstallCanister, .installCanister, .reinstallCanister, .tick,
                .managementCall, .stopCallTimeout: nil
            }
        guard let owner, owner.index >= 0, owner.index < state.canisterCount else { return nil }
        return owner
    }

    /// The queued request of `call`, if it is in a queue.
    private func queuedRequest(_ call: CallId, in state: ICState) -> QueuedRequest? {
        for queue in state.queues {
            if let request = queue.first(where: { $0.call == call }) { return request }
        }
        return nil
    }

    /// The owner of dropping `request`: its callee (whose queue it leaves), unless the drop
    /// credits cycles to another canister's balance (the replica's refund), which that
    /// canister's executions read: then it is a global step.
    private func dropOwner(of request: QueuedRequest) -> CanisterId? {
        if refundsDroppedCycles, request.cycles > 0, request.call.caller != request.callee { return nil }
        return request.callee
    }

    /// Records a call the step of `owner` made outside its declared callees.
    private func auditCalls(of owner: CanisterId, from state: ICState, to next: ICState) {
        guard let allowed = callees[owner.index] else { return }
        let first = state[canister: owner].nextCallSequence
        for callback in next.openCallbacks
        where callback.call.caller == owner && callback.call.sequence >= first && callback.callee != owner
            && !allowed.contains(callback.callee) {
            audit.record("\(owner) called \(callback.callee), which its declared callees (\(allowed.sorted().map(\.description).joined(separator: ", "))) leave out")
        }
    }

    /// A measure every step of an ample set must raise (C3): calls made, ingress messages and
    /// system tasks started, callbacks expired and canisters stopped count up; requests queued,
    /// contexts and callbacks (more while they must answer or are unexpired), responses and
    /// pending stop requests count down. Each kind
    /// of canister step raises it as the plain model numbers calls; a step that does not (for
    /// example with canonical call ids, which forget finished calls) is taken with a full
    /// expansion instead.
    static func progress(of state: ICState) -> Int {
        var progress = 0
        for status in state.ingress where status != .notSent { progress += 4 }
        for canister in state.canisters {
            progress += 9 * canister.nextCallSequence + 4 * canister.systemTasksRun
            switch canister.status {
            case .stopped: progress += 1
            case .stopping(let pendingStopRequests): progress -= pendingStopRequests
            default: break
            }
        }
        for queue in state.queues { progress -= 5 * queue.count }
        for context in state.callContexts { progress -= context.needsToRespond ? 3 : 1 }
        for callback in state.openCallbacks { progress -= callback.expired ? 1 : 3 }
        progress -= state.responses.count
        return progress
    }
}

/// The first call outside a declared call graph seen by a reduced search: the reduction relied
/// on the declaration, so the search's verdict is not to be trusted and is reported as an error.
public final class CallGraphAudit: Sendable {
    private let firstViolation = Mutex<String?>(nil)

    init() {}

    func record(_ violation: String) {
        firstViolation.withLock { if $0 == nil { $0 = violation } }
    }

    /// The first violation recorded, if any.
    public var undeclaredCall: String? { firstViolation.withLock { $0 } }
}
