import ICCore

/// A canister that calls other canisters on its users' behalf: the caller side of the
/// message-property specs.
///
/// Methods (arguments: an `Order`):
/// - `call`: one call to `callee.work` of the given kind with `cycles` attached; the callback
///   records `tag` and answers the user with the callee's response.
/// - `callTwice`: two calls in one execution (tags 1 and 2), same callee, no cycles.
/// - `callEach`: one call per order of a list (`[Order]`), all in one execution, so that they
///   are in flight together.
public struct ClientProgram: CanisterProgram {
    /// What the user asks the client to do.
    public struct Order: PayloadValue, CustomStringConvertible {
        public var callee: CanisterId
        public var kind: CallKind
        public var cycles: Cycles
        public var tag: Int

        public init(_ kind: CallKind, to callee: CanisterId, cycles: Cycles = 0, tag: Int = 1) {
            self.callee = callee
            self.kind = kind
            self.cycles = cycles
            self.tag = tag
        }

        public var description: String {
            "\(kind) to \(callee)" + (cycles == 0 ? "" : ", \(cycles) cycles") + (tag == 1 ? "" : ", tag \(tag)")
        }
    }

    public struct State: CanisterState {
        /// Calls performed.
        public var sent = 0
        /// Tags of the callbacks, in the order they ran.
        public var received: [Int] = []
        /// Calls refused synchronously (`call_perform` failed).
        public var syncFailures = 0
    }

    public enum Continuation: ContinuationValue {
        case response(tag: Int)
    }

    /// Best-effort timeout in model seconds.
    public let timeout: Time

    public init(timeout: Time = 1) { self.timeout = timeout }

    public var name: String { "client" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "call":
            let order = try call.arguments(as: Order.self)
            try send(to: order.callee, kind: order.kind, cycles: order.cycles, tag: order.tag, in: &execution)
        case "callTwice":
            let order = try call.arguments(as: Order.self)
            try send(to: order.callee, kind: order.kind, cycles: 0, tag: 1, in: &execution)
            try send(to: order.callee, kind: order.kind, cycles: 0, tag: 2, in: &execution)
        case "callEach":
            for order in try call.arguments(as: [Order].self) {
                try send(to: order.callee, kind: order.kind, cycles: order.cycles, tag: order.tag, in: &execution)
            }
        default:
            try execution.reject("no method \(call.method)")
        }
    }

    private func send(
        to callee: CanisterId, kind: CallKind, cycles: Cycles, tag: Int, in execution: inout Execution<State, Continuation>
    ) throws {
        let result = try execution.call(
            callee, "work", cycles: cycles, kind: kind, timeout: timeout, then: .response(tag: tag))
        if result.succeeded {
            execution.state.sent += 1
        } else {
            execution.state.syncFailures += 1
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        guard case .response(let tag) = continuation else { return }
        execution.state.received.append(tag)
        if execution.context.needsToRespond {
            switch response {
            case .reply(let payload): try execution.reply(payload)
            case .reject(let code, _): try execution.reject("callee: \(code)")
            }
        }
    }
}

/// A callee that does a little work per call: the server side of the message-property specs.
///
/// `work`: increments `counter`, accepts none or all of the attached cycles (a choice), then
/// replies with the new counter value or rejects (a choice). Every choice is explored.
public struct ServerProgram: CanisterProgram {
    public struct State: CanisterState {
        /// Completed `work` executions (a trapped execution leaves no trace, P5).
        public var counter = 0
    }

    public enum Continuation: ContinuationValue { case none }

    /// Whether `work` may reject (otherwise it always replies).
    public let mayReject: Bool
    /// Whether `work` chooses how many cycles to accept (otherwise it accepts all).
    public let choosesAcceptance: Bool

    public init(mayReject: Bool = true, choosesAcceptance: Bool = true) {
        self.mayReject = mayReject
        self.choosesAcceptance = choosesAcceptance
    }

    public var name: String { "server" }
    public var initialState: State { State() }
    /// The server only answers: it calls no one.
    public var callees: Set<CanisterId>? { [] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        guard call.method == "work" else {
            try execution.reject("no method \(call.method)")
            return
        }
        execution.state.counter += 1
        let acceptAll = choosesAcceptance ? try execution.choose(2) == 1 : true
        if acceptAll { execution.accept(execution.availableCycles) }
        if mayReject, try execution.choose(2) == 1 {
            try execution.reject("declined")
        } else {
            try execution.reply(execution.state.counter)
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}
