import Foundation
import ICCore
import ICMessaging
import SMT
import Testing
@testable import ICProofs
@testable import ICProofsAgreement

/// Agreement in the symbolic → explicit direction: from states the explicit model reaches,
/// every system step the Z3 rules allow is a step the explicit model takes.
@Suite(.serialized) struct SymbolicStepTests {
    @Test func everySystemStepOfTheRulesIsAnExplicitStep() throws {
        var enabled: [String: Int] = [:]
        var states = 0
        for (system, seed) in [(AgreementSystems.system(), UInt64(1)), (AgreementSystems.system(cycleRefunds: .specification), 4)] {
            let report = try AgreementChecker().checkSymbolicSteps(system: system, walks: 12, depth: 20, seed: seed)
            print("[\(system.name) \(system.configuration.cycleRefunds)] \(report)")
            #expect(report.excesses.isEmpty, "\(report)")
            #expect(report.unknown == 0)
            states += report.states
            for (chain, count) in report.enabled { enabled[chain, default: 0] += count }
        }
        #expect(states >= 100)
        // Every chain of both configurations was enabled in some state, so each was compared.
        let chains = (AgreementChecker.systemChains(for: AgreementSystems.system().configuration)
            + AgreementChecker.systemChains(for: AgreementSystems.system(cycleRefunds: .specification).configuration))
            .map { $0.joined(separator: "+") }
        #expect(Set(chains).subtracting(enabled.keys).isEmpty, "never enabled: \(Set(chains).subtracting(enabled.keys).sorted())")
    }

    /// Too permissive: a spontaneous reject may answer a guaranteed call with SYS_UNKNOWN.
    static let unknownForGuaranteed = Rule(name: "systemReject", summary: "BROKEN: SYS_UNKNOWN for guaranteed calls too") { pre, post, tag in
        let ctx = pre.context
        let x = try ctx.int(tag + "x"), code = try ctx.int(tag + "code")
        let e = try ICRules.rejectedWithFullRefund(pre, call: x, code: code)
        let guards = [try pre.at(.phase, x) == Phase.requested, try code >= 1, try code <= 6]
        return try ICRules.instance(guards, e, post, universalGuard: nil, params: [("x", x), ("code", code)],
                                    touchedCall: x, touchedCanister: nil)
    }

    /// Too permissive: any waiting call may expire, guaranteed ones too.
    static let guaranteedCallsExpire = Rule(name: "expireCall", summary: "BROKEN: guaranteed calls expire") { pre, post, tag in
        let x = try pre.context.int(tag + "x")
        var e = Effects(pre)
        try e.set(.callerState, x, CallerState.expired)
        return try ICRules.instance([try pre.at(.callerState, x) == CallerState.waiting], e, post, universalGuard: nil,
                                    params: [("x", x)], touchedCall: x, touchedCanister: nil)
    }

    /// Each broken rule allows steps the explicit model never takes, found in this direction;
    /// the explicit → symbolic direction cannot see them (every explicit step still fits).
    @Test(arguments: [("systemReject", 0), ("expireCall", 1)])
    func aTooPermissiveRuleHasStepsTheExplicitModelNeverTakes(rule name: String, which: Int) throws {
        let broken = [Self.unknownForGuaranteed, Self.guaranteedCallsExpire][which]
        let checker = AgreementChecker(rules: BrokenRuleTests.replacing(broken))
        let system = AgreementSystems.system()
        // Walks long and many enough to reach waiting calls although `.adversarial` may reject
        // the one ingress message at once (`rejectIngress`).
        let report = try checker.checkSymbolicSteps(system: system, walks: 12, depth: 15, seed: 1)
        print(report)
        #expect(!report.excesses.isEmpty, "\(name): \(report)")
        #expect(report.excesses.allSatisfy { $0.chain.contains(name) }, "\(report)")
        let forward = try checker.run(system: system, walks: 6, depth: 15, seed: 1, mutations: false)
        #expect(forward.disagreements.isEmpty, "\(forward)")
    }
}
