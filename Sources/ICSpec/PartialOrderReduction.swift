import ICCore
import ICMessaging
import ModelChecking
import Synchronization

/// Partial-order reduction (`icmc check --por`): in a state where one canister's steps commute
/// with everything the other canisters can do before them, and change nothing the checked
/// properties read, only that canister's steps are explored (an *ample set*). Safety verdicts
/// are kept; shortest counterexamples are not (a postponed step may make a violation deeper).
///
/// The ample set of canister *c* in state *s* is every enabled step *c* owns (ingress to *c*,
/// requests executed or rejected at *c*, responses and expiries of *c*'s calls, *c*'s contexts,
/// stop completion and system tasks of *c*). It is used only when (docs/architecture.md,
/// "Partial-order reduction"):
/// - C0: it is not empty;
/// - C1 (no step outside it that depends on it can run first): no global step can ever run
///   again (the clock is at its bound, the controller's budget is spent or it has nothing to
///   do, faults that act between canisters are off, checked when the reduction is set up), no
///   small guaranteed call is open or made (their quotas are shared), every other canister
///   that may call *c* (`CanisterSetup.callees`) already has a request queued to *c* (a new
///   one then queues behind it and changes none of *c*'s steps), and every call of *c* to
///   another canister is done at the callee (no request queued, no context there that still
///   has to answer), so that no other canister can give *c* a new step;
/// - C2 (visibility): every checked property reads only canister fields and callbacks
///   (`StateReads`), and no step of the set changes those of *c* that a property reads (other canisters' steps cannot
///   change what *c*'s steps do to them, so this holds wherever the steps are postponed to);
/// - C3 (cycle proviso): every step of the set strictly raises `progress(of:)` of the stored
///   state. A cycle of the reduced graph cannot raise it all the way round, so it passes a
///   state that was fully expanded. The condition needs no search order: it holds for
///   breadth-first, depth-first and parallel searches alike.
/// Otherwise the state is fully expanded. Canisters are tried in index order.
public struct PartialOrderReduction: Sendable {
    /// For each canister, the other canisters that may call it.
    let senders: [[CanisterId]]
    /// For each canister, its declared callees (`nil`: anyone).
    let callees: [Set<CanisterId>?]
    /// For each ingress slot, the canister it goes to.
    let ingressTargets: [CanisterId]
    let maxTime: Time
    /// Controller actions the configuration allows (0 when it names no canister).
    let controllerBudget: Int
    /// What the checked properties read together (never `.everything`: see `problem`).
    public let reads: StateReads
    /// The first call outside a declared call graph that a search saw (see `undeclaredCall`).
    let audit: CallGraphAudit

    /// The reduction for `configuration` (with `maxTime` already as the search uses it) and
    /// properties that read `reads` together.
    init(configuration: SystemConfiguration, reads: StateReads) {
        self.reads = reads
        let ids = configuration.canisterIds
        callees = configuration.canisters.map(\.callees)
        senders = ids.map { target in
            ids.filter { $0 != target && (configuration.canisters[$0.index].callees?.contains(target) ?? true) }
        }
        ingressTargets = configuration.ingress.map(\.canister)
        maxTime = configuration.limits.maxTime
        let controller = configuration.controller
        let namesNone = controller.stop.isEmpty && controller.start.isEmpty && controller.upgrade.isEmpty && controller.uninstall.isEmpty
        controllerBudget = namesNone ? 0 : controller.maxActions
        audit = CallGraphAudit()
    }

    /// Why the reduction cannot be used on `spec` checking `properties`, or `nil` if it can.
    public static func problem(spec: Spec, checking properties: [ICProperty]) -> String? {
        if !spec.livenessProperties.isEmpty {
            return "it checks liveness properties (the reduction keeps safety verdicts only)"
        }
        if spec.eagerSchedule { return "its eager schedule depends on which steps are enabled" }
        if spec.maxDepth != nil { return "it has a depth bound (the reduction changes depths)" }
        let faults = spec.configuration.faults
        if faults.spontaneousRejects || faults.dropBestEffort || faults.earlyExpiry || faults.stopTimeouts || faults.ingressRejects {
            return "its faults (rejects, drops, early expiry, stop timeouts, ingress rejects) act between canisters"
        }
        if let undeclared = properties.first(where: \.reads.readsEverything) {
            return "property \(undeclared.name) does not declare that it reads only canister fields (ICProperty.reads)"
        }
        return nil
    }

    /// Calls `body` with the ample successors of `state` (see the type's conditions), or with
    /// all of them. `successors` are the state's successors as (action, concrete successor,
    /// stored successor).
    func forEachAmpleSuccessor(
        of state: ICState, successors: [(action: ICAction, concrete: ICState, stored: ICState)],
        _ body: (ICAction, ICState) -> Void
    ) {
        var owners: [CanisterId?] = []
        owners.reserveCapacity(successors.count)
        for successor in successors {
            let owner = self.owner(of: successor.action, in: state)
            owners.append(owner)
            if let owner { auditCalls(of: owner, from: state, to: successor.concrete) }
        }
        if let canister = ampleCanister(of: state, successors: successors, owners: owners) {
            for (index, successor) in successors.enumerated() where owners[index] == canister {
                body(successor.action, successor.stored)
            }
            return
        }
        for successor in successors { body(successor.action, successor.stored) }
    }

    /// The canister whose steps form an ample set in `state`, if one does.
    private func ampleCanister(
        of state: ICState, successors: [(action: ICAction, concrete: ICState, stored: ICState)], owners: [CanisterId?]
    ) -> CanisterId? {
        guard !owners.contains(where: { $0 == nil }), state.now >= maxTime,
            state.controllerActionsUsed >= controllerBudget,
            !state.openCallbacks.contains(where: { $0.kind == .smallGuaranteed })
        else { return nil }
        let progress = Self.progress(of: state)
        var tried = Set<CanisterId>()
        for case let canister? in owners where tried.insert(canister).inserted {
            guard isClosed(canister, in: state) else { continue }
            let qualifies = successors.indices.allSatisfy { index in
                guard owners[index] == canister else { return true }
                let successor = successors[index]
                return !changesObservedFields(of: canister, from: state, to: successor.concrete)
                    && !successor.concrete.openCallbacks.contains(where: { $0.kind == .smallGuaranteed })
                    && Self.progress(of: successor.stored) > progress
            }
            if qualifies { return canister }
        }
        return nil
    }

    /// C1 for `canister` in `state`: no other canister can give it a new step.
    private func isClosed(_ canister: CanisterId, in state: ICState) -> Bool {
        for sender in senders[canister.index] where state.queue(from: sender, to: canister).isEmpty { return false }
        for callback in state.openCallbacks where callback.call.caller == canister && callback.callee != canister {
            let callee = callback.callee
            guard callee.index >= 0, callee.index < state.canisterCount else { continue }
            if state.queue(from: canister, to: callee).contains(where: { $0.call == callback.call }) { return false }
            if state.context(.call(callback.call))?.needsToRespond == true { return false }
        }
        return true
    }

    /// Whether a step of `canister` changed what the properties read of it (`reads`).
    private func changesObservedFields(of canister: CanisterId, from state: ICState, to next: ICState) -> Bool {
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
        guard reads.readsCallbacks(of: canister) else { return false }
        let mine: (Callback) -> Bool = { $0.call.caller == canister }
        return !state.openCallbacks.filter(mine).elementsEqual(next.openCallbacks.filter(mine))
    }

    /// The canister whose local part a step acts on, or `nil` for a global step (the clock,
    /// controllers, faults between canisters, ingress to a canister outside the configuration).
    func owner(of action: ICAction, in state: ICState) -> CanisterId? {
        let owner: CanisterId? =
            switch action {
            case .ingress(let slot, _, _): ingressTargets[slot]
            case .deliverRequest(_, let to, _, _), .rejectRequest(_, let to, _): to
            case .deliverResponse(let call, _, _), .discardResponse(let call), .expireCall(let call): call.caller
            case .starveContext(let context), .removeContext(let context): state.context(context)?.canister
            case .completeStop(let canister), .heartbeat(let canister, _, _), .globalTimer(let canister, _, _): canister
            case .systemReject, .dropRequest, .dropResponse, .stopCanister, .stopRequestTimeout, .startCanister,
                .upgradeCanister, .uninstallCanister, .tick, .rejectIngress:
                nil
            }
        guard let owner, owner.index >= 0, owner.index < state.canisterCount else { return nil }
        return owner
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
    /// contexts and callbacks (more while they must answer or are unexpired) and responses count down. Each kind
    /// of canister step raises it as the plain model numbers calls; a step that does not (for
    /// example with canonical call ids, which forget finished calls) is taken with a full
    /// expansion instead.
    static func progress(of state: ICState) -> Int {
        var progress = 0
        for status in state.ingress where status != .notSent { progress += 4 }
        for canister in state.canisters {
            progress += 9 * canister.nextCallSequence + 4 * canister.systemTasksRun
            if case .stopped = canister.status { progress += 1 }
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
