import ICCore

/// Program-level forms of P1, P2 and P5 (stated over the library's `ClientProgram` and
/// `ServerProgram` at the canisters given), and the naive claims the IC does *not* make, so that
/// their specs show the shortest counterexample. The history-level properties are
/// ICMessaging's standard `ICProperties`.
public enum MessageProperties {
    /// P1: executions of one canister are atomic and sequential. Observable consequence: every
    /// reply of the server carries a distinct counter value, and none exceeds the counter
    /// (no two executions interleave on the read-modify-write).
    public static func p1AtomicExecution(server: CanisterId) -> ICProperty {
        ICProperty(
            name: "P1-no-lost-update", statement: "Each server reply carries a distinct counter value ≤ the counter.",
            mentions: .only([server]), observesContextRemoval: false, monitor: RepliedValuesMonitor(server: server)
        ) { view, monitor in
            guard let state = view.programState(of: server, as: ServerProgram.State.self) else { return false }
            return !monitor.repeated && monitor.values.allSatisfy { $0 >= 1 && $0 <= state.counter }
        }
    }

    /// The naive reading P2 refutes: "a method runs to completion in one step, across its
    /// awaits". On the IC the callback is a separate execution, so the client is seen with a
    /// call performed and its response not yet processed.
    public static func naiveAtomicAcrossAwait(client: CanisterId) -> ICProperty {
        ICProperty(name: "method-atomic-across-await", statement: "Every call the client made has been processed by its callback.", observes: .none, observesContextRemoval: false) { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            return state.sent == state.received.count
        }
    }

    /// P2 as an invariant: every callback run belongs to exactly one call performed earlier
    /// (the code after `await` runs once, as its own execution, after the call).
    public static func p2CallbackPerCall(client: CanisterId) -> ICProperty {
        ICProperty(name: "P2-one-callback-per-call", statement: "The client never ran more callbacks than it made calls.", observes: .calls, observesContextRemoval: false) { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            let delivered = view.calls(by: client).filter { !$0.record.deliveredResponses.isEmpty }.count
            return state.received.count <= state.sent && state.received.count <= delivered
        }
    }

    /// P2 for every client at once (every canister running `ClientProgram`): the clients are
    /// treated alike, so the property allows symmetry reduction over them.
    public static let p2CallbackPerCallEveryClient = ICProperty(
        name: "P2-one-callback-per-call", statement: "No client ever ran more callbacks than it made calls.",
        observes: .calls, mentions: .symmetric, observesContextRemoval: false
    ) { view in
        for client in view.canisterIds {
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { continue }
            var delivered = 0
            for (id, record) in view.history.calls where id.caller == client && !record.deliveredResponses.isEmpty { delivered += 1 }
            guard state.received.count <= state.sent, state.received.count <= delivered else { return false }
        }
        return true
    }

    /// The naive claim P4 refutes: "callbacks run in the order the calls were sent".
    public static func naiveResponseOrder(client: CanisterId) -> ICProperty {
        ICProperty(name: "responses-in-send-order", statement: "The client's callbacks run in the order its calls were sent.", observes: .none, observesContextRemoval: false) { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            return state.received == state.received.sorted()
        }
    }

    /// P5: a trapped execution leaves no trace: the server's counter equals the number of
    /// responses its code produced (a trap discards both the increment and the response).
    public static func p5TrapRollback(server: CanisterId) -> ICProperty {
        ICProperty(name: "P5-trap-rollback", statement: "The server's counter counts exactly the executions that responded.", observes: .calls, mentions: .only([server]), observesContextRemoval: false) { view in
            guard let state = view.programState(of: server, as: ServerProgram.State.self) else { return false }
            let responded = view.history.calls.values.filter { $0.callee == server && $0.calleeResponse != nil }.count
            return state.counter == responded
        }
    }
}
