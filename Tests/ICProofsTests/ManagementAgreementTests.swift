import Foundation
import ICCore
import ICMessaging
import SMT
import Testing
@testable import ICProofs
@testable import ICProofsAgreement

/// The management canister's rules agree with the explicit model both ways (issue 11): every
/// management step the Z3 rules allow from a reached state is a step the explicit model takes
/// (symbolic → explicit), and a broken management rule is caught.
@Suite(.serialized) struct ManagementAgreementTests {
    /// Chains every reached state of the management system must have enabled somewhere.
    static let expectedChains: Set<String> = [
        "depositCycles", "managementReject", "holdStopCall", "stopCallStopped", "installCode", "installCodeRejected",
        "startCall", "startCall+answerHeldStop", "answerHeldStop",
    ]

    @Test func everyManagementStepOfTheRulesIsAnExplicitStep() throws {
        let report = try AgreementChecker().checkSymbolicSteps(system: AgreementSystems.lifecycleSystem(), walks: 8, depth: 12, seed: 5)
        print(report)
        #expect(report.excesses.isEmpty, "\(report)")
        #expect(report.unknown == 0)
        let missing = Self.expectedChains.subtracting(report.enabled.keys)
        #expect(missing.isEmpty, "never enabled: \(missing.sorted())")
    }

    /// Too permissive: `install` mode installs on a canister that has code.
    static let installOnCode = Rule(name: "installCode", summary: "BROKEN: install needs no empty canister") { pre, post, tag in
        try ICRules.onRequest(pre, post, tag) { x in
            var e = try ICRules.rejectedWithFullRefund(pre, call: x, code: pre.context.int(ResponseCode.reply))
            try e.set(.empty, pre.at(.target, x), 0)
            let m = try pre.at(.method, x), empty = try pre.at(.empty, pre.at(.target, x))
            let fits = try ((m == MethodCode.upgrade) && (empty == 0)) || m == MethodCode.install || m == MethodCode.reinstall
            return (try ICRules.controllerRequest(pre, x, ICRules.installModes) + [fits], e, nil)
        }
    }

    /// Too permissive: anyone may start a canister.
    static let startByAnyone = Rule(name: "startCall", summary: "BROKEN: no controller check") { pre, post, tag in
        try ICRules.onRequest(pre, post, tag) { x in
            var e = try ICRules.rejectedWithFullRefund(pre, call: x, code: pre.context.int(ResponseCode.reply))
            try e.set(.status, pre.at(.target, x), StatusCode.running)
            return (try ICRules.managementRequest(pre, x, [MethodCode.startCanister]) + [try ICRules.validTarget(pre, x)], e, nil)
        }
    }

    /// Wrong effect: a held stop call's answer keeps the call held.
    static let answerStaysHeld = Rule(name: "answerHeldStop", summary: "BROKEN: the answered call stays held") { pre, post, tag in
        let ctx = pre.context
        let x = try ctx.int(tag + "x"), code = try ctx.int(tag + "code")
        let status = try pre.at(.status, pre.at(.target, x))
        let e = try ICRules.rejectedWithFullRefund(pre, call: x, code: code)
        let guards = [
            try pre.at(.phase, x) == Phase.requested, try pre.at(.held, x) == 1,
            try or([(status == StatusCode.stopped) && (code == ResponseCode.reply),
                    (status == StatusCode.running) && (code == ResponseCode.canisterError),
                    (status == StatusCode.stopping) && (code == ResponseCode.sysTransient)]),
        ]
        return try ICRules.instance(guards, e, post, universalGuard: nil, params: [("x", x), ("code", code)],
                                    touchedCall: x, touchedCanister: nil)
    }

    /// Each broken management rule allows steps the explicit model never takes; only the one
    /// with a wrong effect is seen by the explicit → symbolic direction too.
    @Test(arguments: [("installCode", 0), ("startCall", 1), ("answerHeldStop", 2)])
    func aBrokenManagementRuleIsCaught(rule name: String, which: Int) throws {
        let broken = [Self.installOnCode, Self.startByAnyone, Self.answerStaysHeld][which]
        let checker = AgreementChecker(rules: BrokenRuleTests.replacing(broken))
        let system = AgreementSystems.lifecycleSystem()
        let report = try checker.checkSymbolicSteps(system: system, walks: 8, depth: 12, seed: 5)
        print(report)
        #expect(!report.excesses.isEmpty, "\(name): \(report)")
        #expect(report.excesses.allSatisfy { $0.chain.contains(name) }, "\(report)")
        let forward = try checker.run(system: system, walks: 8, depth: 12, seed: 5, mutations: false)
        #expect(forward.disagreements.isEmpty == (which != 2), "\(forward)")
    }
}
