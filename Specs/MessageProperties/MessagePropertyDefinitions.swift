import ICCore

/// The message-execution properties P1-P11 (ic-semantics.md §5) as `ICProperty` values over the
/// ghost call history every `ICView` keeps, plus the naive claims the IC does *not* make (so
/// that their specs can show the shortest counterexample).
///
/// P1, P2 and P5 speak about program state, so they are stated over the library's client and
/// server programs (`ClientProgram`, `ServerProgram`) at the canisters given.
public enum MessageProperties {
    /// P1: executions of one canister are atomic and sequential. Observable consequence: every
    /// reply of the server carries a distinct counter value, and none exceeds the counter
    /// (no two executions interleave on the read-modify-write).
    public static func p1AtomicExecution(server: CanisterId) -> ICProperty {
        ICProperty(name: "P1-atomic-execution", statement: "Each server reply carries a distinct counter value ≤ the counter.") { view in
            guard let state = view.programState(of: server, as: ServerProgram.State.self) else { return false }
            let values = view.history.calls.values.filter { $0.callee == server }.compactMap { record -> Int? in
                if case .reply(let payload) = record.calleeResponse { return payload.first }
                return nil
            }
            return Set(values).count == values.count && values.allSatisfy { $0 >= 1 && $0 <= state.counter }
        }
    }

    /// The naive reading P2 refutes: "a method runs to completion in one step, across its
    /// awaits". On the IC the callback is a separate execution, so the client is seen with a
    /// call performed and its response not yet processed.
    public static func naiveAtomicAcrossAwait(client: CanisterId) -> ICProperty {
        ICProperty(name: "method-atomic-across-await", statement: "Every call the client made has been processed by its callback.") { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            return state.sent == state.received.count
        }
    }

    /// P2 as an invariant: every callback run belongs to exactly one call performed earlier
    /// (the code after `await` runs once, as its own execution, after the call).
    public static func p2CallbackPerCall(client: CanisterId) -> ICProperty {
        ICProperty(name: "P2-one-callback-per-call", statement: "The client never ran more callbacks than it made calls.") { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            let delivered = view.calls(by: client).filter { !$0.record.deliveredResponses.isEmpty }.count
            return state.received.count <= state.sent && state.received.count <= delivered
        }
    }

    /// P3: requests between one pair start executing in the order they were sent.
    public static let p3RequestOrder = ICProperty(
        name: "P3-request-order", statement: "Per caller-callee pair, requests start executing in sending order."
    ) { view in
        view.history.started.allSatisfy { pair, started in
            let sent = view.history.sent[pair] ?? []
            let positions = started.compactMap { sent.firstIndex(of: $0) }
            return positions.count == started.count && zip(positions, positions.dropFirst()).allSatisfy { $0 < $1 }
        }
    }

    /// The naive claim P4 refutes: "callbacks run in the order the calls were sent".
    public static func naiveResponseOrder(client: CanisterId) -> ICProperty {
        ICProperty(name: "responses-in-send-order", statement: "The client's callbacks run in the order its calls were sent.") { view in
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { return false }
            return state.received == state.received.sorted()
        }
    }

    /// P5: a trapped execution leaves no trace: the server's counter equals the number of
    /// responses its code produced (a trap discards both the increment and the response).
    public static func p5TrapRollback(server: CanisterId) -> ICProperty {
        ICProperty(name: "P5-trap-rollback", statement: "The server's counter counts exactly the executions that responded.") { view in
            guard let state = view.programState(of: server, as: ServerProgram.State.self) else { return false }
            let responded = view.history.calls.values.filter { $0.callee == server && $0.calleeResponse != nil }.count
            return state.counter == responded
        }
    }

    /// P6: a request is executed at most once.
    public static let p6AtMostOnce = ICProperty(
        name: "P6-at-most-once-execution", statement: "Every request creates at most one call context at its callee."
    ) { view in
        view.history.calls.values.allSatisfy { $0.executions <= 1 }
    }

    /// P7: each call gets at most one response (its callback runs at most once).
    public static let p7SingleResponse = ICProperty(
        name: "P7-single-response", statement: "Every call's response is delivered at most once."
    ) { view in
        view.history.calls.values.allSatisfy { $0.deliveredResponses.count <= 1 }
    }

    /// P8: guaranteed-response calls: the caller gets the callee's response if the callee
    /// produced one, and a reject is never SYS_UNKNOWN.
    public static func p8GuaranteedResponse(kinds: [CallKind] = [.guaranteed, .smallGuaranteed]) -> ICProperty {
        ICProperty(
            name: kinds.contains(.bestEffort) ? "callee-response-reaches-caller" : "P8-guaranteed-response",
            statement: "If the callee responded, the caller gets exactly that response; never SYS_UNKNOWN.",
            callKinds: kinds
        ) { view in
            view.history.calls.values.allSatisfy { record in
                guard kinds.contains(record.kind), let delivered = record.deliveredResponse else { return true }
                if delivered.rejectCode == .sysUnknown { return false }
                if let produced = record.calleeResponse { return delivered == produced }
                return true
            }
        }
    }

    /// P9: best-effort calls: if the callee responded, the caller gets that response or
    /// SYS_UNKNOWN; a SYS_UNKNOWN is only ever seen on best-effort calls.
    public static let p9BestEffortResponse = ICProperty(
        name: "P9-best-effort-response",
        statement: "A best-effort caller gets the callee's response or SYS_UNKNOWN, nothing else.",
        callKinds: [.bestEffort]
    ) { view in
        view.history.calls.values.allSatisfy { record in
            guard let delivered = record.deliveredResponse else { return true }
            if delivered.rejectCode == .sysUnknown { return record.kind.isBestEffort }
            if record.kind.isBestEffort, let produced = record.calleeResponse { return delivered == produced }
            return true
        }
    }

    /// P10: per-call cycle conservation: once the response is delivered, accepted + refunded =
    /// attached. Promised for guaranteed-response calls only; `kinds` chooses which to check.
    public static func p10CycleConservation(kinds: [CallKind] = [.guaranteed, .smallGuaranteed]) -> ICProperty {
        ICProperty(
            name: kinds.contains(.bestEffort) ? "P10-cycles-conserved-all-kinds" : "P10-cycles-conserved",
            statement: "For every answered call, cycles accepted by the callee + refunded to the caller = attached.",
            callKinds: kinds
        ) { view in
            view.history.calls.values.allSatisfy { record in
                guard kinds.contains(record.kind), record.deliveredResponse != nil else { return true }
                return record.accepted + record.refunded == record.attached
            }
        }
    }

    /// P11: best-effort calls may lose cycles, but only with SYS_UNKNOWN: any other response
    /// conserves them; SYS_UNKNOWN refunds nothing; and globally, with the lost-cycles sink,
    /// no cycle is created or destroyed.
    public static let p11BestEffortCycles = ICProperty(
        name: "P11-best-effort-cycles",
        statement: "Best-effort: SYS_UNKNOWN refunds 0; any other response conserves cycles; globally balances + in flight + lost = initial.",
        callKinds: [.bestEffort]
    ) { view in
        let perCall = view.history.calls.values.allSatisfy { record in
            guard record.kind.isBestEffort, let delivered = record.deliveredResponse else { return true }
            if delivered.rejectCode == .sysUnknown {
                return record.refunded == 0 && record.accepted <= record.attached
            }
            return record.accepted + record.refunded == record.attached
        }
        return perCall && view.accountedCycles == view.initialTotalCycles
    }
}
