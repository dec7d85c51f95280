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

    /// `action`, taken in `before`, with the call, method and arguments it concerns
    /// (`deliver request C0#1 transfer_from(5 from account 0 to account 1) C0→C1`).
    public func describe(_ action: ICAction, before: some ICView) -> String {
        let text = action.description
        switch action {
        case .ingress(let slot, _, _):
            guard configuration.ingress.indices.contains(slot) else { return text }
            let message = configuration.ingress[slot]
            return "\(text) (\(invocation(message.method, message.arguments)) to \(message.canister))"
        case .deliverRequest(let from, let to, _, _), .rejectRequest(let from, let to, _):
            // The head of the pair's queue is the request delivered or rejected (P3).
            let pair = QueuePair(from: from, to: to)
            guard let call = before.pendingRequests(from: from, to: to).first?.call else { return text }
            return text.replacingOccurrences(of: "request \(pair)", with: "request \(callName(call, in: before)) \(pair)")
        case .managementCall(let from):
            guard let call = before.pendingRequests(from: from, to: .management).first?.call else { return text }
            return text + " (\(callName(call, in: before)))"
        case .deliverResponse(let call, _, _), .discardResponse(let call), .systemReject(let call, _), .expireCall(let call),
            .dropRequest(let call), .dropResponse(let call), .stopCallTimeout(let call):
            return text.replacingOccurrences(of: "\(call)", with: callName(call, in: before))
        case .starveContext, .removeContext, .stopCanister, .completeStop, .stopRequestTimeout, .startCanister,
            .upgradeCanister, .uninstallCanister, .installCanister, .reinstallCanister, .tick, .heartbeat, .globalTimer, .rejectIngress:
            return text
        }
    }

    /// The calls made during the step: `C0 calls C1 transfer_from(…) as C0#1 (bestEffort)`.
    public func newCalls(from before: some ICView, to after: some ICView) -> [String] {
        let history = after.history, earlier = before.history
        return history.calls.keys.sorted().filter { earlier.calls[$0] == nil }.compactMap { call in
            guard let record = history.calls[call] else { return nil }
            let method = request(call, in: after).map { invocation($0.method, $0.arguments) } ?? record.method
            return "\(call.caller) calls \(record.callee) \(method) as \(call) (\(record.kind))"
        }
    }

    /// Everything the step changed: new calls first, then program states, balances, statuses
    /// and responses (`ObservableState.changes`).
    public func changes(from before: some ICView, to after: some ICView) -> [String] {
        newCalls(from: before, to: after) + ObservableState(before).changes(to: ObservableState(after), names: names)
    }

    /// `C0#1 transfer(10, key 1)` while the request is in flight, `C0#1 transfer` after.
    private func callName(_ call: CallId, in state: some ICView) -> String {
        if let request = request(call, in: state) { return "\(call) \(invocation(request.method, request.arguments))" }
        return state.history.calls[call].map { "\(call) \($0.method)" } ?? "\(call)"
    }

    /// `transfer(10, key 1)`; a method without arguments by its name alone.
    private func invocation(_ method: String, _ arguments: Payload) -> String {
        arguments == .empty ? method : "\(method)(\(arguments))"
    }

    private func request(_ call: CallId, in state: some ICView) -> PendingRequest? {
        guard let callee = state.history.calls[call]?.callee else {
            return state.allPendingRequests.first { $0.call == call }
        }
        return state.pendingRequests(from: call.caller, to: callee).first { $0.call == call }
    }
}
