import ICCore

/// The IC's message-execution properties (ic-semantics.md §5, P1–P11), the spec invariants
/// (§1.2, I1–I4), cycle conservation and deadline properties, as `ICProperty` values over
/// `ICView`: the model checks them, and the reference executor can judge the same definitions.
///
/// Properties the IC guarantees are in `guaranteed`; the per-kind variants that the IC does not
/// promise (P10 for best-effort calls) are separate values, expected to be violated.
public enum ICProperties {
    // MARK: P1–P11

    /// P1 (atomic, sequential executions): a request is never both queued and executing —
    /// delivery, context creation and the execution are one step. A call's context is created
    /// only by the step that starts it, which `ExecutionStartMonitor` judges, so the property
    /// reads nothing else of the state (nor sees when answered contexts go).
    public static let p1AtomicExecution = ICProperty(
        name: "P1-atomic-execution",
        statement: "Message executions are atomic: a request is never both still queued and already executing (no context exists for a queued request, and it has not started).",
        mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: []), monitor: ExecutionStartMonitor()
    ) { _, monitor in !monitor.startedWhileQueued }

    /// P2 (code after `await` is a separate execution in the same context): every open
    /// callback's caller still has a call context to run it in. A context with an open callback
    /// is never removable, so removing answered contexts early (invisible steps) cannot change
    /// the verdict (`ContextRemovalAudit` checks this on every library spec that uses it).
    public static let p2CallbacksHaveContexts = ICProperty(
        name: "P2-callbacks-have-contexts",
        statement: "Each awaited call's continuation runs later as its own execution in the caller's call context: every open callback's caller has an open call context.",
        observes: .none, mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: [], callbacks: nil, contexts: nil)
    ) { view in
        view.callbacks.allSatisfy { callback in view.contexts.contains { $0.canister == callback.call.caller } }
    }

    /// P3 (requests are received in sending order per pair). With FIFO queues a request starts
    /// out of order only by starting twice, which `RequestStartMonitor` sees in the step.
    public static let p3RequestOrder = ICProperty(
        name: "P3-request-order",
        statement: "Requests from A to B that start executing start in the order A sent them.",
        mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: []), monitor: RequestStartMonitor()
    ) { _, monitor in !monitor.startedTwice }

    /// P6 (at most once delivery).
    public static let p6AtMostOnceExecution = ICProperty(
        name: "P6-at-most-once-execution",
        statement: "A call is executed by its callee at most once (at most one call context per request).",
        mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: []), monitor: RequestStartMonitor()
    ) { _, monitor in !monitor.startedTwice }

    /// P7 (single response), safety part.
    public static let p7SingleResponse = ICProperty(
        name: "P7-single-response",
        statement: "Every call gets at most one response: its callback (or refund-only delivery) happens at most once.",
        mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: []), monitor: DeliveryMonitor(.singleResponse)
    ) { _, monitor in !monitor.violated }

    /// P8 (guaranteed calls: the callee's response, never SYS_UNKNOWN). The response in flight
    /// of a guaranteed call is the one its callee's context (or the system, before any
    /// execution) gave, so the delivery is wrong exactly when it is SYS_UNKNOWN.
    public static let p8GuaranteedResponse = ICProperty(
        name: "P8-guaranteed-response",
        statement: "For a guaranteed-response call, the caller never gets SYS_UNKNOWN, and if the callee responded, the caller gets exactly that response.",
        callKinds: [.guaranteed, .smallGuaranteed],
        mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: []), monitor: DeliveryMonitor(.guaranteedResponse)
    ) { _, monitor in !monitor.violated }

    /// P9 (best-effort calls: the callee's response or SYS_UNKNOWN).
    public static let p9BestEffortResponse = ICProperty(
        name: "P9-best-effort-response",
        statement: "For a best-effort call whose callee responded, the caller gets that response or SYS_UNKNOWN, nothing else.",
        callKinds: [.bestEffort],
        mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: []), monitor: DeliveryMonitor(.bestEffortResponse)
    ) { _, monitor in !monitor.violated }

    /// P10 per call for the given kinds: accepted + refunded = attached once delivered. For
    /// kinds without best-effort calls the delivery step shows all it needs
    /// (`DeliveryMonitor`); best-effort calls can lose their answer before the caller hears of
    /// it, and `DroppedCallsMonitor` remembers what that answer refunded.
    public static func p10PerCallConservation(kinds: [CallKind], name: String) -> ICProperty {
        let statement = "For every delivered \(kinds.map(\.rawValue).joined(separator: "/")) call, the cycles the callee accepted plus the cycles refunded equal the cycles attached."
        let rule = DeliveryMonitor.Rule.cyclesConserved(kinds: Set(kinds))
        guard kinds.contains(.bestEffort) else {
            return ICProperty(
                name: name, statement: statement, callKinds: kinds, mentions: .symmetric, observesContextRemoval: false,
                reads: .canisters(fields: []), monitor: DeliveryMonitor(rule)
            ) { _, monitor in !monitor.violated }
        }
        return ICProperty(
            name: name, statement: statement, callKinds: kinds, mentions: .symmetric, observesContextRemoval: false,
            reads: .canisters(fields: []), monitor: DroppedCallsMonitor(rule)
        ) { _, monitor in !monitor.violated }
    }

    /// P10 for guaranteed-response calls: holds on the IC.
    public static let p10GuaranteedCycles = p10PerCallConservation(
        kinds: [.guaranteed, .smallGuaranteed], name: "P10-guaranteed-cycles")

    /// P10 applied to every call kind: violated by best-effort calls (P11 says why).
    public static let p10AllKindsCycles = p10PerCallConservation(kinds: CallKind.allCases, name: "P10-all-kinds-cycles")

    /// P11 (best-effort cycles): P10 unless SYS_UNKNOWN; with SYS_UNKNOWN cycles may only be lost.
    public static let p11BestEffortCycles = ICProperty(
        name: "P11-best-effort-cycles",
        statement: "For a delivered best-effort call: unless the response is SYS_UNKNOWN, accepted + refunded = attached; with SYS_UNKNOWN, accepted + refunded ≤ attached (cycles may be lost, never created).",
        callKinds: [.bestEffort],
        mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: []), monitor: DeliveryMonitor(.bestEffortCycles)
    ) { _, monitor in !monitor.violated }

    // MARK: I1–I4

    public static let i1DeletedNotResponding = ICProperty(
        name: "I1-deleted-context-does-not-respond",
        statement: "A deleted call context never needs to respond.",
        observes: .none, mentions: .symmetric
    ) { view in view.contexts.allSatisfy { !$0.deleted || !$0.needsToRespond } }

    public static let i2AnsweredHoldsNoCycles = ICProperty(
        name: "I2-answered-context-holds-no-cycles",
        statement: "A call context that no longer needs to respond holds no cycles.",
        observes: .none, mentions: .symmetric
    ) { view in view.contexts.allSatisfy { $0.needsToRespond || $0.availableCycles == 0 } }

    public static let i3StoppedHasNoContexts = ICProperty(
        name: "I3-stopped-canister-has-no-contexts",
        statement: "A stopped canister has no call contexts, not even deleted ones.",
        observes: .none, mentions: .symmetric
    ) { view in
        view.contexts.allSatisfy { view.status(of: $0.canister) != .stopped }
    }

    /// I4, stated over what a view shows: the origin of every unanswered call context, and of
    /// every request and response of a guaranteed call, is still awaited by an open callback.
    public static let i4ReferencesExist = ICProperty(
        name: "I4-references-exist",
        statement: "Unexpired references exist: every unanswered call context, queued request and in-flight response of a guaranteed call belongs to an open callback.",
        mentions: .symmetric, monitor: CallbackClosureMonitor()
    ) { _, monitor in !monitor.closedTooEarly }

    // MARK: conservation and time

    /// Global conservation with the lost-cycles sink.
    public static let cyclesConservedWithSink = ICProperty(
        name: "cycles-conserved-with-sink",
        statement: "Balances + cycles in flight + cycles held by call contexts + lost cycles always equal the cycles at the start.",
        // Removing an answered context changes no sum: an answered context holds no cycles (I2),
        // so invisible steps apply (ContextRemovalAudit checks this on every library spec).
        observes: .none, mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: [], cycleSums: .withSink)
    ) { view in view.accountedCycles == view.initialTotalCycles }

    /// Global conservation without the sink: violated as soon as a best-effort message is lost.
    public static let cyclesConservedWithoutSink = ICProperty(
        name: "cycles-conserved-without-sink",
        statement: "No cycles ever leave the system: balances + in flight + held by contexts equal the cycles at the start.",
        observes: .none, mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: [], cycleSums: .withoutSink)
    ) { view in view.accountedCycles - view.lostCycles == view.initialTotalCycles }

    /// A best-effort call is answered by its deadline (over the model's clock).
    public static let bestEffortAnsweredByDeadline = ICProperty(
        name: "best-effort-answered-by-deadline",
        statement: "Once a best-effort call's deadline has passed, the caller has an answer: the call has expired or a SYS_UNKNOWN notice is on its way.",
        callKinds: [.bestEffort],
        observes: .none, mentions: .symmetric, observesContextRemoval: false
    ) { view in
        view.callbacks.allSatisfy { callback in
            guard callback.kind.isBestEffort, let deadline = callback.deadline, view.now > deadline, !callback.expired else { return true }
            return view.pendingResponses.contains { $0.call == callback.call && $0.response.rejectCode == .sysUnknown && $0.refund == 0 }
        }
    }

    // MARK: witnesses (reachability goals of behaviour the IC allows)

    /// Witness for "responses are not ordered" (P3 covers requests only): a newer call of a pair
    /// got its response while an older one of the same pair still awaits. Use with `sometimes`:
    /// `ResponseOrderMonitor` sees the first such delivery, the first state where the history's
    /// form ("some open callback has a later call of its pair delivered") holds.
    public static let responsesOutOfOrder = ICProperty(
        name: "responses-unordered",
        statement: "Some run delivers the response of a later call from A to B while an earlier call from A to B still awaits its response.",
        mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: []), monitor: ResponseOrderMonitor()
    ) { _, monitor in monitor.outOfOrder }

    // MARK: groups

    /// Everything the IC guarantees for every call kind: expected to hold under every fault switch.
    public static let guaranteed: [ICProperty] = [
        p1AtomicExecution, p2CallbacksHaveContexts, p3RequestOrder, p6AtMostOnceExecution, p7SingleResponse,
        p8GuaranteedResponse, p9BestEffortResponse, p10GuaranteedCycles, p11BestEffortCycles,
        i1DeletedNotResponding, i2AnsweredHoldsNoCycles, i3StoppedHasNoContexts, i4ReferencesExist,
        cyclesConservedWithSink, bestEffortAnsweredByDeadline,
    ]

    /// Claims the IC does not make (expected to be violated when best-effort calls lose cycles).
    public static let notGuaranteed: [ICProperty] = [p10AllKindsCycles, cyclesConservedWithoutSink]

    /// Every named property, for lookup by name.
    public static var all: [ICProperty] { guaranteed + notGuaranteed + [responsesOutOfOrder] }

    /// The property called `name`, or `nil`.
    public static func named(_ name: String) -> ICProperty? { all.first { $0.name == name } }
}
