import ICCore

/// A publisher that broadcasts numbered events to its subscribers as one-way best-effort calls
/// (`notify`: it never learns whether one arrived) and answers `catchUp(from)` with the events
/// it has published from `from` on.
public struct BroadcastPublisher: CanisterProgram {
    public struct State: CanisterState {
        /// Events published so far: event `k` is the number `k`, so the count says it all.
        public var published = 0
    }

    public enum Continuation: ContinuationValue { case none }

    public let subscribers: [CanisterId]

    public init(subscribers: [CanisterId]) { self.subscribers = subscribers }

    public var name: String { "publisher" }
    public var initialState: State { State() }
    /// Declared for partial-order reduction (`icmc check --por`).
    public var callees: Set<CanisterId>? { Set(subscribers) }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "publish":
            let event = execution.state.published
            execution.state.published += 1
            for subscriber in subscribers {
                try execution.notify(subscriber, "event", arguments: event, timeout: 1)
            }
            try execution.reply()
        case "catchUp":
            let from = try call.arguments(as: Int.self)
            try execution.reply(Array(max(from, 0) ..< execution.state.published))
        default:
            try execution.reject("unknown method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}

/// A subscriber that applies events in publication order. How it recovers a lost event is its
/// `recovery`; the three kinds are the forum thread's designs, from none to a correct one.
public struct BroadcastSubscriber: CanisterProgram {
    /// What a subscriber does about a gap (an event arrives before an earlier one).
    public enum Recovery: String, Sendable {
        /// Nothing: an event that arrives out of order is ignored, a lost one is never applied.
        case none
        /// On a gap, call `catchUp(next)` (guaranteed); events that arrive while it is
        /// outstanding are ignored, and the response is applied and forgotten.
        case naive
        /// As `naive`, but the response handler compares what it applied with the newest event
        /// the subscriber has heard of and catches up again while it is behind.
        case robust
    }

    public struct State: CanisterState {
        /// The events applied, in the order applied.
        public var applied: [Int] = []
        /// One more than the newest event number this subscriber has received (0: none yet).
        /// Only `robust` acts on it; for the others it is a ghost the liveness claim reads.
        public var heardOf = 0
        public var catchingUp = false
    }

    public enum Continuation: ContinuationValue { case caughtUp }

    public let publisher: CanisterId
    public let recovery: Recovery

    public init(publisher: CanisterId, recovery: Recovery) {
        self.publisher = publisher
        self.recovery = recovery
    }

    public var name: String { "subscriber(\(recovery.rawValue))" }
    public var initialState: State { State() }
    /// Declared for partial-order reduction (`icmc check --por`).
    public var callees: Set<CanisterId>? { [publisher] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let event = try call.arguments(as: Int.self)
        execution.state.heardOf = max(execution.state.heardOf, event + 1)
        let next = execution.state.applied.count
        if event == next, !(recovery == .naive && execution.state.catchingUp) {
            execution.state.applied.append(event)
        } else if event > next, recovery != .none, !execution.state.catchingUp {
            try catchUp(in: &execution)
        }
        try execution.reply()
    }

    private func catchUp(in execution: inout Execution<State, Continuation>) throws {
        let result = try execution.call(publisher, "catchUp", arguments: execution.state.applied.count, then: .caughtUp)
        execution.state.catchingUp = result.succeeded
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        execution.state.catchingUp = false
        for event in response.payload(as: [Int].self) ?? [] where event == execution.state.applied.count {
            execution.state.applied.append(event)
        }
        if recovery == .robust, execution.state.heardOf > execution.state.applied.count {
            try catchUp(in: &execution)
        }
    }
}
