import ICCore

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
}
