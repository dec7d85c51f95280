import Foundation

/// Renders an IC trace as a Mermaid sequence diagram: one lifeline per canister, messages as
/// arrows, rejects and timeouts marked. GitHub renders these in Markdown, so a counterexample in
/// the docs reads like the message sequence charts protocol designers draw by hand.
public struct SequenceDiagram {
    public let initial: ObservableState
    public let steps: [(action: ICAction, state: ObservableState)]
    /// Display names per canister index (program names); `C<i>` when absent.
    public let canisterNames: [String]
    /// The ingress messages of the configuration, by slot (target canister and method).
    public let ingress: [IngressMessage]

    public init(
        initial: ObservableState, steps: [(action: ICAction, state: ObservableState)], canisterNames: [String] = [],
        ingress: [IngressMessage] = []
    ) {
        self.initial = initial
        self.steps = steps
        self.canisterNames = canisterNames
        self.ingress = ingress
    }

    private func participant(_ id: CanisterId) -> String { id == .management ? "IC" : "C\(id.index)" }

    private func label(_ id: CanisterId) -> String {
        id.index < canisterNames.count ? "C\(id.index) \(canisterNames[id.index])" : "C\(id.index)"
    }

    /// Mermaid source (without the surrounding ```mermaid fence).
    public func mermaid() -> String {
        var lines = ["sequenceDiagram"]
        let canisters = initial.canisters.map(\.id)
        let hasUsers = steps.contains {
            switch $0.action {
            case .ingress, .rejectIngress: true
            default: false
            }
        }
        if hasUsers { lines.append("    actor U as User") }
        for id in canisters { lines.append("    participant \(participant(id)) as \(sanitize(label(id)))") }
        var previous = initial
        for (index, step) in steps.enumerated() {
            let number = index + 1
            let rendered = render(step.action, number: number, before: previous, after: step.state)
            // The calls the step's execution made: drawn when sent, so that a request that is never
            // delivered (a silent callee, a drop) still shows.
            let sent = sentCalls(number: number, before: previous, after: step.state)
            if case .ingress = step.action, rendered.count > 1 {
                lines.append(rendered[0])
                lines.append(contentsOf: sent)
                lines.append(contentsOf: rendered.dropFirst())
            } else {
                lines.append(contentsOf: rendered)
                lines.append(contentsOf: sent)
            }
            previous = step.state
        }
        return lines.joined(separator: "\n")
    }

    private func render(_ action: ICAction, number: Int, before: ObservableState, after: ObservableState) -> [String] {
        let record = { (call: CallId) in after.history.calls[call] }
        var lines: [String] = []
        switch action {
        case .ingress(let slot, _, let trap):
            let message = slot < ingress.count ? ingress[slot] : nil
            let target = message?.canister ?? newContextCanister(before: before, after: after)
                ?? canisterOf(ingressSlot: slot, after: after)
            let method = message.map { " \($0.method)(\($0.arguments))" } ?? ""
            if let target {
                lines.append("    U->>\(participant(target)): \(number). ingress \(slot)\(sanitize(method))\(trap ? " (trap)" : "")")
            }
            if let response = after.history.ingressResponses[slot], before.history.ingressResponses[slot] == nil,
                let target
            {
                lines.append("    \(participant(target))-->>U: \(sanitize(response.description))")
            }
        case .deliverRequest(let from, let to, _, let trap):
            let call = before.queues.first { $0.pair == QueuePair(from: from, to: to) }?.requests.first
            let method = call.flatMap(record)?.method ?? "request"
            let kind = call.flatMap(record).map { " [\($0.kind)]" } ?? ""
            let id = call.map { " (\($0))" } ?? ""
            lines.append("    Note over \(participant(to)): \(number). executes \(sanitize(method))\(kind)\(id)\(trap ? " (trap)" : "")")
        case .rejectRequest(let from, let to, let code):
            lines.append("    \(participant(to))--x\(participant(from)): \(number). reject \(code)")
        case .deliverResponse(let call, _, let trap):
            if let rec = record(call), let response = rec.deliveredResponses.last, response.rejectCode == .sysUnknown {
                // SYS_UNKNOWN comes from the caller's own system, never from the callee.
                lines.append("    Note over \(participant(call.caller)): \(number). ⏱ callback of \(call) gets SYS_UNKNOWN\(trap ? " (traps)" : "")")
            } else if let response = record(call)?.deliveredResponses.last {
                lines.append(
                    "    Note over \(participant(call.caller)): \(number). callback of \(call) gets \(sanitize(response.description))\(trap ? " (traps)" : "")"
                )
            } else {
                lines.append("    Note over \(participant(call.caller)): \(number). response of \(call)")
            }
        case .discardResponse(let call):
            lines.append("    Note over \(participant(call.caller)): \(number). late response of \(call) discarded")
        case .starveContext(let context):
            lines.append("    Note over \(contextCanister(context, before)): \(number). \(context) starved: CANISTER_ERROR")
        case .removeContext(let context):
            lines.append("    Note over \(contextCanister(context, before)): \(number). \(context) removed")
        case .systemReject(let call, let code):
            lines.append("    Note over \(participant(call.caller)): \(number). system rejects \(call): \(code)")
        case .expireCall(let call):
            lines.append("    Note over \(participant(call.caller)): \(number). ⏱ \(call) expires: SYS_UNKNOWN")
        case .dropRequest(let call):
            let callee = record(call).map { participant($0.callee) } ?? participant(call.caller)
            lines.append("    \(participant(call.caller))-x\(callee): \(number). request of \(call) dropped")
        case .dropResponse(let call):
            let callee = record(call).map { participant($0.callee) } ?? participant(call.caller)
            lines.append("    \(callee)--x\(participant(call.caller)): \(number). response of \(call) dropped")
        case .stopCanister(let id): lines.append("    Note over \(participant(id)): \(number). stop requested")
        case .completeStop(let id): lines.append("    Note over \(participant(id)): \(number). stopped")
        case .stopRequestTimeout(let id): lines.append("    Note over \(participant(id)): \(number). stop request timed out")
        case .startCanister(let id): lines.append("    Note over \(participant(id)): \(number). started")
        case .upgradeCanister(let id): lines.append("    Note over \(participant(id)): \(number). upgraded")
        case .uninstallCanister(let id): lines.append("    Note over \(participant(id)): \(number). uninstalled")
        case .installCanister(let id): lines.append("    Note over \(participant(id)): \(number). code installed")
        case .reinstallCanister(let id): lines.append("    Note over \(participant(id)): \(number). reinstalled")
        case .heartbeat(let id, _, let trap):
            lines.append("    Note over \(participant(id)): \(number). heartbeat\(trap ? " (trap)" : "")")
        case .globalTimer(let id, _, let trap):
            lines.append("    Note over \(participant(id)): \(number). ⏰ global timer\(trap ? " (trap)" : "")")
        case .rejectIngress(let slot):
            if let target = ingress.indices.contains(slot) ? ingress[slot].canister : nil {
                lines.append("    U-x\(participant(target)): \(number). ingress \(slot) rejected by the system: SYS_TRANSIENT")
            }
        case .managementCall(let from):
            lines.append("    Note over \(participant(from)): \(number). management canister executes its request")
        case .stopCallTimeout(let call):
            lines.append("    Note over \(participant(call.caller)): \(number). stop_canister \(call) timed out: SYS_TRANSIENT")
        case .tick:
            let all = initial.canisters.map(\.id)
            if let first = all.first, let last = all.last {
                lines.append("    Note over \(participant(first)),\(participant(last)): \(number). time \(after.now)")
            }
        }
        return lines
    }

    /// Async arrows for the calls sent during a step (new entries in the history's send order) and
    /// the responses callees gave.
    private func sentCalls(number: Int, before: ObservableState, after: ObservableState) -> [String] {
        var lines: [String] = []
        for (pair, calls) in after.history.sent.sorted(by: { $0.key < $1.key }) {
            let old = before.history.sent[pair]?.count ?? 0
            for call in calls.dropFirst(old) {
                let record = after.history.calls[call]
                let method = record.map { sanitize($0.method) } ?? "call"
                let kind = record.map { " [\($0.kind)]" } ?? ""
                lines.append("    \(participant(pair.from))-)\(participant(pair.to)): \(number). call \(method)\(kind) (\(call))")
            }
        }
        // Responses the callees' code produced in this step: drawn when sent (they may never arrive).
        for (call, record) in after.history.calls.sorted(by: { $0.key < $1.key }) {
            guard let response = record.calleeResponse, before.history.calls[call]?.calleeResponse == nil else { continue }
            lines.append("    \(participant(record.callee))--)\(participant(call.caller)): \(number). \(sanitize(response.description)) (\(call))")
        }
        return lines
    }

    private func contextCanister(_ context: ContextId, _ state: ObservableState) -> String {
        if let view = state.contexts.first(where: { $0.id == context }) { return participant(view.canister) }
        if case .call(let call) = context, let record = state.history.calls[call] { return participant(record.callee) }
        return participant(initial.canisters.first?.id ?? CanisterId(0))
    }

    private func newContextCanister(before: ObservableState, after: ObservableState) -> CanisterId? {
        let old = Set(before.contexts.map(\.id))
        return after.contexts.first { !old.contains($0.id) }?.canister
    }

    private func canisterOf(ingressSlot slot: Int, after: ObservableState) -> CanisterId? {
        after.contexts.first { $0.id == .ingress(slot: slot) }?.canister ?? initial.canisters.first?.id
    }

    /// Mermaid treats `;` and `#` specially in messages; keep labels plain.
    private func sanitize(_ text: String) -> String {
        text.replacingOccurrences(of: ";", with: ",").replacingOccurrences(of: "#", with: "№")
    }
}
