import ICCore
import ICSpec

/// Pub/sub with catch-up (the forum's ask): a publisher broadcasts numbered events as one-way
/// best-effort calls; subscribers that see a gap ask for the missing events. Three subscriber
/// designs, one spec each, sized by `subscribers` and `events`.
public enum BroadcastSpecs {
    /// Every subscriber's applied events are 0, 1, 2, … with no gap and no duplicate.
    static let gapFree = ICProperty(
        name: "applied-gap-free",
        statement: "Every subscriber applies events in publication order, with no gap and no duplicate.",
        callKinds: [.bestEffort, .guaranteed], observes: .none, mentions: .only([0]), observesContextRemoval: false,
        reads: .canisters(fields: nil)
    ) { view in
        view.canisterIds.dropFirst().allSatisfy { subscriber in
            guard let state = view.programState(of: subscriber, as: BroadcastSubscriber.State.self) else { return true }
            return state.applied.enumerated().allSatisfy { $0.offset == $0.element }
        }
    }

    /// Some subscriber has heard of an event it has not applied.
    static func behind(_ view: any ICView) -> Bool {
        view.canisterIds.dropFirst().contains { subscriber in
            guard let state = view.programState(of: subscriber, as: BroadcastSubscriber.State.self) else { return false }
            return state.heardOf > state.applied.count
        }
    }

    /// Whenever a subscriber has heard of an event it has not applied, eventually every
    /// subscriber has applied every event it heard of (so each such event gets applied).
    static let eventuallyApplied = ICLivenessProperty(
        name: "heard-of-events-eventually-applied",
        statement: "Every published event a subscriber has heard of (it received that event or a later one) is eventually applied.",
        observes: .none, observesContextRemoval: false, reads: .canisters(fields: nil), premise: { behind($0) }, goal: { !behind($0) })

    /// C0 publishes `events` events to C1…C`subscribers`; lossy best-effort delivery, clock up to 1 s.
    static func configuration(_ recovery: BroadcastSubscriber.Recovery, subscribers: Int, events: Int) -> SystemConfiguration {
        let ids = (1 ... max(subscribers, 1)).map { CanisterId($0) }
        return SystemConfiguration(
            canisters: [CanisterSetup(BroadcastPublisher(subscribers: ids))]
                + ids.map { _ in CanisterSetup(BroadcastSubscriber(publisher: 0, recovery: recovery)) },
            ingress: (0 ..< max(events, 1)).map { _ in IngressMessage(to: 0, "publish") },
            faults: FaultSwitches(dropBestEffort: true), limits: MessagingLimits(maxTime: 0))
    }

    static let environment = "Environment: lossy (load shedding may drop any best-effort message, and a best-effort call may expire early); the guaranteed `catchUp` calls are always answered. Clock up to 1 s, event timeout 1 s. Liveness is checked under weak fairness of the system's own steps (deliveries, executions, expiry, clock ticks); drops are not forced, and the users' publish calls need not all be sent. An event whose message is lost after which nothing is published cannot be noticed without polling, so the claim is about the events a subscriber has heard of (it received that event or a later one)."

    static func spec(_ recovery: BroadcastSubscriber.Recovery, subscribers: Int, events: Int) -> Spec {
        let bounds = "Bounds: publisher C0, \(subscribers) subscriber(s), \(events) publish call(s)."
        let (name, summary, design, expectation): (String, String, String, Spec.Expectation)
        switch recovery {
        case .none:
            (name, summary, expectation) = (
                "PS1-broadcast-without-catch-up",
                "A subscriber that only applies events in order never applies one whose message was dropped.",
                .violated(property: eventuallyApplied.name))
            design = "Design: the subscriber applies an event when it is the next one and ignores any other; it has no catch-up. A dropped event is never applied, though the later events tell the subscriber that it exists. Expected: violated (heard-of-events-eventually-applied), with a run that ends with the subscriber behind for ever."
        case .naive:
            (name, summary, expectation) = (
                "PS2-broadcast-naive-catch-up",
                "Naive catch-up: an event that arrives while a catch-up is outstanding is ignored and never applied.",
                .violated(property: eventuallyApplied.name))
            design = "Design: on a gap the subscriber calls `catchUp(next)` (guaranteed-response) on C0, ignores every event that arrives while that call is outstanding, and applies the response's events. The response holds only the events published before C0 executed `catchUp`; an event published later whose message arrives during the catch-up is ignored, and if no later event reveals a new gap it is never applied. Expected: violated (heard-of-events-eventually-applied): a lasso that ends with the subscriber behind for ever (safety holds)."
        case .robust:
            (name, summary, expectation) = (
                "PS3-broadcast-robust-catch-up",
                "Robust catch-up: events stay gap-free and duplicate-free, and every event heard of is eventually applied.",
                .holds)
            design = "Design: as the naive catch-up, but the subscriber also applies the next event while a catch-up is outstanding, remembers the newest event it heard of, and when the response arrives catches up again while it is still behind. Expected: holds (both claims)."
        }
        var spec = Spec(
            name: name, summary: summary,
            details: "The forum's pub/sub ask. C0 publishes numbered events, sending each to every subscriber as a one-way best-effort call (`notify`, timeout 1 s), so it never learns what arrived. Claims: safety, every subscriber's applied events are 0, 1, 2, … (no gap, no duplicate); liveness, every event a subscriber has heard of is eventually applied. \(design) \(environment) \(bounds)",
            category: .application, callKinds: [.bestEffort, .guaranteed],
            configuration: configuration(recovery, subscribers: subscribers, events: events),
            properties: [gapFree], livenessProperties: [eventuallyApplied], expectation: expectation)
        spec.reductions = [.canonicalCallIds]
        // The subscribers are interchangeable: same program, state and balance, no ingress.
        if subscribers >= 2 { spec.symmetryGroups = [(1 ... subscribers).map { CanisterId($0) }] }
        return spec
    }

    /// The three designs as catalogue entries with parameters `subscribers` and `events`; the
    /// defaults are the smallest sizes that show each verdict.
    public static var entries: [SpecCatalog.Entry] {
        [BroadcastSubscriber.Recovery.none, .naive, .robust].map { recovery in
            let name = spec(recovery, subscribers: 1, events: 1).name
            let defaultEvents = recovery == .none ? 2 : 3
            return SpecCatalog.Entry(
                name: name,
                parameters: [
                    SpecParameter("subscribers", summary: "subscriber canisters", range: 1 ... 3, default: 1),
                    SpecParameter("events", summary: "events published", range: 1 ... 4, default: defaultEvents),
                ]
            ) { values in
                spec(recovery, subscribers: values["subscribers"] ?? 1, events: values["events"] ?? defaultEvents)
            }
        }
    }
}
