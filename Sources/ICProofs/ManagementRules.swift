import SMT

/// The management canister (`aaaaa-aa`, the id `management`) as a call target: it executes the
/// request at the head of a caller's queue to it (`deposit_cycles`, `stop_canister`,
/// `start_canister`, `install_code` in its three modes), or answers a `stop_canister` call it
/// holds. AB "IC Management Canister"; the explicit model's `managementCall`.
///
/// Exact for the explicit model's management steps (checked both ways by ICProofsAgreement)
/// except `installCodeTrap` (a trapping upgrade hook: canister behaviour, abstracted) and
/// instant-stop canisters (their stop also expires best-effort calls; not covered).
extension ICRules {
    /// The management rules, in `standard`.
    public static var management: [Rule] {
        [depositCycles, managementReject, holdStopCall, stopCallStopped, startCall, answerHeldStop,
         installCode, installCodeRejected, installCodeTrap]
    }

    /// `x` is at the head of its caller's queue to the management canister: every other request
    /// of the pair not held was sent later.
    static func headOfManagementQueue(_ pre: SymbolicState, _ x: Term) -> (Term) throws -> Term {
        { d in
            try ((d != x) && (pre.at(.phase, d) == Phase.requested) && (pre.at(.held, d) == 0) && pre.samePair(d, x))
                ==> (pre.at(.sendSeq, d) > pre.at(.sendSeq, x))
        }
    }

    /// A request to the management canister, not yet taken, whose method is one of `methods`.
    static func managementRequest(_ pre: SymbolicState, _ x: Term, _ methods: [Int]) throws -> [Term] {
        [try pre.at(.phase, x) == Phase.requested, try pre.at(.held, x) == 0,
         try pre.at(.callee, x) == pre[.management], try oneOf(pre.at(.method, x), methods)]
    }

    /// The target is a canister of the system (ids `0 ..< management`).
    static func validTarget(_ pre: SymbolicState, _ x: Term) throws -> Term {
        let t = try pre.at(.target, x)
        return try (t >= 0) && (t < pre[.management])
    }

    /// The caller of `x` is a controller of its target.
    static func byController(_ pre: SymbolicState, _ x: Term) throws -> Term {
        try pre.at(.controls, pre.at(.caller, x), pre.at(.target, x)) == 1
    }

    /// A controller's request `x` with a valid target and one of `methods` (the lifecycle methods).
    static func controllerRequest(_ pre: SymbolicState, _ x: Term, _ methods: [Int]) throws -> [Term] {
        try managementRequest(pre, x, methods) + [try validTarget(pre, x), try byController(pre, x)]
    }

    static let lifecycleMethods = [MethodCode.stopCanister, MethodCode.startCanister] + installModes
    static let installModes = [MethodCode.upgrade, MethodCode.install, MethodCode.reinstall]

    /// A management rule over the head request x: `guards` and `effects` given x.
    static func onRequest(_ pre: SymbolicState, _ post: SymbolicState, _ tag: String, code: Term? = nil,
                          _ body: (Term) throws -> (guards: [Term], effects: Effects, touchedCanister: Term?)) throws -> RuleInstance {
        let x = try pre.context.int(tag + "x")
        let (guards, e, touched) = try body(x)
        return try instance(guards, e, post, universalGuard: headOfManagementQueue(pre, x),
                            params: [("x", x)] + (code.map { [("code", $0)] } ?? []), touchedCall: x, touchedCanister: touched)
    }

    /// `deposit_cycles` (anyone): every attached cycle goes to the target's balance, recorded as
    /// accepted; reply, refund 0.
    public static let depositCycles = Rule(name: "depositCycles", summary: "management canister's deposit_cycles: attached cycles to the target's balance, reply with refund 0") { pre, post, tag in
        try onRequest(pre, post, tag) { x in
            let att = try pre.at(.attached, x), t = try pre.at(.target, x)
            var e = Effects(pre)
            try e.set(.phase, x, Phase.responded)
            try e.set(.accepted, x, pre.at(.accepted, x) + att)
            try e.set(.refund, x, 0)
            try e.set(.rejectCode, x, ResponseCode.reply)
            try e.set(.balance, t, pre.at(.balance, t) + att)
            e.set(.sumBalances, try pre[.sumBalances] + att)
            e.set(.sumRequests, try pre[.sumRequests] - att)
            return (try managementRequest(pre, x, [MethodCode.depositCycles]) + [try validTarget(pre, x)], e, t)
        }
    }

    /// The management canister rejects a request it cannot run, full refund: an unknown method or
    /// argument (CANISTER_REJECT, IC0407/IC0408), a target that is no canister (DESTINATION_INVALID,
    /// IC0301), a lifecycle method from a non-controller (CANISTER_ERROR, IC0512).
    public static let managementReject = Rule(name: "managementReject", summary: "management canister rejects an invalid request or a non-controller's, full refund") { pre, post, tag in
        let code = try pre.context.int(tag + "code")
        return try onRequest(pre, post, tag, code: code) { x in
            let m = try pre.at(.method, x)
            let why = try or([
                (m == MethodCode.invalid) && (code == ResponseCode.canisterReject),
                (m != MethodCode.invalid) && !validTarget(pre, x) && (code == ResponseCode.destinationInvalid),
                oneOf(m, lifecycleMethods) && validTarget(pre, x) && !byController(pre, x) && (code == ResponseCode.canisterError),
            ])
            let guards = try managementRequest(pre, x, [MethodCode.invalid, MethodCode.depositCycles] + lifecycleMethods) + [why]
            return (guards, try rejectedWithFullRefund(pre, call: x, code: code), nil)
        }
    }

    /// `stop_canister` on a target not stopped: the target is stopping and the management
    /// canister holds the call (its cycles stay with the request) until `answerHeldStop`.
    public static let holdStopCall = Rule(name: "holdStopCall", summary: "stop_canister on a running/stopping target: target stopping, call held") { pre, post, tag in
        try onRequest(pre, post, tag) { x in
            let t = try pre.at(.target, x)
            var e = Effects(pre)
            try e.set(.held, x, 1)
            try e.set(.status, t, StatusCode.stopping)
            let guards = try controllerRequest(pre, x, [MethodCode.stopCanister]) + [try pre.at(.status, t) != StatusCode.stopped]
            return (guards, e, nil)
        }
    }

    /// `stop_canister` on a stopped target: reply at once, full refund.
    public static let stopCallStopped = Rule(name: "stopCallStopped", summary: "stop_canister on a stopped target: reply, full refund") { pre, post, tag in
        try onRequest(pre, post, tag) { x in
            let guards = try controllerRequest(pre, x, [MethodCode.stopCanister]) + [try pre.at(.status, pre.at(.target, x)) == StatusCode.stopped]
            return (guards, try rejectedWithFullRefund(pre, call: x, code: pre.context.int(ResponseCode.reply)), nil)
        }
    }

    /// `start_canister`: the target runs; reply, full refund. The stop calls held for it are
    /// answered CANISTER_ERROR by `answerHeldStop`, once each, in the same step.
    public static let startCall = Rule(name: "startCall", summary: "start_canister: target running, reply, full refund (held stop calls answered by answerHeldStop)") { pre, post, tag in
        try onRequest(pre, post, tag) { x in
            var e = try rejectedWithFullRefund(pre, call: x, code: pre.context.int(ResponseCode.reply))
            try e.set(.status, pre.at(.target, x), StatusCode.running)
            return (try controllerRequest(pre, x, [MethodCode.startCanister]), e, nil)
        }
    }

    /// A held `stop_canister` call x is answered, full refund: reply once its target is stopped,
    /// CANISTER_ERROR once it runs again (started), SYS_TRANSIENT while it is still stopping (the
    /// stop timeout).
    public static let answerHeldStop = Rule(name: "answerHeldStop", summary: "a held stop_canister call is answered: reply (stopped), CANISTER_ERROR (started) or SYS_TRANSIENT (timeout), full refund") { pre, post, tag in
        let ctx = pre.context
        let x = try ctx.int(tag + "x"), code = try ctx.int(tag + "code")
        let status = try pre.at(.status, pre.at(.target, x))
        var e = try rejectedWithFullRefund(pre, call: x, code: code)
        try e.set(.held, x, 0)
        let guards = [
            try pre.at(.phase, x) == Phase.requested, try pre.at(.held, x) == 1,
            try or([(status == StatusCode.stopped) && (code == ResponseCode.reply),
                    (status == StatusCode.running) && (code == ResponseCode.canisterError),
                    (status == StatusCode.stopping) && (code == ResponseCode.sysTransient)]),
        ]
        return try instance(guards, e, post, universalGuard: nil,
                            params: [("x", x), ("code", code)], touchedCall: x, touchedCanister: nil)
    }

    /// `install_code` in a mode that fits the target (upgrade: code installed, hooks succeed;
    /// install: empty; reinstall: any): the target has code; reply, full refund.
    public static let installCode = Rule(name: "installCode", summary: "install_code (upgrade of code, install on empty, reinstall): target has code, reply, full refund") { pre, post, tag in
        try onRequest(pre, post, tag) { x in
            let m = try pre.at(.method, x), t = try pre.at(.target, x)
            let empty = try pre.at(.empty, t)
            var e = try rejectedWithFullRefund(pre, call: x, code: pre.context.int(ResponseCode.reply))
            try e.set(.empty, t, 0)
            let fits = try or([(m == MethodCode.upgrade) && (empty == 0), (m == MethodCode.install) && (empty == 1),
                               m == MethodCode.reinstall])
            return (try controllerRequest(pre, x, installModes) + [fits], e, nil)
        }
    }

    /// `install_code` in a mode that does not fit the target (install on code: IC0538; upgrade of
    /// an empty canister: IC0537): CANISTER_ERROR, full refund, no effect.
    public static let installCodeRejected = Rule(name: "installCodeRejected", summary: "install_code in a mode that does not fit the target: CANISTER_ERROR, full refund") { pre, post, tag in
        try onRequest(pre, post, tag) { x in
            let m = try pre.at(.method, x), empty = try pre.at(.empty, pre.at(.target, x))
            let misfit = try ((m == MethodCode.upgrade) && (empty == 1)) || ((m == MethodCode.install) && (empty == 0))
            let e = try rejectedWithFullRefund(pre, call: x, code: pre.context.int(ResponseCode.canisterError))
            return (try controllerRequest(pre, x, installModes) + [misfit], e, nil)
        }
    }

    /// An upgrade whose `pre_upgrade` or `post_upgrade` traps (canister behaviour, abstracted):
    /// CANISTER_ERROR, full refund, no effect.
    public static let installCodeTrap = Rule(name: "installCodeTrap", summary: "install_code upgrade whose hook traps: CANISTER_ERROR, full refund") { pre, post, tag in
        try onRequest(pre, post, tag) { x in
            let e = try rejectedWithFullRefund(pre, call: x, code: pre.context.int(ResponseCode.canisterError))
            return (try controllerRequest(pre, x, [MethodCode.upgrade]) + [try pre.at(.empty, pre.at(.target, x)) == 0], e, nil)
        }
    }
}
