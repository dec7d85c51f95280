import Testing
@testable import ICProofs
import SMT

/// Deliberately broken rules must make the corresponding proofs fail with a counterexample.
struct BrokenRuleTests {
    /// The callback credits the refund twice (Σ-variables updated to match the arrays).
    static let doubleRefund = Rule(name: "executeCallback", summary: "BROKEN: refund credited twice") { pre, post, tag in
        try ICRules.callback(pre, post, tag, refundFactor: 2)
    }

    /// Delivery of any queued request, ignoring the queue head.
    static let ignoreHead = Rule(name: "deliverRequest", summary: "BROKEN: ignores the queue head") { pre, post, tag in
        let i = try ICRules.deliverRequest.instantiate(pre: pre, post: post, tag: tag)
        return RuleInstance(relation: i.relation, universalGuard: nil, params: i.params,
                            touchedCall: i.touchedCall, touchedCanister: i.touchedCanister)
    }

    /// `deposit_cycles` credits the target but leaves the request's cycles in flight (Σ-variables
    /// updated to match the arrays): cycles are created.
    static let depositWithoutDebit = Rule(name: "depositCycles", summary: "BROKEN: the request keeps its cycles") { pre, post, tag in
        let x = try pre.context.int(tag + "x"), t = try pre.context.int(tag + "target")
        let att = try pre.at(.attached, x)
        var e = Effects(pre)
        try e.set(.phase, x, Phase.responded)
        try e.set(.accepted, x, pre.at(.accepted, x) + att)
        try e.set(.refund, x, att)
        try e.set(.balance, t, pre.at(.balance, t) + att)
        e.set(.sumBalances, try pre[.sumBalances] + att)
        e.set(.sumRequests, try pre[.sumRequests] - att)
        e.set(.sumResponses, try pre[.sumResponses] + att)
        return try ICRules.instance([try pre.at(.phase, x) == Phase.requested], e, post, universalGuard: nil,
                                    params: [("x", x), ("target", t)], touchedCall: x, touchedCanister: t)
    }

    static func replacing(_ rule: Rule) -> [Rule] {
        ICRules.standard.map { $0.name == rule.name ? rule : $0 }
    }

    @Test func doubleRefundBreaksConservation() throws {
        let rows = try ICProver(timeout: 60, rules: Self.replacing(Self.doubleRefund)).run(properties: ["conservation"])
        let bad = rows.filter { $0.outcome != .proved }
        #expect(bad.map(\.property) == ["conservation/Total"])
        #expect(bad.map(\.rule) == ["executeCallback"])
        guard case let .refuted(cti) = bad.first?.outcome else { Issue.record("expected a counterexample"); return }
        print(cti)
        #expect(cti.contains("rule executeCallback(x="))
        #expect(cti.contains("phase=responded → done"))
        #expect(cti.contains("balance="))
        // Everything else about conservation is still proved for the other rules.
        #expect(rows.filter { $0.outcome == .proved }.count == rows.count - 1)
    }

    @Test func aDepositThatKeepsTheCyclesInFlightBreaksConservation() throws {
        let rows = try ICProver(timeout: 60, rules: Self.replacing(Self.depositWithoutDebit)).run(properties: ["conservation"])
        let bad = rows.filter { $0.outcome != .proved }
        #expect(bad.map(\.property) == ["conservation/Total"])
        #expect(bad.map(\.rule) == ["depositCycles"])
        // The real rule keeps conservation.
        let real = try ICProver(timeout: 60).run(properties: ["conservation"]).filter { $0.rule == "depositCycles" }
        #expect(!real.isEmpty && real.allSatisfy { $0.outcome == .proved })
    }

    @Test func ignoringTheQueueHeadBreaksOrdering() throws {
        let rows = try ICProver(timeout: 60, rules: Self.replacing(Self.ignoreHead)).run(properties: ["ordering"])
        let bad = rows.filter { $0.outcome != .proved }
        #expect(!bad.isEmpty)
        #expect(bad.allSatisfy { $0.rule == "deliverRequest" && $0.group == "ordering" })
        #expect(bad.contains { $0.property == "ordering/P3" })
        guard case let .refuted(cti) = bad.first(where: { $0.property == "ordering/P3" })?.outcome else {
            Issue.record("expected a counterexample"); return
        }
        print(cti)
        #expect(cti.contains("rule deliverRequest(x="))
        #expect(cti.contains("phase=requested → executing"))
    }

    @Test func unknownPropertyIsAnError() {
        #expect(throws: ProveError.self) { try ICProver().run(properties: ["no-such-property"]) }
        #expect(throws: Never.self) { try ICProver().select(["ordering"]) }
        #expect((try? ICProver().select(["ordering"]).map(\.name)) == ["wellformed", "ordering"])
    }

    /// A hard (nonlinear) obligation under a 1 ms timeout yields `unknown`, never `proved`.
    @Test func timeoutIsUnknownNeverProved() throws {
        let hard = PropertyGroup(name: "hard", summary: "nonlinear", invariants: [
            Invariant("NoCubeSum", "balance cubes", .state(.perCanisterPair) { s, i in
                let a = try s.at(.balance, i[0]), b = try s.at(.balance, i[1]), t = try s.at(.time, i[0])
                return try !((a > 0) && (b > 0) && (t > 0) && (a * a * a + b * b * b == t * t * t))
            }),
        ], dependsOn: [])
        let rows = try ICProver(timeout: 0.001, rules: [ICRules.advanceTime], groups: [hard]).run()
        #expect(rows.count == 2)
        // The base case is easy (time starts at 0); the induction step is nonlinear and times out.
        let step = rows.first { $0.rule == "advanceTime" }
        #expect(step?.outcome != .proved)
        if case .unknown = step?.outcome {} else { Issue.record("expected unknown, got \(String(describing: step?.outcome))") }
    }
}
