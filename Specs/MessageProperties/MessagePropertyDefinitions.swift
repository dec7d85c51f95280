import ICCore
import ICMessaging

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
            mentions: .only([server]), observesContextRemoval: false, reads: .canisters(fields: [server]),
            monitor: RepliedValuesMonitor(server: server)
        ) { view, monitor in
            guard let state = view.programState(of: server, as: ServerProgram.State.self) else { return false }
            return !monitor.repeated && monitor.values.allSatisfy { $0 >= 1 && $0 <= state.counter }
        }
    }

    /// The naive reading P2 refutes: "a method runs to completion in one step, across its
    /// awaits". On the IC the callback is a separate execution, so the client is seen with a
    /// call performed and its response not yet processed.
    public static func naiveAtomicAcrossAwait(client: CanisterId) -> ICProperty {
        ICProperty(
            name: "method-atomic-across-await", statement: "Every call the client made has been processed by its callback.", observes: .none,
            observesContextRemoval: false, reads: .canisters(fields: [client])
        ) { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            return state.sent == state.received.count
        }
    }

    /// P2 as an invariant: every callback run belongs to exactly one call performed earlier
    /// (the code after `await` runs once, as its own execution, after the call). The calls
    /// whose response was delivered are those the client made (`sent`: each successful call
    /// opens one callback) less those whose callback is still open (a callback closes only when
    /// its call's response is delivered), so the state shows them without the ghost history.
    public static func p2CallbackPerCall(client: CanisterId) -> ICProperty {
        ICProperty(
            name: "P2-one-callback-per-call", statement: "The client never ran more callbacks than it made calls.", observes: .none,
            mentions: .only([client]), observesContextRemoval: false, reads: .canisters(fields: [client], callbacks: [client])
        ) { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            return ranNoExtraCallback(state, client: client, in: view)
        }
    }

    /// P2 for every client at once (every canister running `ClientProgram`): the clients are
    /// treated alike, so the property allows symmetry reduction over them.
    public static let p2CallbackPerCallEveryClient = ICProperty(
        name: "P2-one-callback-per-call", statement: "No client ever ran more callbacks than it made calls.",
        observes: .none, mentions: .symmetric, observesContextRemoval: false, reads: .canisters(fields: nil, callbacks: nil)
    ) { view in
        for client in view.canisterIds {
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { continue }
            guard ranNoExtraCallback(state, client: client, in: view) else { return false }
        }
        return true
    }

    /// Whether `client` ran no more callbacks than it made calls, nor than it got responses
    /// (`sent` less its open callbacks).
    static func ranNoExtraCallback(_ state: ClientProgram.State, client: CanisterId, in view: any ICView) -> Bool {
        let open = view.callbacks.lazy.filter { $0.call.caller == client }.count
        return state.received.count <= state.sent && state.received.count <= state.sent - open
    }

    /// The naive claim P4 refutes: "callbacks run in the order the calls were sent".
    public static func naiveResponseOrder(client: CanisterId) -> ICProperty {
        ICProperty(
            name: "responses-in-send-order", statement: "The client's callbacks run in the order its calls were sent.", observes: .none,
            observesContextRemoval: false, reads: .canisters(fields: [client])
        ) { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            return state.received == state.received.sorted()
        }
    }

    /// P5: a trapped execution leaves no trace: the server's counter equals the number of
    /// responses its code produced (a trap discards both the increment and the response), which
    /// `AnsweredCallsMonitor` counts.
    public static func p5TrapRollback(server: CanisterId) -> ICProperty {
        ICProperty(
            name: "P5-trap-rollback", statement: "The server's counter counts exactly the executions that responded.",
            mentions: .only([server]), observesContextRemoval: false, reads: .canisters(fields: [server]),
            monitor: AnsweredCallsMonitor(callee: server)
        ) { view, monitor in
            guard let state = view.programState(of: server, as: ServerProgram.State.self) else { return false }
            return state.counter == monitor.answered
        }
    }
}
