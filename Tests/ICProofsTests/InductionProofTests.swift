import Testing
@testable import ICProofs
import SMT

@Suite(.serialized) struct InductionProofTests {
    @Test func everyInvariantIsProvedForEveryRule() throws {
        let rows = try ICProver(timeout: 60).run()
        let failed = rows.filter { $0.outcome != .proved }
        for r in failed { print(r.property, r.rule, r.outcome) }
        #expect(failed.isEmpty)
        // Every state invariant has a base case and one row per rule.
        let ruleCount = ICRules.standard.count
        for g in InductiveProperties.all {
            for inv in g.invariants {
                let n = rows.filter { $0.property == "\(g.name)/\(inv.name)" && $0.rule != "init" }.count
                #expect(n == ruleCount, "\(g.name)/\(inv.name)")
            }
        }
        let total = rows.reduce(0) { $0 + $1.seconds }
        print("proved \(rows.count) obligations in \(total) s")
    }
}
