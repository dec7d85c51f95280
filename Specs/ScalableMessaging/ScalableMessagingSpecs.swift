import ICCore
import ICSpec
import ICMessaging

/// Specs of what the scalable messaging model claims.
public enum ScalableMessagingSpecs {
    /// C0 stops eventually once asked to (liveness).
    static let stopsEventually = ICLivenessProperty(
        name: "stopping-leads-to-stopped", statement: "Once C0 is stopping, it eventually is stopped.", observes: .none,
        observesContextRemoval: false, reads: .canisters(fields: [0]),
        premise: { $0.isStopping(0) }, goal: { $0.isStopped(0) })

    /// A caller C0 (`program`) and a silent callee C1; the controller may stop C0 once.
    static func stopConfiguration(_ program: StoppableCaller, maxTime: Time) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(program), CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false))],
            ingress: [IngressMessage(to: 0, "go")], controller: ControllerActions(stop: [0], maxActions: 1),
            limits: MessagingLimits(maxTime: maxTime))
    }

    /// `configuration` with C0 in instant-stop mode.
    static func instantStop(_ configuration: SystemConfiguration) -> SystemConfiguration {
        var configuration = configuration
        configuration.canisters[0].instantStop = true
        return configuration
    }

    static let stopEnvironment = "Environment: no faults; the callee C1 never answers (no request to it is ever executed or rejected); the user call and the controller's stop happen before the clock first ticks, and the clock ticks only when no system step is enabled. Time is relative: the clock has no bound, and a state keeps each deadline as the time it has left, so a run that repeats itself is a cycle of the state graph. Checked form: liveness (`stopping ~> stopped`) with the liveness checker under weak fairness of the system's own steps (deliveries, executions, expiry, context removal, stop completion, clock ticks), on the whole state graph."

    /// The stopping environment under a clock bound (S8: with relative time, the requests its
    /// silent callee never takes would pile up without bound).
    static let boundedStopEnvironment = "Environment: no faults; the callee C1 never answers (no request to it is ever executed or rejected); the user call and the controller's stop happen before the clock first ticks, and the clock ticks only when no system step is enabled (so no deadline falls beyond the clock bound by scheduling alone). Checked form: liveness (`stopping ~> stopped`) with the liveness checker under weak fairness of the system's own steps (deliveries, executions, expiry, context removal, stop completion, clock ticks), on the whole bounded state graph."

    /// A stopping claim checked with relative time (and canonical call ids, so that a retry's
    /// new call is the same state as the one before): true for all time, not up to a clock bound.
    static func relativeTime(_ spec: Spec, mergingInvisibleSteps: Bool = false) -> Spec {
        var relative = spec
        relative.reductions.formUnion([.relativeTime, .canonicalCallIds])
        if mergingInvisibleSteps { relative.reductions.insert(.invisibleSteps) }
        return relative
    }

    public static var all: [Spec] {
        [
            Spec(
                name: "S1-best-effort-answered-by-deadline",
                summary: "A best-effort call gets its response (SYS_UNKNOWN at worst) by its deadline, even from a silent callee.",
                details: "Claim: a best-effort call is answered by its deadline even when the callee never answers. Checked in two forms: (1) safety over the model's clock, ICMessaging's `best-effort-answered-by-deadline` (once the deadline has passed the call has expired or its SYS_UNKNOWN is on its way), and (2) liveness: an open best-effort callback of C0 leads to no open callback (the callback runs), under weak fairness. Environment: the callee C1 never answers; best-effort drops and early expiry on. Bounds: one best-effort call, timeout 1 s, clock up to 2 s. Expected: holds.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: {
                    var configuration = stopConfiguration(StoppableCaller(callee: 1, kind: .bestEffort, maxRetries: 0), maxTime: 2)
                    configuration.controller = .none
                    configuration.faults = .lossy
                    return configuration
                }(),
                properties: [ICProperties.bestEffortAnsweredByDeadline],
                livenessProperties: [
                    ICLivenessProperty(
                        name: "best-effort-callback-runs", statement: "An open callback of C0 is eventually answered.",
                        reads: .canisters(fields: [], callbacks: [0]),
                        premise: { !$0.openCallbacks(of: 0).isEmpty }, goal: { $0.openCallbacks(of: 0).isEmpty })
                ],
                silentCanisters: [1], eagerSchedule: true, expectation: .holds
            ),
            relativeTime(Spec(
                name: "S2-best-effort-caller-stops",
                summary: "A canister making only best-effort calls can always finish stopping, even if its callee never answers.",
                details: "Claim: a canister whose calls are all best-effort can always be stopped (and so upgraded safely): its calls expire at their deadlines. C0 makes one best-effort call (timeout 1 s) to C1 and does not retry. \(stopEnvironment) Expected: holds.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: stopConfiguration(StoppableCaller(callee: 1, kind: .bestEffort, maxRetries: 0), maxTime: 2),
                properties: [], livenessProperties: [stopsEventually], silentCanisters: [1], eagerSchedule: true, expectation: .holds
            )),
            relativeTime(Spec(
                name: "S3-guaranteed-caller-cannot-stop",
                summary: "A guaranteed-response call outstanding to a callee that never answers blocks stopping for ever.",
                details: "Claim (B6): a canister with a guaranteed-response call outstanding to a callee that never answers can never finish stopping: stopping needs every call context closed, and the call context waits for a response that never comes. C0 makes one guaranteed call to C1. \(stopEnvironment) Expected: violated (stopping-leads-to-stopped): the run ends with C0 stopping for ever.",
                category: .scalableMessagingClaim, callKinds: [.guaranteed],
                configuration: stopConfiguration(StoppableCaller(callee: 1, kind: .guaranteed, maxRetries: 0), maxTime: 2),
                properties: [], livenessProperties: [stopsEventually], silentCanisters: [1], eagerSchedule: true,
                expectation: .violated(property: "stopping-leads-to-stopped")
            )),
            relativeTime(Spec(
                name: "S4-retry-forever-cannot-stop",
                summary: "Retrying every timed-out best-effort call for ever keeps the canister from stopping.",
                details: "Claim: a canister that retries every SYS_UNKNOWN for ever may never finish stopping: each retry opens a new call in the same call context, so the context never closes while answers keep getting lost. C0 retries without limit; the callee C1 answers every call at once, and load shedding may drop any best-effort message (so C0 may get SYS_UNKNOWN every time). The user call and the controller's stop happen before the clock first ticks, and the clock ticks only when no system step is enabled. Time is relative: the clock has no bound, and a state keeps each deadline as the time it has left; with canonical call ids and no call history kept (the claim reads none), a retry brings the run back to the state it left, so the counterexample is a lasso whose loop is the retry itself (request, answer lost, SYS_UNKNOWN, new request), not a run cut off at a clock bound. C1's answered call contexts are removed in the step that answers them, as on the replica (invisible steps; as separate steps they could be put off for ever while the retries go on). Checked form: liveness (`stopping ~> stopped`) under weak fairness of the system's own steps (deliveries, executions, expiry, context removal, stop completion, clock ticks); drops are not forced. Expected: violated (stopping-leads-to-stopped).",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: {
                    // C1's answered call contexts are removed at once (invisible steps), as on the
                    // replica; as separate steps they could be put off while retries go on, and the
                    // graph would have no bound.
                    var configuration = stopConfiguration(StoppableCaller(callee: 1, kind: .bestEffort, maxRetries: nil), maxTime: 3)
                    configuration.canisters[1] = CanisterSetup(ReplyingServer())
                    configuration.faults.dropBestEffort = true
                    return configuration
                }(),
                properties: [], livenessProperties: [stopsEventually], eagerSchedule: true,
                expectation: .violated(property: "stopping-leads-to-stopped")
            ), mergingInvisibleSteps: true),
            relativeTime(Spec(
                name: "S4-bounded-retries-stop",
                summary: "Retrying at most R times still lets the canister stop.",
                details: "Claim: a canister that retries a timed-out best-effort call at most R = 2 times can always finish stopping. \(stopEnvironment) Expected: holds, for all time (not only up to a clock bound).",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: stopConfiguration(StoppableCaller(callee: 1, kind: .bestEffort, maxRetries: 2), maxTime: 4),
                properties: [], livenessProperties: [stopsEventually], silentCanisters: [1], eagerSchedule: true, expectation: .holds
            )),
            Spec(
                name: "S8-instant-stop-retry-forever-stops",
                summary: "Instant-stop mode lets even a canister that retries timed-out calls for ever finish stopping.",
                details: "Claim (the forum's instant-stop proposal, `CanisterSetup.instantStop`; not the IC's behaviour): when a canister in instant-stop mode starts stopping, its outstanding best-effort calls get SYS_UNKNOWN at once and every further `call_perform` fails, so even a canister that retries for ever (as in S4-retry-forever-cannot-stop) stops: its callback's retry is refused and it gives up. C0 retries without limit. \(boundedStopEnvironment) Bounds: clock up to 3 s. Expected: holds (S4-retry-forever-cannot-stop, the same canister without instant stop: violated).",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: instantStop(stopConfiguration(StoppableCaller(callee: 1, kind: .bestEffort, maxRetries: nil), maxTime: 3)),
                properties: [], livenessProperties: [stopsEventually], silentCanisters: [1], eagerSchedule: true, expectation: .holds
            ),
            quotaSpec(sameCallee: false),
            quotaSpec(sameCallee: true),
            Spec(
                name: "S6-caller-and-callee-views-differ",
                summary: "With best-effort calls the callee may reply while the caller receives SYS_UNKNOWN.",
                details: "Claim refuted: 'the caller sees the callee's reply'. For best-effort calls the system may drop the reply or expire the call, so the callee's view (it replied) and the caller's view (SYS_UNKNOWN) of one call differ. C0 makes one best-effort call to C1, which always replies. Environment: lossy (drops, early expiry). Bounds: clock up to 1 s. Expected: violated (caller-sees-callee-reply).",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: SystemConfiguration(
                    canisters: [CanisterSetup(ClientProgram()), CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false))],
                    ingress: [IngressMessage(to: 0, "call", arguments: ClientProgram.Order(.bestEffort, to: 1, cycles: 0, tag: 1))],
                    faults: .lossy, limits: MessagingLimits(maxTime: 1)),
                properties: [callerSeesCalleeReply], expectation: .violated(property: "caller-sees-callee-reply")
            ),
            Spec(
                name: "S7-best-effort-cycles-lost",
                summary: "Cycles attached to a best-effort call can be lost (as the interface spec says).",
                details: "Claim refuted: 'no cycles are lost'. Cycle refunds: specification (CycleRefunds.specification: the spec's 'Dropping expired messages' loses the cycles of a dropped message). A dropped best-effort request loses its attached cycles; an expired call or dropped response loses the refund. C0 attaches 10 cycles to a best-effort call to C1. Environment: lossy. Bounds: clock up to 1 s. Expected: violated (cycles-conserved-without-sink); with the lost-cycles sink conservation holds (see P11-best-effort-cycles). Under the replica's refunds the claim holds: see S7-best-effort-cycles-lost-replica.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: s7Configuration(.specification),
                properties: [ICProperties.cyclesConservedWithoutSink],
                expectation: .violated(property: "cycles-conserved-without-sink")
            ),
            Spec(
                name: "S7-best-effort-cycles-lost-replica",
                summary: "With today's replica no best-effort cycles are lost: dropped cycles come back without a callback.",
                details: "Claim: 'no cycles are lost', under cycle refunds: replica (CycleRefunds.replica, the default: the cycles of shed, expired and late best-effort messages return to the caller's balance as an anonymous refund, no callback runs; dfinity/ic RefundPool). The caller still gets SYS_UNKNOWN with refund 0, so its callback cannot tell. C0 attaches 10 cycles to a best-effort call to C1. Environment: lossy. Bounds: clock up to 1 s. Expected: holds. Under the spec's semantics the claim fails: see S7-best-effort-cycles-lost.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: s7Configuration(.replica),
                properties: [ICProperties.cyclesConservedWithoutSink],
                expectation: .holds
            ),
        ] + instantStopBoundSpecs
    }

    static func s7Configuration(_ refunds: CycleRefunds) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(ClientProgram()), CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: true))],
            ingress: [IngressMessage(to: 0, "call", arguments: ClientProgram.Order(.bestEffort, to: 1, cycles: 10, tag: 1))],
            faults: .lossy, limits: MessagingLimits(maxTime: 1), cycleRefunds: refunds)
    }

    static let callerSeesCalleeReply = ICProperty(
        name: "caller-sees-callee-reply", statement: "If the callee replied, the caller's delivered response is that reply.",
        callKinds: [.bestEffort], observesContextRemoval: false
    ) { view in
        view.history.calls.values.allSatisfy { record in
            guard case .reply = record.calleeResponse, let delivered = record.deliveredResponse else { return true }
            return delivered == record.calleeResponse
        }
    }

    static let ownQuotaRespected = ICProperty(
        name: "own-quota-respected",
        statement: "C0, within its own quota, is never refused a small call for lack of quota (neither synchronously nor by a SYS_TRANSIENT reject from its callee)."
    , observes: .none, observesContextRemoval: false) { view in
        guard let state = view.programState(of: 0, as: SmallCaller.State.self) else { return false }
        return state.quotaRefusals == 0 && state.transientRejects == 0
    }

    /// C0 makes one small call (within its quota of 1); C1 floods with two small calls, to
    /// another callee (C3) or to C0's callee (C2). Incoming quota 1 per callee, no shared pool.
    /// The callees hold each call while they finish it (a self-call), as callees with downstream
    /// work do: a callee's incoming quota is held from the start of a call until its response.
    static func quotaSpec(sameCallee: Bool) -> Spec {
        let configuration = SystemConfiguration(
            canisters: [
                CanisterSetup(SmallCaller()), CanisterSetup(SmallCaller()), CanisterSetup(DeferringServer()),
                CanisterSetup(DeferringServer()),
            ],
            ingress: [IngressMessage(to: 0, "call", arguments: [2, 1]), IngressMessage(to: 1, "call", arguments: [sameCallee ? 2 : 3, 2])],
            limits: MessagingLimits(smallQuotaOut: 1, smallQuotaIn: 1, sharedSmallPool: 0))
        if !sameCallee {
            return Spec(
                name: "S5-small-quota-isolation",
                summary: "Small guaranteed calls: a canister within its quota can call, whatever others do elsewhere.",
                details: "Claim (quota isolation): a canister within its own quota of small guaranteed-response messages can always make an outgoing call, and its callee (within its incoming quota) accept it, whatever other canisters do. C0 makes one small call to C2 (its quota is 1); C1 floods C3 with two small calls (the second is refused: C1 exceeds its own quota). Quotas: 1 unit (1 kB) outgoing and 1 incoming per canister, no shared pool; the incoming quota is enforced at the callee (an asynchronous SYS_TRANSIENT reject). No faults. Expected: holds.",
                category: .scalableMessagingClaim, callKinds: [.smallGuaranteed],
                configuration: configuration, properties: [ownQuotaRespected], expectation: .holds)
        }
        return Spec(
            name: "S5-small-quota-shared-callee",
            summary: "Finding: another canister can use up a shared callee's incoming quota and so refuse C0's call.",
            details: "Claim tested: 'a canister within its quota can always make an outgoing call, whatever other canisters do', when the other canister floods the *same* callee. C0 makes one small call to C2 (within its own quota of 1); C1 also calls C2. The callee's incoming quota (1) is per callee, shared by all its callers, and a call holds it while the callee works on it (C2 finishes each call with a self-call before replying), so C1's call can get C0's call rejected: as the proposal says, the incoming quota is enforced at the callee, so C0's call_perform succeeds and the call comes back as an asynchronous SYS_TRANSIENT reject when C2 would start it. Isolation holds per canister, not per caller-callee pair: a canister can be starved of a callee by others. No faults. Expected: violated (own-quota-respected).",
            category: .scalableMessagingClaim, callKinds: [.smallGuaranteed],
            configuration: configuration, properties: [ownQuotaRespected], expectation: .violated(property: "own-quota-respected"))
    }
}
