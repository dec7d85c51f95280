import ICCore
import ICSpec

/// A counter canister: `get` answers the value, `set(v)` stores `v`, `increment` adds one and
/// answers the new value (values are `Int`s).
public struct CounterServer: CanisterProgram {
    public struct State: CanisterState {
        public var value = 0
    }

    public enum Continuation: ContinuationValue { case none }

    public var name: String { "counter" }
    public var initialState: State { State() }
    /// The counter only answers: it calls no one.
    public var callees: Set<CanisterId>? { [] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "get": try execution.reply(execution.state.value)
        case "set":
            execution.state.value = try call.arguments(as: Int.self)
            try execution.reply()
        case "increment":
            execution.state.value += 1
            try execution.reply(execution.state.value)
        default: try execution.reject("no method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}

/// A client that bumps the shared counter once, on its user's `bump`: with one `increment`
/// call (atomic), or by reading the value and writing it back plus one in a second call (a
/// read-modify-write across an await, which other clients can interleave).
public struct CounterClient: CanisterProgram {
    public struct State: CanisterState {
        /// The bump is done (the write or increment was answered).
        public var done = false
    }

    public enum Continuation: ContinuationValue { case read, written }

    public let server: CanisterId
    public let atomic: Bool

    public var name: String { atomic ? "counter-client" : "counter-client(read-write)" }
    public var initialState: State { State() }
    public var callees: Set<CanisterId>? { [server] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let result = try execution.call(server, atomic ? "increment" : "get", then: atomic ? .written : .read)
        if !result.succeeded { try execution.reject("counter unreachable") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        guard response.isReply else { return try execution.reject("counter failed") }
        switch continuation {
        case .read:
            guard let value = response.payload(as: Int.self) else { try execution.trap("the counter answered \(response)") }
            let result = try execution.call(server, "set", arguments: value + 1, then: .written)
            if !result.succeeded { try execution.reject("counter unreachable") }
        case .written:
            execution.state.done = true
            try execution.reply()
        }
    }
}

/// Two identical clients (C1, C2) bump a shared counter (C0) once each: the library's spec
/// with a declared symmetry between identical clients.
public enum SharedCounterSpecs {
    /// Once every client's bump is done, the counter counts every bump.
    public static let noLostUpdate = ICProperty(
        name: "no-lost-update",
        statement: "Once every client's bump is done, the counter equals the number of clients.",
        callKinds: [.guaranteed], observes: .none, mentions: .only([0]), observesContextRemoval: false,
        reads: .canisters(fields: nil)
    ) { view in
        let clients = view.canisterIds.dropFirst()
        let done = clients.allSatisfy { view.programState(of: $0, as: CounterClient.State.self)?.done ?? false }
        guard done, let counter = view.programState(of: 0, as: CounterServer.State.self) else { return true }
        return counter.value == clients.count
    }

    static func configuration(atomic: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(CounterServer())] + (1 ... 2).map { _ in CanisterSetup(CounterClient(server: 0, atomic: atomic)) },
            ingress: [IngressMessage(to: 1, "bump"), IngressMessage(to: 2, "bump")])
    }

    public static var specs: [Spec] {
        var buggy = Spec(
            name: "SC-shared-counter-read-write",
            summary: "Two identical clients bump a counter by read-then-write across an await: one update is lost.",
            details: "Application. C1 and C2 run the same client; each, on its user's bump, calls get on the counter (C0) and, in the callback, calls set(value + 1). Between a client's get and its set the other client's calls can execute, so both may write 1. Claim: once both bumps are done, the counter is 2. Environment: benign; guaranteed calls. The clients are declared interchangeable (symmetry group C1, C2). Expected: violated (no-lost-update).",
            category: .application, callKinds: [.guaranteed], configuration: configuration(atomic: false),
            properties: [noLostUpdate], expectation: .violated(property: "no-lost-update"))
        buggy.symmetryGroups = [[1, 2]]
        var fixed = Spec(
            name: "SC-shared-counter-increment",
            summary: "Two identical clients bump a counter with one increment call each: no update is lost.",
            details: "Fix of SC-shared-counter-read-write: each client calls increment, which reads and writes the counter in one message execution (executions are atomic, P1). Claim: once both bumps are done, the counter is 2. Environment: benign; guaranteed calls. The clients are declared interchangeable (symmetry group C1, C2). Expected: holds.",
            category: .application, callKinds: [.guaranteed], configuration: configuration(atomic: true),
            properties: [noLostUpdate], expectation: .holds)
        fixed.symmetryGroups = [[1, 2]]
        return [buggy, fixed]
    }
}
