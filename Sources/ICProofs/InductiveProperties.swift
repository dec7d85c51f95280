import SMT

/// The properties proved about `ICRules` (ic-semantics.md §5: P3, P6, P7, P8, P10, P11 and global
/// cycle conservation), each with the strengthening invariants found necessary.
public enum InductiveProperties {
    public static var all: [PropertyGroup] { [wellFormed, conservation, callConservation, lostSink, ordering, atMostOnce] }

    public static var names: [String] { all.map(\.name) }

    static func isIssued(_ s: SymbolicState, _ c: Term) throws -> Term { try s.at(.phase, c) != Phase.none }
    static func oneOf(_ t: Term, _ v: [Int]) throws -> Term { try ICRules.oneOf(t, v) }

    /// Structural strengthening invariants every other property relies on.
    public static let wellFormed = PropertyGroup(name: "wellformed", summary: "structural strengthening invariants (phases, signs)", invariants: [
        Invariant("StatesInRange", "phase and caller state take only their declared values", .state(.perCall) { s, i in
            try (s.at(.phase, i[0]) >= Phase.none) && (s.at(.phase, i[0]) <= Phase.done)
                && (s.at(.callerState, i[0]) >= CallerState.none) && (s.at(.callerState, i[0]) <= CallerState.doneUnknown)
                && (isIssued(s, i[0]) ==> oneOf(s.at(.kind, i[0]), [CallKindCode.guaranteed, CallKindCode.bestEffort]))
        }),
        Invariant("StatusInRange", "canister status is running, stopping or stopped", .state(.perCanister) { s, i in
            try oneOf(s.at(.status, i[0]), [StatusCode.running, StatusCode.stopping, StatusCode.stopped])
        }),
        Invariant("NoneClean", "an unissued call has no caller state, contexts, deliveries, accepted/refunded/lost cycles", .state(.perCall) { s, i in
            let c = i[0]
            let none = try s.at(.phase, c) == Phase.none
            return try (none == (s.at(.callerState, c) == CallerState.none))
                && (none ==> and([s.at(.contexts, c) == 0, s.at(.delivered, c) == 0, s.at(.accepted, c) == 0,
                                  s.at(.refunded, c) == 0, s.at(.lostOfCall, c) == 0, s.at(.returnedOfCall, c) == 0]))
        }),
        Invariant("ExpiredOnlyBestEffort", "only best-effort calls expire (SYS_UNKNOWN)", .state(.perCall) { s, i in
            try oneOf(s.at(.callerState, i[0]), [CallerState.expired, CallerState.doneUnknown])
                ==> (s.at(.kind, i[0]) == CallKindCode.bestEffort)
        }),
        Invariant("GuaranteedKeepsMessage", "a waiting guaranteed call always has its request, context or response in flight", .state(.perCall) { s, i in
            try ((s.at(.kind, i[0]) == CallKindCode.guaranteed) && (s.at(.callerState, i[0]) == CallerState.waiting))
                ==> oneOf(s.at(.phase, i[0]), [Phase.requested, Phase.executing, Phase.responded])
        }),
        Invariant("DoneSettled", "a call whose response was delivered has nothing in flight", .state(.perCall) { s, i in
            try (s.at(.callerState, i[0]) == CallerState.done) ==> (s.at(.phase, i[0]) == Phase.done)
        }),
        Invariant("CyclesNonNegative", "attached, accepted, refunded, lost, returned, available and refund amounts are ≥ 0", .state(.perCall) { s, i in
            let c = i[0]
            return try (isIssued(s, c) ==> and([s.at(.attached, c) >= 0, s.at(.accepted, c) >= 0,
                                               s.at(.refunded, c) >= 0, s.at(.lostOfCall, c) >= 0,
                                               s.at(.returnedOfCall, c) >= 0]))
                && ((s.at(.phase, c) == Phase.executing) ==> (s.at(.available, c) >= 0))
                && ((s.at(.phase, c) == Phase.responded) ==> (s.at(.refund, c) >= 0))
        }),
        Invariant("BalanceNonNegative", "canister balances are ≥ 0", .state(.perCanister) { s, i in
            try s.at(.balance, i[0]) >= 0
        }),
    ], dependsOn: [])

    /// Global conservation: Σ balances + requests + contexts + responses + lost = initial total,
    /// whether dropped best-effort cycles are lost (spec) or refunded to balances (replica).
    public static let conservation = PropertyGroup(name: "conservation", summary: "Σbalances + in-flight + held + lost = initial total, for every call kind, with or without the replica's refunds", invariants: [
        Invariant("Total", "sumBalances + sumRequests + sumHeld + sumResponses + lost = total", .state(.global) { s, _ in
            try s[.sumBalances] + s[.sumRequests] + s[.sumHeld] + s[.sumResponses] + s[.lost] == s[.total]
        }),
        Invariant("TotalConstant", "no rule changes the initial total", .step { pre, post, _, _ in
            try post[.total] == pre[.total]
        }),
        Invariant("SumBalances", "sumBalances = Σ_p balance[p] (initial value: definition of the total)",
                  .sum(domain: .canister, sumVar: .sumBalances, contribution: { s, p in try s.at(.balance, p) }, initiallyZero: false)),
        Invariant("SumRequests", "sumRequests = Σ_c (requested ? attached : 0)",
                  .sum(domain: .call, sumVar: .sumRequests, contribution: { s, c in
                      try (s.at(.phase, c) == Phase.requested).ite(s.at(.attached, c), s.context.int(0)) }, initiallyZero: true)),
        Invariant("SumHeld", "sumHeld = Σ_c (executing ? available : 0)",
                  .sum(domain: .call, sumVar: .sumHeld, contribution: { s, c in
                      try (s.at(.phase, c) == Phase.executing).ite(s.at(.available, c), s.context.int(0)) }, initiallyZero: true)),
        Invariant("SumResponses", "sumResponses = Σ_c (responded ? refund : 0)",
                  .sum(domain: .call, sumVar: .sumResponses, contribution: { s, c in
                      try (s.at(.phase, c) == Phase.responded).ite(s.at(.refund, c), s.context.int(0)) }, initiallyZero: true)),
        Invariant("SumLost", "lost = Σ_c lostOfCall[c]",
                  .sum(domain: .call, sumVar: .lost, contribution: { s, c in try s.at(.lostOfCall, c) }, initiallyZero: true)),
    ], dependsOn: ["wellformed"])

    /// Per-call conservation (P10, P11) and P8's "guaranteed calls never see SYS_UNKNOWN".
    public static let callConservation = PropertyGroup(name: "call-conservation", summary: "P10/P11 per call: accepted + refunded (+ in flight + lost + returned) = attached", invariants: [
        Invariant("CallLedger", "attached = accepted + inFlight + refunded + lostOfCall + returnedOfCall for every issued call", .state(.perCall) { s, i in
            let c = i[0]
            return try isIssued(s, c) ==> (s.at(.attached, c)
                == s.at(.accepted, c) + s.inFlight(c) + s.at(.refunded, c) + s.at(.lostOfCall, c) + s.at(.returnedOfCall, c))
        }),
        Invariant("NoRefundBeforeCallback", "nothing is refunded to a caller before its callback runs", .state(.perCall) { s, i in
            try oneOf(s.at(.callerState, i[0]), [CallerState.waiting, CallerState.expired]) ==> (s.at(.refunded, i[0]) == 0)
        }),
        Invariant("NoLossWhileLive", "a waiting call with a message in flight, or a delivered response, lost nothing", .state(.perCall) { s, i in
            let c = i[0]
            let live = try (s.at(.callerState, c) == CallerState.waiting)
                && oneOf(s.at(.phase, c), [Phase.requested, Phase.executing, Phase.responded])
            return try (live || (s.at(.callerState, c) == CallerState.done)) ==> (s.at(.lostOfCall, c) == 0)
        }),
        Invariant("GuaranteedNoLoss", "guaranteed calls never lose cycles nor get anonymous refunds", .state(.perCall) { s, i in
            try (s.at(.kind, i[0]) == CallKindCode.guaranteed) ==> ((s.at(.lostOfCall, i[0]) == 0) && (s.at(.returnedOfCall, i[0]) == 0))
        }),
        Invariant("NoReturnWhileLive", "a waiting call with a message in flight, or a delivered response, got no anonymous refund", .state(.perCall) { s, i in
            let c = i[0]
            let live = try (s.at(.callerState, c) == CallerState.waiting)
                && oneOf(s.at(.phase, c), [Phase.requested, Phase.executing, Phase.responded])
            return try (live || (s.at(.callerState, c) == CallerState.done)) ==> (s.at(.returnedOfCall, c) == 0)
        }),
        Invariant("P10", "once a (non-SYS_UNKNOWN) response is delivered: accepted + refunded = attached (all guaranteed calls; best-effort calls answered normally)", .state(.perCall) { s, i in
            let c = i[0]
            return try (s.at(.callerState, c) == CallerState.done) ==> (s.at(.accepted, c) + s.at(.refunded, c) == s.at(.attached, c))
        }),
        Invariant("P11", "a call answered with SYS_UNKNOWN is best-effort, gets no refund, and accepted ≤ attached", .state(.perCall) { s, i in
            let c = i[0]
            return try oneOf(s.at(.callerState, c), [CallerState.expired, CallerState.doneUnknown])
                ==> and([s.at(.kind, c) == CallKindCode.bestEffort, s.at(.refunded, c) == 0, s.at(.accepted, c) <= s.at(.attached, c)])
        }),
        Invariant("P8", "guaranteed calls never get a SYS_UNKNOWN response code", .state(.perCall) { s, i in
            try (s.at(.kind, i[0]) == CallKindCode.guaranteed) ==> (s.at(.rejectCode, i[0]) != ResponseCode.sysUnknown)
        }),
    ], dependsOn: ["wellformed"])

    /// The lost sink only grows, and only through best-effort drops.
    public static let lostSink = PropertyGroup(name: "lost-sink", summary: "lost cycles grow only through best-effort drops/expiry", invariants: [
        Invariant("LostGrowsOnlyByBestEffortDrop", "lost' ≥ lost, and lost' ≠ lost only when a best-effort request/response leaves flight", .step { pre, post, inst, _ in
            let same = try post[.lost] == pre[.lost]
            guard let x = inst.touchedCall else { return same }
            let bestEffortDrop = try and([pre.at(.kind, x) == CallKindCode.bestEffort,
                                          oneOf(pre.at(.phase, x), [Phase.requested, Phase.responded]),
                                          post.at(.phase, x) == Phase.done,
                                          post.at(.callerState, x) != CallerState.done])
            return try (post[.lost] >= pre[.lost]) && (same || bestEffortDrop)
        }),
        Invariant("LostOnlyBestEffort", "only best-effort calls have lost cycles", .state(.perCall) { s, i in
            try (s.at(.lostOfCall, i[0]) != 0) ==> (s.at(.kind, i[0]) == CallKindCode.bestEffort)
        }),
    ], dependsOn: ["wellformed"])

    static func pairOf(_ s: SymbolicState, _ c: Term, _ f: Field) throws -> Term {
        try s.at(f, s.at(.caller, c), s.at(.callee, c))
    }

    /// P3: requests from one canister to another start executing in the order they were sent.
    public static let ordering = PropertyGroup(name: "ordering", summary: "P3: per-pair requests start executing in send order", invariants: [
        Invariant("P3", "if c started and d (same pair) is still queued, c was sent before d", .state(.perCallPair) { s, i in
            let (c, d) = (i[0], i[1])
            return try ((s.at(.contexts, c) >= 1) && (s.at(.phase, d) == Phase.requested) && s.samePair(c, d))
                ==> (s.at(.sendSeq, c) < s.at(.sendSeq, d))
        }),
        Invariant("StartsIncrease", "each start of a pair's request has a larger sequence number than all earlier starts", .step { pre, post, _, w in
            let (p, q) = (w[1], w[2])
            return try (post.at(.lastStarted, p, q) == pre.at(.lastStarted, p, q)) || (post.at(.lastStarted, p, q) > pre.at(.lastStarted, p, q))
        }),
        Invariant("QueuedAfterLastStarted", "a queued request's sequence number exceeds the pair's last started one", .state(.perCall) { s, i in
            try (s.at(.phase, i[0]) == Phase.requested) ==> (s.at(.sendSeq, i[0]) > pairOf(s, i[0], .lastStarted))
        }),
        Invariant("StartedUpToLast", "a started request's sequence number is at most the pair's last started one", .state(.perCall) { s, i in
            try (s.at(.contexts, i[0]) >= 1) ==> (s.at(.sendSeq, i[0]) <= pairOf(s, i[0], .lastStarted))
        }),
        Invariant("SeqBelowNext", "issued calls have sequence numbers below the pair's next one", .state(.perCall) { s, i in
            try isIssued(s, i[0]) ==> (s.at(.sendSeq, i[0]) < pairOf(s, i[0], .nextSend))
        }),
        Invariant("LastBelowNext", "the pair's last started sequence number is below its next one", .state(.perCanisterPair) { s, i in
            try s.at(.lastStarted, i[0], i[1]) < s.at(.nextSend, i[0], i[1])
        }),
        Invariant("SeqUnique", "two issued calls of the same pair have different sequence numbers (the head guard is FIFO)", .state(.perCallPair) { s, i in
            let (c, d) = (i[0], i[1])
            return try ((c != d) && isIssued(s, c) && isIssued(s, d) && s.samePair(c, d)) ==> (s.at(.sendSeq, c) != s.at(.sendSeq, d))
        }),
    ], dependsOn: ["wellformed"])

    /// P6 (at most one call context per request) and P7 (at most one response delivered per call).
    public static let atMostOnce = PropertyGroup(name: "at-most-once", summary: "P6: ≤ 1 call context per request; P7: ≤ 1 response delivered per call", invariants: [
        Invariant("P6", "at most one call context is created per request", .state(.perCall) { s, i in
            try s.at(.contexts, i[0]) <= 1
        }),
        Invariant("NoContextBeforeDelivery", "unissued or queued requests have no call context", .state(.perCall) { s, i in
            try oneOf(s.at(.phase, i[0]), [Phase.none, Phase.requested]) ==> (s.at(.contexts, i[0]) == 0)
        }),
        Invariant("P7", "at most one response is delivered per call", .state(.perCall) { s, i in
            try s.at(.delivered, i[0]) <= 1
        }),
        Invariant("DeliveredMatchesCallerState", "delivered = 1 exactly when the callback has run", .state(.perCall) { s, i in
            let c = i[0]
            return try s.at(.delivered, c) == oneOf(s.at(.callerState, c), [CallerState.done, CallerState.doneUnknown])
                .ite(s.context.int(1), s.context.int(0))
        }),
    ], dependsOn: ["wellformed"])
}
