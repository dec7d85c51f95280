import ICCore
import ModelChecking

/// P1-no-lost-update's monitor: the counter values the server has replied with so far, and
/// whether one came twice. A check of the property keeps these few integers instead of the
/// call history (whose records tell the same from every call's response).
///
/// Partial-order reduction: only the server's executions are visible, and each is judged by the
/// responses it produced and the server's own requests and contexts.
public struct RepliedValuesMonitor: IdentityFreeMonitor, PartialOrderMonitor {
    /// The server whose replies are watched: a constant of the property (which names it in
    /// `mentions`, so symmetry never swaps it), not part of the observation.
    public let server: CanisterId
    /// The integer payloads of the server's replies, ascending.
    public private(set) var values: [Int] = []
    /// Some value came in two replies.
    public private(set) var repeated = false

    public init(server: CanisterId) { self.server = server }

    /// Only the server's own executions can reply for it.
    public func mayChange(on action: ICAction) -> Bool { action.executingCanister == server }

    public func isVisible(_ action: ICAction) -> Bool { action.executingCanister == server }

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        // Only the server's own executions can reply for it.
        guard action.executingCanister == server else { return }
        for response in after.pendingResponses where !before.hasPendingResponse(for: response.call) {
            guard case .reply(let payload) = response.response, let value = payload.as(Int.self) else { continue }
            // The server answered in this step: the request or the context was its.
            let fromServer = before.hasPendingRequest(response.call, from: response.call.caller, to: server)
                || before.contextView(of: .call(response.call))?.canister == server
            guard fromServer else { continue }
            let index = values.firstIndex { $0 >= value } ?? values.endIndex
            if index < values.endIndex, values[index] == value { repeated = true } else { values.insert(value, at: index) }
        }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(server)
        hasher.combine(values)
        hasher.combine(repeated)
    }
}
