import SMT

/// The IC messaging rules of ic-semantics.md §2, with canister behaviour abstracted: a method may
/// accept any amount within what is available, issue any call, reply/reject, or trap.
///
/// Abstractions (all over-approximations, so invariants proved here hold for the real rules):
/// calls may be issued by any non-stopped canister at any time (not only inside an execution);
/// reasons for rejects (frozen, minimum cycles, overload) are nondeterministic; execution fees and
/// the MAX_CYCLES_PER_RESPONSE reservation are not modelled.
public enum ICRules {
    /// All rules, each checked separately in every induction proof.
    public static var standard: [Rule] {
        [issueCall, deliverRequest, rejectAtCallee, executeReply, executeNoReply, executeTrap,
         starvationReject, systemReject, expireCall, deliverUnknownReject, executeCallback,
         dropRequest, dropResponse, dropLateResponse, refundDroppedRequest, refundDroppedResponse,
         refundLateResponse, advanceTime, stopCanister, stopComplete, startCanister, upgradeCanister, uninstallReject,
         uninstallCode, installCanister, reinstallCanister]
            + management
    }

    /// Looks a rule up by name.
    public static func named(_ name: String) -> Rule? { standard.first { $0.name == name } }

    /// Packs guards and effects into an instance (relation = guards ∧ post == effects).
    static func instance(_ guards: [Term], _ e: Effects, _ post: SymbolicState, universalGuard: ((Term) throws -> Term)?,
                         params: [(name: String, term: Term)], touchedCall: Term?, touchedCanister: Term?) throws -> RuleInstance {
        let g = try and(guards, in: e.pre.context)
        var inst = RuleInstance(relation: try g && e.relation(post), universalGuard: universalGuard, params: params,
                                touchedCall: touchedCall, touchedCanister: touchedCanister)
        inst.guards = g
        inst.effects = e.postValues
        return inst
    }

    static func oneOf(_ t: Term, _ values: [Int]) throws -> Term {
        try or(values.map { try t == $0 })
    }

    /// `x` is at the head of its per-pair request queue: every other queued request of the same
    /// pair was sent later (sequence numbers are unique per pair, see `ordering/SeqUnique`).
    static func headOfQueue(_ pre: SymbolicState, _ x: Term) -> (Term) throws -> Term {
        { d in
            try ((d != x) && (pre.at(.phase, d) == Phase.requested) && pre.samePair(d, x))
                ==> (pre.at(.sendSeq, d) > pre.at(.sendSeq, x))
        }
    }

    // MARK: Caller side

    /// T4/T5 `call_perform`: canister p sends call x to q attaching a cycles (debited at once); a
    /// call to the management canister carries a method and a target, any other call neither.
    public static let issueCall = Rule(name: "issueCall", summary: "call issued: attach cycles, debit caller, enqueue request") { pre, post, tag in
        let ctx = pre.context
        let x = try ctx.int(tag + "x"), p = try ctx.int(tag + "caller"), q = try ctx.int(tag + "callee")
        let a = try ctx.int(tag + "cycles"), k = try ctx.int(tag + "kind")
        let m = try ctx.int(tag + "method"), t = try ctx.int(tag + "target")
        let seq = try pre.at(.nextSend, p, q)
        var e = Effects(pre)
        try e.set(.phase, x, Phase.requested)
        try e.set(.callerState, x, CallerState.waiting)
        try e.set(.kind, x, k)
        try e.set(.caller, x, p)
        try e.set(.callee, x, q)
        try e.set(.attached, x, a)
        try e.set(.available, x, 0)
        try e.set(.refund, x, 0)
        try e.set(.rejectCode, x, ResponseCode.reply)
        try e.set(.sendSeq, x, seq)
        try e.set(.method, x, m)
        try e.set(.target, x, t)
        try e.set(.held, x, 0)
        try e.set(.nextSend, p, q, seq + 1)
        try e.set(.balance, p, pre.at(.balance, p) - a)
        e.set(.sumBalances, try pre[.sumBalances] - a)
        e.set(.sumRequests, try pre[.sumRequests] + a)
        let guards = [
            try pre.at(.phase, x) == Phase.none, try a >= 0, try pre.at(.balance, p) >= a,
            try oneOf(k, [CallKindCode.guaranteed, CallKindCode.bestEffort]),
            try pre.at(.status, p) != StatusCode.stopped,
            try (q == pre[.management]) == (m != MethodCode.none),
            try (m == MethodCode.none) ==> (t == 0),
        ]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x), ("caller", p), ("callee", q), ("cycles", a), ("kind", k), ("method", m), ("target", t)],
                            touchedCall: x, touchedCanister: p)
    }

    // MARK: Callee side

    /// T3: the request at the head of its queue starts executing in a new call context.
    public static let deliverRequest = Rule(name: "deliverRequest", summary: "request at queue head starts executing (call context created)") { pre, post, tag in
        let x = try pre.context.int(tag + "x")
        let att = try pre.at(.attached, x)
        var e = Effects(pre)
        try e.set(.phase, x, Phase.executing)
        try e.set(.available, x, att)
        try e.set(.contexts, x, pre.at(.contexts, x) + 1)
        try e.set(.lastStarted, pre.at(.caller, x), pre.at(.callee, x), pre.at(.sendSeq, x))
        e.set(.sumRequests, try pre[.sumRequests] - att)
        e.set(.sumHeld, try pre[.sumHeld] + att)
        let guards = [try pre.at(.phase, x) == Phase.requested,
                      try pre.at(.status, pre.at(.callee, x)) == StatusCode.running]
        return try instance(guards, e, post, universalGuard: headOfQueue(pre, x),
                            params: [("x", x)], touchedCall: x, touchedCanister: nil)
    }

    /// The common effect of T2 and T6: the queued request of `call` becomes a reject response
    /// with `code` that refunds every attached cycle.
    static func rejectedWithFullRefund(_ pre: SymbolicState, call x: Term, code: Term) throws -> Effects {
        let att = try pre.at(.attached, x)
        var e = Effects(pre)
        try e.set(.phase, x, Phase.responded)
        try e.set(.refund, x, att)
        try e.set(.rejectCode, x, code)
        e.set(.sumRequests, try pre[.sumRequests] - att)
        e.set(.sumResponses, try pre[.sumResponses] + att)
        return e
    }

    /// T2: reject at the callee before execution (stopping/stopped, frozen, too few cycles, no response
    /// slot left towards the caller, a small call over the incoming quota); full refund.
    public static let rejectAtCallee = Rule(name: "rejectAtCallee", summary: "request at queue head rejected by callee (CANISTER_ERROR / SYS_TRANSIENT), full refund") { pre, post, tag in
        let ctx = pre.context
        let x = try ctx.int(tag + "x"), code = try ctx.int(tag + "code")
        let e = try rejectedWithFullRefund(pre, call: x, code: code)
        let guards = [try pre.at(.phase, x) == Phase.requested,
                      try oneOf(code, [ResponseCode.sysTransient, ResponseCode.canisterError])]
        return try instance(guards, e, post, universalGuard: headOfQueue(pre, x),
                            params: [("x", x), ("code", code)], touchedCall: x, touchedCanister: nil)
    }

    /// T4 with a response: accept a ≤ available, reply or reject; refund = available − a.
    public static let executeReply = Rule(name: "executeReply", summary: "method execution accepts a ≤ available and replies/rejects, refund = available − a") { pre, post, tag in
        let ctx = pre.context
        let x = try ctx.int(tag + "x"), a = try ctx.int(tag + "accept"), code = try ctx.int(tag + "code")
        let avail = try pre.at(.available, x), callee = try pre.at(.callee, x)
        var e = Effects(pre)
        try e.set(.phase, x, Phase.responded)
        try e.set(.refund, x, avail - a)
        try e.set(.available, x, 0)
        try e.set(.accepted, x, pre.at(.accepted, x) + a)
        try e.set(.rejectCode, x, code)
        try e.set(.balance, callee, pre.at(.balance, callee) + a)
        e.set(.sumBalances, try pre[.sumBalances] + a)
        e.set(.sumHeld, try pre[.sumHeld] - avail)
        e.set(.sumResponses, try pre[.sumResponses] + (avail - a))
        let guards = [try pre.at(.phase, x) == Phase.executing, try a >= 0, try a <= avail,
                      try oneOf(code, [ResponseCode.reply, ResponseCode.canisterReject])]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x), ("accept", a), ("code", code)], touchedCall: x, touchedCanister: callee)
    }

    /// T4 without a response (the method awaits): accept a ≤ available, the context stays open.
    public static let executeNoReply = Rule(name: "executeNoReply", summary: "method execution accepts a ≤ available without responding") { pre, post, tag in
        let ctx = pre.context
        let x = try ctx.int(tag + "x"), a = try ctx.int(tag + "accept")
        let avail = try pre.at(.available, x), callee = try pre.at(.callee, x)
        var e = Effects(pre)
        try e.set(.available, x, avail - a)
        try e.set(.accepted, x, pre.at(.accepted, x) + a)
        try e.set(.balance, callee, pre.at(.balance, callee) + a)
        e.set(.sumBalances, try pre[.sumBalances] + a)
        e.set(.sumHeld, try pre[.sumHeld] - a)
        let guards = [try pre.at(.phase, x) == Phase.executing, try a >= 0, try a <= avail]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x), ("accept", a)], touchedCall: x, touchedCanister: callee)
    }

    /// T4 trap: the execution's effects are rolled back (no accept, no calls, no response).
    public static let executeTrap = Rule(name: "executeTrap", summary: "method or callback traps: state rolled back, no cycle effect") { pre, post, tag in
        let x = try pre.context.int(tag + "x")
        let guards = [try oneOf(pre.at(.phase, x), [Phase.executing, Phase.responded])]
        return try instance(guards, Effects(pre), post, universalGuard: nil,
                            params: [("x", x)], touchedCall: nil, touchedCanister: nil)
    }

    /// T8: an open context nobody will answer gets a CANISTER_ERROR reject refunding what is available.
    public static let starvationReject = Rule(name: "starvationReject", summary: "call context starvation: CANISTER_ERROR, refund = available") { pre, post, tag in
        try answeredBySystem(pre, post, tag, code: ResponseCode.canisterError)
    }

    /// T14 `uninstall_code`, one open context at a time: each call context of the uninstalled
    /// canister that still needs a response is answered CANISTER_REJECT, refunding what is
    /// available (an uninstall is this rule once per such context; the deleted contexts' own
    /// callbacks later only refund, which `executeCallback` covers).
    public static let uninstallReject = Rule(name: "uninstallReject", summary: "uninstall_code: an open call context of the canister is rejected (CANISTER_REJECT), refund = available") { pre, post, tag in
        try answeredBySystem(pre, post, tag, code: ResponseCode.canisterReject)
    }

    static func answeredBySystem(_ pre: SymbolicState, _ post: SymbolicState, _ tag: String, code: Int) throws -> RuleInstance {
        let x = try pre.context.int(tag + "x")
        let avail = try pre.at(.available, x)
        var e = Effects(pre)
        try e.set(.phase, x, Phase.responded)
        try e.set(.refund, x, avail)
        try e.set(.available, x, 0)
        try e.set(.rejectCode, x, code)
        e.set(.sumHeld, try pre[.sumHeld] - avail)
        e.set(.sumResponses, try pre[.sumResponses] + avail)
        let guards = [try pre.at(.phase, x) == Phase.executing]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x)], touchedCall: x, touchedCanister: nil)
    }

    /// T6: any queued request (no head requirement) is rejected by the system, full refund;
    /// the code is never SYS_UNKNOWN for guaranteed calls (§9.2).
    public static let systemReject = Rule(name: "systemReject", summary: "spontaneous system reject of a queued request, full refund, code ≠ SYS_UNKNOWN if guaranteed") { pre, post, tag in
        let ctx = pre.context
        let x = try ctx.int(tag + "x"), code = try ctx.int(tag + "code")
        let e = try rejectedWithFullRefund(pre, call: x, code: code)
        let guards = [try pre.at(.phase, x) == Phase.requested, try pre.at(.held, x) == 0, try code >= 1, try code <= 6,
                      try (pre.at(.kind, x) == CallKindCode.guaranteed) ==> (code != ResponseCode.sysUnknown)]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x), ("code", code)], touchedCall: x, touchedCanister: nil)
    }

    // MARK: Best-effort

    /// T7: a waiting best-effort call expires; a SYS_UNKNOWN reject with refund 0 heads to the caller.
    /// The request/context/response of the call stays where it is (its cycles are lost later).
    public static let expireCall = Rule(name: "expireCall", summary: "best-effort expiry: SYS_UNKNOWN reject (refund 0) for the caller") { pre, post, tag in
        let x = try pre.context.int(tag + "x")
        var e = Effects(pre)
        try e.set(.callerState, x, CallerState.expired)
        let guards = [try pre.at(.kind, x) == CallKindCode.bestEffort, try pre.at(.callerState, x) == CallerState.waiting]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x)], touchedCall: x, touchedCanister: nil)
    }

    /// T10 for the SYS_UNKNOWN reject: the callback runs, nothing is refunded.
    public static let deliverUnknownReject = Rule(name: "deliverUnknownReject", summary: "callback runs on the SYS_UNKNOWN reject, refund 0") { pre, post, tag in
        let x = try pre.context.int(tag + "x")
        var e = Effects(pre)
        try e.set(.callerState, x, CallerState.doneUnknown)
        try e.set(.delivered, x, pre.at(.delivered, x) + 1)
        let guards = [try pre.at(.callerState, x) == CallerState.expired]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x)], touchedCall: x, touchedCanister: nil)
    }

    /// T10a: the response reaches a waiting callback; the refund is credited to the caller.
    public static let executeCallback = Rule(name: "executeCallback", summary: "callback execution: refund credited to the caller's balance") { pre, post, tag in
        try callback(pre, post, tag, refundFactor: 1)
    }

    static func callback(_ pre: SymbolicState, _ post: SymbolicState, _ tag: String, refundFactor: Int) throws -> RuleInstance {
        let x = try pre.context.int(tag + "x")
        let r = try pre.at(.refund, x), caller = try pre.at(.caller, x)
        let credited = refundFactor == 1 ? r : try refundFactor * r
        var e = Effects(pre)
        try e.set(.phase, x, Phase.done)
        try e.set(.callerState, x, CallerState.done)
        try e.set(.refunded, x, pre.at(.refunded, x) + r)
        try e.set(.delivered, x, pre.at(.delivered, x) + 1)
        try e.set(.balance, caller, pre.at(.balance, caller) + credited)
        e.set(.sumBalances, try pre[.sumBalances] + credited)
        e.set(.sumResponses, try pre[.sumResponses] - r)
        let guards = [try pre.at(.phase, x) == Phase.responded, try pre.at(.callerState, x) == CallerState.waiting]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x)], touchedCall: x, touchedCanister: caller)
    }

    /// Best-effort shedding of a queued request: its cycles go to the lost sink.
    public static let dropRequest = Rule(name: "dropRequest", summary: "best-effort request dropped, attached cycles lost") { pre, post, tag in
        try drop(pre, post, tag, from: Phase.requested, amount: .attached) { _ in [] }
    }

    /// Best-effort shedding of a response: its refund goes to the lost sink.
    public static let dropResponse = Rule(name: "dropResponse", summary: "best-effort response dropped, refund lost") { pre, post, tag in
        try drop(pre, post, tag, from: Phase.responded, amount: .refund) { _ in [] }
    }

    /// T11: the real response to an expired callback arrives late and is dropped; refund lost.
    public static let dropLateResponse = Rule(name: "dropLateResponse", summary: "late response to an expired callback dropped, refund lost") { pre, post, tag in
        try drop(pre, post, tag, from: Phase.responded, amount: .refund) { x in
            [try oneOf(pre.at(.callerState, x), [CallerState.expired, CallerState.doneUnknown])]
        }
    }

    // MARK: The replica's refunds of dropped best-effort cycles (`CycleRefunds.replica`)

    /// A shed best-effort request: its attached cycles return to the caller's balance, no callback.
    public static let refundDroppedRequest = Rule(name: "refundDroppedRequest", summary: "best-effort request dropped, attached cycles refunded to the caller without a callback (replica)") { pre, post, tag in
        try drop(pre, post, tag, from: Phase.requested, amount: .attached, refunded: true) { _ in [] }
    }

    /// A shed best-effort response: its refund returns to the caller's balance, no callback.
    public static let refundDroppedResponse = Rule(name: "refundDroppedResponse", summary: "best-effort response dropped, refund returned to the caller without a callback (replica)") { pre, post, tag in
        try drop(pre, post, tag, from: Phase.responded, amount: .refund, refunded: true) { _ in [] }
    }

    /// The late real response to an expired callback: its refund returns to the caller's balance.
    public static let refundLateResponse = Rule(name: "refundLateResponse", summary: "late response to an expired callback dropped, refund returned to the caller (replica)") { pre, post, tag in
        try drop(pre, post, tag, from: Phase.responded, amount: .refund, refunded: true) { x in
            [try oneOf(pre.at(.callerState, x), [CallerState.expired, CallerState.doneUnknown])]
        }
    }

    /// A best-effort message leaves flight without reaching code: its cycles go to the lost sink
    /// (the spec) or, `refunded`, back to the caller's balance (the replica's anonymous refund).
    static func drop(_ pre: SymbolicState, _ post: SymbolicState, _ tag: String, from phase: Int, amount: Field,
                     refunded: Bool = false, extra: (Term) throws -> [Term]) throws -> RuleInstance {
        let x = try pre.context.int(tag + "x")
        let v = try pre.at(amount, x)
        let sum: Field = phase == Phase.requested ? .sumRequests : .sumResponses
        var e = Effects(pre)
        try e.set(.phase, x, Phase.done)
        var touchedCanister: Term?
        if refunded {
            let caller = try pre.at(.caller, x)
            try e.set(.returnedOfCall, x, pre.at(.returnedOfCall, x) + v)
            try e.set(.balance, caller, pre.at(.balance, caller) + v)
            e.set(.sumBalances, try pre[.sumBalances] + v)
            touchedCanister = caller
        } else {
            try e.set(.lostOfCall, x, pre.at(.lostOfCall, x) + v)
            e.set(.lost, try pre[.lost] + v)
        }
        e.set(sum, try pre[sum] - v)
        let guards = [try pre.at(.phase, x) == phase, try pre.at(.kind, x) == CallKindCode.bestEffort] + (try extra(x))
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x)], touchedCall: x, touchedCanister: touchedCanister)
    }

    // MARK: Time and lifecycle (no cycle effect)

    /// T16: time of canister p advances by δ ≥ 0.
    public static let advanceTime = Rule(name: "advanceTime", summary: "a canister's time advances") { pre, post, tag in
        let ctx = pre.context
        let p = try ctx.int(tag + "canister"), d = try ctx.int(tag + "delta")
        var e = Effects(pre)
        try e.set(.time, p, pre.at(.time, p) + d)
        return try instance([d >= 0], e, post, universalGuard: nil,
                            params: [("canister", p), ("delta", d)], touchedCall: nil, touchedCanister: nil)
    }

    /// T13 stop_canister on a running canister.
    public static let stopCanister = Rule(name: "stopCanister", summary: "stop_canister: running → stopping") { pre, post, tag in
        try lifecycle(pre, post, tag, from: [StatusCode.running], to: StatusCode.stopping, noOpenContexts: false)
    }

    /// T13: a stopping canister with no open call contexts becomes stopped.
    public static let stopComplete = Rule(name: "stopComplete", summary: "stopping → stopped once no call context is open") { pre, post, tag in
        try lifecycle(pre, post, tag, from: [StatusCode.stopping], to: StatusCode.stopped, noOpenContexts: true)
    }

    /// T13 start_canister.
    public static let startCanister = Rule(name: "startCanister", summary: "start_canister: stopping/stopped → running") { pre, post, tag in
        try lifecycle(pre, post, tag, from: [StatusCode.stopping, StatusCode.stopped], to: StatusCode.running, noOpenContexts: false)
    }

    /// T15: an upgrade (of a canister with code) keeps open contexts and callbacks; no messaging
    /// or cycle effect.
    public static let upgradeCanister = Rule(name: "upgradeCanister", summary: "install_code upgrade of a canister with code: no messaging or cycle effect") { pre, post, tag in
        try codeChange(pre, post, tag, guards: { p in [try pre.at(.empty, p) == 0] }, empty: 0)
    }

    /// T14's last part: the canister's code is gone (after `uninstallReject` for each open context).
    public static let uninstallCode = Rule(name: "uninstallCode", summary: "uninstall_code: the canister becomes empty") { pre, post, tag in
        try codeChange(pre, post, tag, guards: { p in [try pre.at(.empty, p) == 0] }, empty: 1)
    }

    /// `install_code` in `install` mode from the controller: only on an empty canister.
    public static let installCanister = Rule(name: "installCanister", summary: "install_code install on an empty canister: code installed, no messaging or cycle effect") { pre, post, tag in
        try codeChange(pre, post, tag, guards: { p in [try pre.at(.empty, p) == 1] }, empty: 0)
    }

    /// `install_code` in `reinstall` mode from the controller: any canister; contexts and
    /// callbacks are kept (AB), so no messaging or cycle effect.
    public static let reinstallCanister = Rule(name: "reinstallCanister", summary: "install_code reinstall: code installed, contexts and callbacks kept, no cycle effect") { pre, post, tag in
        try codeChange(pre, post, tag, guards: { _ in [] }, empty: 0)
    }

    /// A controller's code change on canister p (upgrade, uninstall, install, reinstall): under
    /// `guards`, p's code is present or not as `empty` says; no messaging or cycle effect.
    static func codeChange(_ pre: SymbolicState, _ post: SymbolicState, _ tag: String, guards: (Term) throws -> [Term],
                           empty: Int) throws -> RuleInstance {
        let p = try pre.context.int(tag + "canister")
        var e = Effects(pre)
        try e.set(.empty, p, empty)
        return try instance(try guards(p), e, post, universalGuard: nil,
                            params: [("canister", p)], touchedCall: nil, touchedCanister: nil)
    }

    static func lifecycle(_ pre: SymbolicState, _ post: SymbolicState, _ tag: String, from: [Int], to: Int,
                          noOpenContexts: Bool) throws -> RuleInstance {
        let p = try pre.context.int(tag + "canister")
        var e = Effects(pre)
        try e.set(.status, p, to)
        let guards = [try oneOf(pre.at(.status, p), from)]
        let universal: ((Term) throws -> Term)? = noOpenContexts
            ? { d in try (pre.at(.callee, d) == p) ==> (pre.at(.phase, d) != Phase.executing) } : nil
        return try instance(guards, e, post, universalGuard: universal,
                            params: [("canister", p)], touchedCall: nil, touchedCanister: nil)
    }
}
