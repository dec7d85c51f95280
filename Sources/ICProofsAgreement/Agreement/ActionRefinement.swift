import ICProofs
import ICCore
import ICMessaging

/// Which symbolic rules an explicit `ICAction` corresponds to: a list of candidate rule chains
/// (names of `ICRules`, applied left to right; `[]` is a stutter step). The step relation of an
/// action is the disjunction of its chains, with every rule parameter and every intermediate
/// state existentially quantified.
///
/// Choices depend only on the action, the pre-state, and two facts of the explicit post-state
/// (how many calls the step issued; whether the executing context responded), never on the
/// abstract fields a mutation test changes. (Offering both executeReply and executeNoReply lets
/// a phase mutation escape: after a full accept with a reply, α(executing, available 0) and
/// α(responded, refund 0, code reply) differ only in the phase.)
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
        /// What a message execution does after its calls: nothing, or accept (executeNoReply), or
        /// accept and respond (executeReply) in the call context of call `y` — which one is read
        /// off the explicit post-state (did y's context stop needing a response?).
        func execution(_ prefix: [String], context y: CallId?) -> [[String]] {
            let body = prefix + issued
            guard let y else { return [body] }
            let responded = (pre.context(.call(y))?.needsToRespond ?? true) && post.context(.call(y))?.needsToRespond == false
            return [body + [responded ? "executeReply" : "executeNoReply"]]
        }
        switch action {
        case .ingress, .heartbeat, .globalTimer:
            // The ingress context holds no cycles and its answer is not modelled: only the calls.
            // A system task's context (no caller, no cycles, no response) is the same.
            return [issued]
        case .deliverRequest(let from, let to, _, _):
            guard let head = pre.queue(from: from, to: to).first else { throw Unmapped(action: action, reason: "empty queue") }
            return execution(["deliverRequest"], context: head.call)
        case .rejectRequest:
            return [["rejectAtCallee"]]
        case .deliverResponse(let call, _, _):
            guard let callback = pre.callback(call) else { throw Unmapped(action: action, reason: "no open callback") }
            var y: CallId?
            if case .call(let id) = callback.callerContext { y = id }
            return execution(try consumption(action, call, callback, pre), context: y)
        case .discardResponse(let call):
            // As the model picks it: the first response of the call (canonical order, real before
            // notice) that is either undeliverable — a late real response after expiry (T11) — or
            // deliverable to a deleted caller context (T10b: the callback closes without running).
            let callback = pre.callback(call)
            for r in pre.responses where r.call == call {
                guard let callback, !callback.expired || r.isSystemNotice else {
                    return [[returned(call, pre, post) ? "refundLateResponse" : "dropLateResponse"]]
                }
                if pre.context(callback.callerContext)?.deleted == true { return [try consumption(action, call, callback, pre)] }
            }
            throw Unmapped(action: action, reason: "no discardable response for \(call)")
        case .starveContext(let id):
            if case .call = id { return [["starvationReject"]] }
            return [[]]
        case .removeContext, .stopRequestTimeout, .rejectIngress:
            // An ingress rejected before it runs holds no cycles and issues no calls.
            return [[]]
        case .systemReject:
            return [["systemReject"]]
        case .expireCall:
            return [["expireCall"]]
        case .dropRequest(let call):
            return [[returned(call, pre, post) ? "refundDroppedRequest" : "dropRequest"]]
        case .dropResponse(let call):
            // The callback expires with the drop (AB: only expired messages are dropped).
            return [[returned(call, pre, post) ? "refundDroppedResponse" : "dropResponse", "expireCall"]]
        case .stopCanister(let id):
            return pre[canister: id].status.isRunning ? [["stopCanister"]] : [[]]
        case .completeStop:
            return [["stopComplete"] + managementAnswers(pre, post)]
        case .startCanister(let id):
            return [(pre[canister: id].status.isRunning ? [] : ["startCanister"]) + managementAnswers(pre, post)]
        case .managementCall(let from):
            guard let head = pre.queue(from: from, to: .management).first else { throw Unmapped(action: action, reason: "no request to the management canister") }
            let deposited = head.method == ManagementMethod.depositCycles.rawValue
                && (post.history.calls[head.call]?.accepted ?? 0) > (pre.history.calls[head.call]?.accepted ?? 0)
            return [statusChanges(pre, post) + (deposited ? ["depositCycles"] : managementAnswers(pre, post))]
        case .stopCallTimeout:
            return [["managementAnswer"]]
        case .upgradeCanister:
            return [["upgradeCanister"]]
        case .installCanister, .reinstallCanister:
            // New code and program state; contexts, callbacks and cycles untouched.
            return [["upgradeCanister"]]
        case .uninstallCanister(let id):
            // One uninstallReject per call context of the canister that still needs a response
            // (ingress contexts are not symbolic calls); the rest (program state, code) is not abstracted.
            let open = pre.callContexts.filter { context in
                guard context.canister == id, context.needsToRespond, case .call = context.id else { return false }
                return true
            }
            return [Array(repeating: "uninstallReject", count: open.count)]
        case .tick:
            // One global clock: every canister's time advances.
            return [Array(repeating: "advanceTime", count: pre.canisterCount)]
        }
    }

    /// One `managementAnswer` per real response the step put in flight (the management
    /// canister's answers: held stop calls answered, or the executed request's answer).
    static func managementAnswers(_ pre: ICState, _ post: ICState) -> [String] {
        let before = Set(pre.responses.filter { !$0.isSystemNotice }.map(\.call))
        let new = post.responses.filter { !$0.isSystemNotice && !before.contains($0.call) }
        return Array(repeating: "managementAnswer", count: new.count)
    }

    /// The lifecycle rules for the status changes of a management call (running → stopping by
    /// `stop_canister`, back to running by `start_canister`).
    static func statusChanges(_ pre: ICState, _ post: ICState) -> [String] {
        pre.canisterIds.compactMap { id in
            let before = pre[canister: id].status, after = post[canister: id].status
            if before.isRunning, !after.isRunning { return "stopCanister" }
            if !before.isRunning, after.isRunning { return "startCanister" }
            return nil
        }
    }

    /// Whether the step gave `call`'s dropped cycles back to the caller (`CycleRefunds.replica`)
    /// rather than to the lost sink, read off the history (a drop of 0 cycles fits either rule).
    static func returned(_ call: CallId, _ pre: ICState, _ post: ICState) -> Bool {
        (post.history.calls[call]?.returned ?? 0) != (pre.history.calls[call]?.returned ?? 0)
    }

    /// The rules that consume the response `deliverResponse`/`discardResponse` acts on: the real
    /// response (refund credited) or the SYS_UNKNOWN notice of an expired callback (expired by
    /// `expireCall` or by `dropResponse`); a notice of a callback not yet expired is mapped as
    /// expiry followed by delivery.
    static func consumption(_ action: ICAction, _ call: CallId, _ callback: Callback, _ pre: ICState) throws -> [String] {
        if callback.expired { return ["deliverUnknownReject"] }
        guard let response = pre.responses.first(where: { $0.call == call }) else {
            throw Unmapped(action: action, reason: "no response in flight for \(call)")
        }
        return response.isSystemNotice ? ["expireCall", "deliverUnknownReject"] : ["executeCallback"]
    }
}
