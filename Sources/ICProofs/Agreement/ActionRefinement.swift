import ICCore
import ICMessaging

/// Which symbolic rules an explicit `ICAction` corresponds to: a list of candidate rule chains
/// (names of `ICRules`, applied left to right; `[]` is a stutter step). The step relation of an
/// action is the disjunction of its chains, with every rule parameter and every intermediate
/// state existentially quantified.
///
/// Choices depend only on the action, the pre-state and the number of calls the step issued
/// (read from the post-state's call history), never on the fields a mutation test changes.
public enum ActionRefinement {
    /// Thrown for actions the symbolic rules do not cover.
    public struct Unmapped: Error, CustomStringConvertible {
        public let action: ICAction
        public let reason: String
        public var description: String { "\(action.name) has no symbolic counterpart: \(reason)" }
    }

    /// The candidate chains for `action` from `pre` to `post`.
    public static func chains(for action: ICAction, pre: ICState, post: ICState) throws -> [[String]] {
        let issued = Array(repeating: "issueCall", count: max(0, post.history.calls.count - pre.history.calls.count))
        /// What a message execution in a context does after its calls: nothing, accept, or accept and respond.
        func execution(_ prefix: [String], inCallContext: Bool) -> [[String]] {
            let body = prefix + issued
            return inCallContext ? [body, body + ["executeNoReply"], body + ["executeReply"]] : [body]
        }
        switch action {
        case .ingress:
            // The ingress context holds no cycles and its answer is not modelled: only the calls.
            return [issued]
        case .deliverRequest:
            return execution(["deliverRequest"], inCallContext: true)
        case .rejectRequest:
            return [["rejectAtCallee"]]
        case .deliverResponse(let call, _, _):
            guard let callback = pre.callback(call) else { throw Unmapped(action: action, reason: "no open callback") }
            let inCallContext: Bool
            if case .call = callback.callerContext { inCallContext = true } else { inCallContext = false }
            return execution(try consumption(action, call, callback, pre), inCallContext: inCallContext)
        case .discardResponse(let call):
            if let callback = pre.callback(call),
               pre.responses.contains(where: { $0.call == call && (!callback.expired || $0.isSystemNotice) }) {
                // T10b: the caller's context was deleted; the callback closes without running.
                return [try consumption(action, call, callback, pre)]
            }
            return [["dropLateResponse"]]
        case .starveContext(let id):
            if case .call = id { return [["starvationReject"]] }
            return [[]]
        case .removeContext, .stopRequestTimeout:
            return [[]]
        case .systemReject:
            return [["systemReject"]]
        case .expireCall:
            return [["expireCall"]]
        case .dropRequest:
            return [["dropRequest"]]
        case .dropResponse:
            return [["dropResponse"]]
        case .stopCanister(let id):
            return pre[canister: id].status.isRunning ? [["stopCanister"]] : [[]]
        case .completeStop:
            return [["stopComplete"]]
        case .startCanister(let id):
            return pre[canister: id].status.isRunning ? [[]] : [["startCanister"]]
        case .upgradeCanister:
            return [["upgradeCanister"]]
        case .uninstallCanister:
            throw Unmapped(action: action, reason: "ICRules has no uninstall_code rule (T14: open contexts rejected, contexts deleted)")
        case .tick:
            // One global clock: every canister's time advances.
            return [Array(repeating: "advanceTime", count: pre.canisterCount)]
        }
    }

    /// The rules that consume the response `deliverResponse`/`discardResponse` acts on: the real
    /// response (refund credited), the expiry notice, or the notice of a dropped response (the
    /// symbolic rules model a dropped response as drop, then expiry of the still-waiting call).
    static func consumption(_ action: ICAction, _ call: CallId, _ callback: Callback, _ pre: ICState) throws -> [String] {
        if callback.expired { return ["deliverUnknownReject"] }
        guard let response = pre.responses.first(where: { $0.call == call }) else {
            throw Unmapped(action: action, reason: "no response in flight for \(call)")
        }
        return response.isSystemNotice ? ["expireCall", "deliverUnknownReject"] : ["executeCallback"]
    }
}
