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
        case .completeStop(let id):
            return [["stopComplete"] + heldStopAnswers(pre, id)]
        case .startCanister(let id):
            return [(pre[canister: id].status.isRunning ? [] : ["startCanister"]) + heldStopAnswers(pre, id)]
        case .managementCall(let from):
            guard let head = pre.queue(from: from, to: .management).first else { throw Unmapped(action: action, reason: "no request to the management canister") }
            return managementChains(head, pre, post)
        case .stopCallTimeout:
            return [["answerHeldStop"]]
        case .upgradeCanister:
            return [["upgradeCanister"]]
        case .installCanister:
            return [["installCanister"]]
        case .reinstallCanister:
            // New code and program state; contexts, callbacks and cycles untouched.
            return [["reinstallCanister"]]
        case .uninstallCanister(let id):
            // One uninstallReject per call context of the canister that still needs a response
            // (ingress contexts are not symbolic calls); the rest (program state, code) is not abstracted.
            let open = pre.callContexts.filter { context in
                guard context.canister == id, context.needsToRespond, case .call = context.id else { return false }
                return true
            }
            return [Array(repeating: "uninstallReject", count: open.count) + ["uninstallCode"]]
        case .tick:
            // One global clock: every canister's time advances.
            return [Array(repeating: "advanceTime", count: pre.canisterCount)]
        }
    }

    /// One `answerHeldStop` per `stop_canister` call the management canister holds for `target`
    /// (a stop completing or a start answers them all in the same step).
    static func heldStopAnswers(_ pre: ICState, _ target: CanisterId) -> [String] {
        Array(repeating: "answerHeldStop", count: pre.queue(from: .management, to: target).count)
    }

    /// The management canister executing `head`: by its method and target, the rule of that
    /// method (a start also answers the stop calls held for the target; an upgrade replies or,
    /// a hook trapped, is rejected), or `managementReject` (invalid request, non-controller).
    static func managementChains(_ head: QueuedRequest, _ pre: ICState, _ post: ICState) -> [[String]] {
        let request = AbstractionGhost.code(head)
        let valid = request.target >= 0 && request.target < pre.canisterCount
        let target = CanisterId(request.target)
        let replied = post.responses.first { $0.call == head.call && !$0.isSystemNotice }?.response.isReply ?? false
        let own: [String]
        switch request.method {
        case MethodCode.depositCycles: own = ["depositCycles"]
        case MethodCode.stopCanister where valid: own = [pre[canister: target].status == .stopped ? "stopCallStopped" : "holdStopCall"]
        case MethodCode.startCanister where valid: own = ["startCall"] + heldStopAnswers(pre, target)
        case MethodCode.upgrade where valid && pre[canister: target].codeVersion != nil:
            own = [replied ? "installCode" : "installCodeTrap"]
        case MethodCode.upgrade, MethodCode.install, MethodCode.reinstall:
            own = [replied ? "installCode" : "installCodeRejected"]
        default: return [["managementReject"]]
        }
        return [own, ["managementReject"]]
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
