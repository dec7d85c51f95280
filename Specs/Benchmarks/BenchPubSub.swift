import ICCore
import ICSpec

/// A publisher that sends numbered events to its subscribers as best-effort calls whose
/// responses it ignores, and answers catch-up requests with the events it has published.
public struct PubSubPublisher: CanisterProgram {
    public struct State: CanisterState {
        /// Events published so far: event `k` is the number `k`, so the count says it all.
        public var published = 0
    }

    public enum Continuation: ContinuationValue { case delivered }

    public let subscribers: [CanisterId]

    public var name: String { "publisher" }
    /// It calls only its subscribers (declared for partial-order reduction).
    public var callees: Set<CanisterId>? { Set(subscribers) }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "publish":
            let event = execution.state.published
            execution.state.published += 1
            for subscriber in subscribers {
                try execution.call(subscriber, "event", arguments: event, kind: .bestEffort, timeout: 1, then: .delivered)
            }
            try execution.reply()
        case "catchUp":
            let from = try call.arguments(as: Int.self)
            try execution.reply(Array(max(from, 0) ..< execution.state.published))
        default:
            try execution.reject("unknown method \(call.method)")
        }
    }

    /// The event's delivery outcome does not matter to the publisher (a one-way send).
    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}

/// A subscriber that applies events in order and, on seeing a gap, asks the publisher for the
/// missing ones with a guaranteed-response call (one catch-up at a time).
public struct PubSubSubscriber: CanisterProgram {
    public struct State: CanisterState {
        /// The events applied, in the order applied.
        public var applied: [Int] = []
        public var catchingUp = false
    }

    public enum Continuation: ContinuationValue { case catchUp }

    public let publisher: CanisterId

    public var name: String { "subscriber" }
    /// It calls only the publisher.
    public var callees: Set<CanisterId>? { [publisher] }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let event = try call.arguments(as: Int.self)
        let next = execution.state.applied.count
        if event == next {
            execution.state.applied.append(event)
        } else if event > next, !execution.state.catchingUp {
            let result = try execution.call(publisher, "catchUp", arguments: next, then: .catchUp)
            execution.state.catchingUp = result.succeeded
        }
        try execution.reply()
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        execution.state.catchingUp = false
        guard let events = response.payload(as: [Int].self) else { return }
        for event in events where event == execution.state.applied.count {
            execution.state.applied.append(event)
        }
    }
}

/// `bench-pubsub`: the protocol a new user writes first, as a benchmark of the IC model.
///
/// It is the workload issue measurements quote: a publisher (C0) and `subscribers` subscribers,
/// `events` publish ingress messages, lossy best-effort delivery, one safety property.
public enum BenchPubSub {
    /// Every subscriber's applied events are 0, 1, 2, … with no gap and no duplicate.
    public static let gapFree = ICProperty(
        name: "pubsub-gap-free",
        statement: "Every subscriber applies events in publication order, with no gap and no duplicate.",
        callKinds: [.bestEffort, .guaranteed], observes: .none, mentions: .only([0]), observesContextRemoval: false,
        reads: .canisters(fields: nil)
    ) { view in
        view.canisterIds.dropFirst().allSatisfy { subscriber in
            guard let state = view.programState(of: subscriber, as: PubSubSubscriber.State.self) else { return true }
            return state.applied.enumerated().allSatisfy { $0.offset == $0.element }
        }
    }

    /// The configuration: C0 publishes, C1…Cn subscribe; the clock runs up to 3 s (timeouts 1 s).
    public static func configuration(subscribers: Int, events: Int) -> SystemConfiguration {
        let subscriberIds = (1 ... max(subscribers, 1)).map { CanisterId($0) }
        return SystemConfiguration(
            canisters: [CanisterSetup(PubSubPublisher(subscribers: subscriberIds))]
                + subscriberIds.map { _ in CanisterSetup(PubSubSubscriber(publisher: 0)) },
            ingress: (0 ..< max(events, 1)).map { _ in IngressMessage(to: 0, "publish") },
            faults: .lossy, limits: MessagingLimits(maxTime: 3))
    }

    /// The benchmark spec for the given size (it holds: subscribers apply events only in order).
    public static func spec(subscribers: Int, events: Int) -> Spec {
        var spec = Spec(
            name: "bench-pubsub",
            summary: "Benchmark: a publisher broadcasts events to subscribers over lossy best-effort calls; gaps are caught up.",
            details: "Benchmark workload (not a guarantee). C0 publishes \(events) event(s) to \(subscribers) subscriber(s) with best-effort calls (timeout 1 s) whose responses it ignores; a subscriber that sees a gap calls catchUp(from) on C0 with a guaranteed call and applies the missing events. Claim: every subscriber's applied events are gap-free and duplicate-free. Environment: lossy (best-effort drops, early expiry); clock up to 3 s. Expected: holds.",
            category: .application, callKinds: [.bestEffort, .guaranteed],
            configuration: configuration(subscribers: subscribers, events: events),
            properties: [gapFree], expectation: .holds, maxStates: nil)
        // The subscribers are interchangeable: same program, state and balance, no ingress.
        let count = max(subscribers, 1)
        spec.symmetryGroups = count >= 2 ? [(1 ... count).map { CanisterId($0) }] : []
        return spec
    }
}
