import ICCore
import ICMessaging
import Specs

/// The history-based forms of the properties that now use monitors, as they were stated over
/// the ghost `CallHistory`: the oracles the monitors are compared against.
enum HistoryOracles {
    static let p3RequestOrder = ICProperty(name: "P3-request-order (history)", statement: "", observes: .order) { view in
        view.history.started.allSatisfy { pair, started in
            let order = view.history.sent[pair] ?? []
            var position: [CallId: Int] = [:]
            for (index, call) in order.enumerated() { position[call] = index }
            let indices = started.map { position[$0] ?? -1 }
            return !indices.contains(-1) && zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 }
        }
    }

    static let p6AtMostOnceExecution = ICProperty(name: "P6 (history)", statement: "", observes: .calls) { view in
        view.history.calls.values.allSatisfy { $0.executions <= 1 }
    }

    static let p7SingleResponse = ICProperty(name: "P7 (history)", statement: "", observes: .calls) { view in
        view.history.calls.values.allSatisfy { $0.deliveredResponses.count <= 1 }
    }

    static let p8GuaranteedResponse = ICProperty(name: "P8 (history)", statement: "", observes: .calls) { view in
        view.history.calls.values.allSatisfy { record in
            guard record.kind.isGuaranteed, let delivered = record.deliveredResponse else { return true }
            if delivered.rejectCode == .sysUnknown { return false }
            if let callee = record.calleeResponse { return delivered == callee }
            return true
        }
    }

    static let p9BestEffortResponse = ICProperty(name: "P9 (history)", statement: "", observes: .calls) { view in
        view.history.calls.values.allSatisfy { record in
            guard record.kind.isBestEffort, let callee = record.calleeResponse, let delivered = record.deliveredResponse else { return true }
            return delivered == callee || delivered.rejectCode == .sysUnknown
        }
    }

    static func p10(kinds: [CallKind]) -> ICProperty {
        ICProperty(name: "P10 \(kinds) (history)", statement: "", observes: .calls) { view in
            view.history.calls.values.allSatisfy { record in
                guard kinds.contains(record.kind), record.deliveredResponse != nil else { return true }
                return record.accepted + record.refunded == record.attached
            }
        }
    }

    static let p11BestEffortCycles = ICProperty(name: "P11 (history)", statement: "", observes: .calls) { view in
        view.history.calls.values.allSatisfy { record in
            guard record.kind.isBestEffort, let delivered = record.deliveredResponse else { return true }
            return delivered.rejectCode == .sysUnknown
                ? record.accepted + record.refunded <= record.attached
                : record.accepted + record.refunded == record.attached
        }
    }

    static let i4ReferencesExist = ICProperty(name: "I4 (history)", statement: "", observes: .calls) { view in
        let open = Set(view.callbacks.map(\.call))
        let kinds = view.history.calls
        let contextsOK = view.contexts.allSatisfy { context in
            guard context.needsToRespond, case .call(let call) = context.id, kinds[call]?.kind.isGuaranteed ?? true else { return true }
            return open.contains(call)
        }
        let requestsOK = view.allPendingRequests.allSatisfy { !(kinds[$0.call]?.kind.isGuaranteed ?? true) || open.contains($0.call) }
        let responsesOK = view.pendingResponses.allSatisfy { !(kinds[$0.call]?.kind.isGuaranteed ?? true) || open.contains($0.call) }
        return contextsOK && requestsOK && responsesOK
    }

    /// P2 over every client: delivered calls counted from the call records.
    static let p2CallbackPerCall = ICProperty(name: "P2 (history)", statement: "", observes: .calls) { view in
        for client in view.canisterIds {
            guard let state = view.programState(of: client, as: ClientProgram.State.self) else { continue }
            var delivered = 0
            for (id, record) in view.history.calls where id.caller == client && !record.deliveredResponses.isEmpty { delivered += 1 }
            guard state.received.count <= state.sent, state.received.count <= delivered else { return false }
        }
        return true
    }

    /// P5: the server's counter against the calls to it that its code answered.
    static func p5TrapRollback(server: CanisterId) -> ICProperty {
        ICProperty(name: "P5 (history)", statement: "", observes: .calls) { view in
            guard let state = view.programState(of: server, as: ServerProgram.State.self) else { return false }
            return state.counter == view.history.calls.values.filter { $0.callee == server && $0.calleeResponse != nil }.count
        }
    }

    /// The responses-unordered witness, negated (an invariant that fails where the witness is
    /// reached, to compare like the others): no open callback has a later call of its pair
    /// whose response was delivered.
    static let responsesInOrder = ICProperty(name: "responses in order (history)", statement: "", observes: .calls) { view in
        !view.callbacks.contains { older in
            view.history.calls.contains { call, record in
                call.caller == older.call.caller && call.sequence > older.call.sequence
                    && record.callee == view.history.calls[older.call]?.callee && !record.deliveredResponses.isEmpty
            }
        }
    }
}
