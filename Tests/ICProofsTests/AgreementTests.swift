import Foundation
import ICCore
import ICMessaging
import Testing
@testable import ICProofs
@testable import ICProofsAgreement

/// The symbolic rules (ICRules) and the explicit model (ICSystem) agree on sampled transitions.
@Suite(.serialized) struct AgreementTests {
    /// Every explicit action kind the sampled configurations must exercise.
    static let expectedActions: Set<String> = [
        "ingress", "deliverRequest", "rejectRequest", "deliverResponse", "discardResponse", "starveContext",
        "removeContext", "systemReject", "expireCall", "dropRequest", "dropResponse", "stopCanister",
        "completeStop", "startCanister", "upgradeCanister", "uninstallCanister", "installCanister", "reinstallCanister", "tick",
        "managementCall", "stopCallTimeout",
    ]

    @Test func symbolicRulesAgreeWithTheExplicitModel() throws {
        let checker = AgreementChecker()
        var total = AgreementChecker.Report()
        // The lifecycle system (management calls of each method and mode, the controller's
        // install and reinstall) is small: fewer walks cover it.
        let lifecycle = AgreementSystems.lifecycleSystem(
            controller: ControllerActions(uninstall: [1], install: [1], reinstall: [1], maxActions: 2))
        for (system, seed, walks) in [(AgreementSystems.system(), UInt64(1), 80), (AgreementSystems.system(frozenSink: true), 2, 80),
                                      (AgreementSystems.system(ingressCount: 2), 3, 80),
                                      (AgreementSystems.system(cycleRefunds: .specification), 4, 80),
                                      (AgreementSystems.managementSystem(), 5, 80), (lifecycle, 6, 20)] {
            let r = try checker.run(system: system, walks: walks, depth: 30, seed: seed)
            print("[\(system.name)] \(r)")
            total.transitions += r.transitions
            total.mutationsChecked += r.mutationsChecked
            total.seconds += r.seconds
            total.disagreements += r.disagreements
            total.escapes += r.escapes
            total.unknown += r.unknown
            total.rulesUsed.formUnion(r.rulesUsed)
            for (k, v) in r.perAction { total.perAction[k, default: 0] += v }
            for (k, v) in r.unmapped { total.unmapped[k, default: 0] += v }
        }
        print("TOTAL \(total)")
        #expect(total.disagreements.isEmpty)
        #expect(total.escapes.isEmpty)
        #expect(total.unknown == 0)
        #expect(total.unmapped.isEmpty)
        #expect(total.transitions >= 3000)
        #expect(total.mutationsChecked >= 4 * total.transitions)
        let missing = Self.expectedActions.subtracting(total.perAction.keys)
        #expect(missing.isEmpty, "actions never sampled: \(missing.sorted())")
        // Every symbolic rule except the stutter rules is needed to explain some explicit step
        // (no program of these systems has a trapping upgrade hook).
        let unused = Set(ICRules.standard.map(\.name)).subtracting(total.rulesUsed)
        #expect(unused.isSubset(of: ["executeTrap", "installCodeTrap"]), "rules never used: \(unused.sorted())")
    }

    /// The broken callback of `BrokenRuleTests.doubleRefund` (refund credited twice) — the same
    /// rule under which `BrokenRuleTests.doubleRefundBreaksConservation` finds a counterexample
    /// to induction of conservation — disagrees with the explicit model exactly on the steps
    /// that consume a real response with a positive refund (delivered, or discarded for a caller
    /// context an uninstall deleted: T10b credits the refund too).
    @Test func doubleRefundDisagreesWithTheExplicitModel() throws {
        let checker = AgreementChecker(rules: BrokenRuleTests.replacing(BrokenRuleTests.doubleRefund))
        let r = try checker.run(system: AgreementSystems.system(), walks: 30, depth: 30, seed: 1, mutations: false)
        print(r)
        #expect(!r.disagreements.isEmpty)
        #expect(r.disagreements.allSatisfy { d in
            (d.action.hasPrefix("deliver response") || d.action.hasPrefix("discard response")) && d.chains.allSatisfy { $0.contains("executeCallback") }
        })
        #expect(r.disagreements.allSatisfy { d in d.changes.contains { $0.hasPrefix("refunded[") } })
        // And the proof of conservation fails on the same rule (counterexample to induction).
        let rows = try ICProver(timeout: 60, rules: BrokenRuleTests.replacing(BrokenRuleTests.doubleRefund)).run(properties: ["conservation"])
        #expect(rows.contains { $0.rule == "executeCallback" && $0.property == "conservation/Total" && $0.outcome != .proved })
    }

    /// A single hand-picked transition: deliverRequest executing a method that forwards a call
    /// (deliverRequest ∘ issueCall ∘ executeNoReply); its mutations are all refuted.
    @Test func composedDeliveryIsOneChain() throws {
        let system = AgreementSystems.system()
        var state = system.initialStates[0]
        let go = system.successors(of: state).first { if case .ingress(0, _, false) = $0.action { return true } else { return false } }!
        var report = AgreementChecker.Report()
        try AgreementChecker().check(pre: state, action: go.action, post: go.state, into: &report)
        state = go.state
        // Relay accepts half (choice 1) and forwards best effort (choice 2).
        let forward = system.successors(of: state).first {
            if case .deliverRequest(0, 1, let choices, false) = $0.action { return choices.prefix(2) == [1, 2] } else { return false }
        }!
        #expect(forward.state.history.calls.count == 3)
        try AgreementChecker().check(pre: state, action: forward.action, post: forward.state, into: &report)
        print(report)
        #expect(report.transitions == 2)
        #expect(report.disagreements.isEmpty)
        #expect(report.escapes.isEmpty)
        #expect(report.mutationsChecked == 10)
    }
}
