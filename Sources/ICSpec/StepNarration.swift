import ICCore

/// How a counterexample step reads to a canister developer: the action with the call and the
/// method it concerns (`deliver request C0→C1 (C0#1 transfer_from)`), and the calls the step's
/// execution made, so that a retry made in a callback is visible as a new call.
///
/// Built from the configuration (ingress methods) and the observable states around the step;
/// `icmc check` and the guarantees document both print steps with it.
public struct StepNarration: Sendable {
    public let configuration: SystemConfiguration

    public init(configuration: SystemConfiguration) { self.configuration = configuration }

    /// The canisters' program names, for the state changes (`C1 ledger: …`).
    public var names: [String] { configuration.canisters.map(\.program.name) }

    /// `action`, taken in `before`, with the call id and method it concerns.
    public func describe(_ action: ICAction, before: ObservableState) -> String {
        let text = action.description
        switch action {
        case .ingress(let slot, _, _):
            guard configuration.ingress.indices.contains(slot) else { return text }
            let message = configuration.ingress[slot]
            return "\(text) (\(message.method) to \(message.canister))"
        case .deliverRequest(let from, let to, _, _), .rejectRequest(let from, let to, _):
            // The head of the pair's queue is the request delivered or rejected (P3).
            let pair = QueuePair(from: from, to: to)
            guard let call = before.queues.first(where: { $0.pair == pair })?.requests.first else { return text }
            return text.replacingOccurrences(of: "request \(pair)", with: "request \(callName(call, in: before)) \(pair)")
        case .deliverResponse(let call, _, _), .discardResponse(let call), .systemReject(let call, _), .expireCall(let call),
            .dropRequest(let call), .dropResponse(let call):
            return text.replacingOccurrences(of: "\(call)", with: callName(call, in: before))
        case .starveContext, .removeContext, .stopCanister, .completeStop, .stopRequestTimeout, .startCanister,
            .upgradeCanister, .uninstallCanister, .tick:
            return text
        }
    }

    /// The calls made during the step: `C0 calls C1 transfer_from as C0#1 (bestEffort)`.
    public func newCalls(from before: ObservableState, to after: ObservableState) -> [String] {
        after.history.calls.keys.sorted().filter { before.history.calls[$0] == nil }.compactMap { call in
            guard let record = after.history.calls[call] else { return nil }
            return "\(call.caller) calls \(record.callee) \(record.method) as \(call) (\(record.kind))"
        }
    }

    /// Everything the step changed: new calls first, then program states, balances, statuses
    /// and responses (`ObservableState.changes`).
    public func changes(from before: ObservableState, to after: ObservableState) -> [String] {
        newCalls(from: before, to: after) + before.changes(to: after, names: names)
    }

    private func callName(_ call: CallId, in state: ObservableState) -> String {
        state.history.calls[call].map { "\(call) \($0.method)" } ?? "\(call)"
    }
}
