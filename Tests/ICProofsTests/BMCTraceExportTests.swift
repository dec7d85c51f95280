import Foundation
import ICCore
import ICMessaging
import ModelChecking
import ReferenceExecutor
import Testing
@testable import ICProofs
@testable import ICProofsAgreement

/// A BMC counterexample, written as an ITF trace of the explicit model, replays on the
/// reference executor.
struct BMCTraceExportTests {
    let config = BMCConfiguration(balances: [100, 50], calls: 1)

    func bmcTrace() throws -> BMCTrace {
        let r = try BoundedModelChecker(configuration: config, timeout: 900).search(bound: 6)
        guard case let .violation(trace) = r else { throw BMCExportError(step: 0, message: "no violation: \(r)") }
        return trace
    }

    @Test func bestEffortLossTraceReplaysOnTheReferenceExecutor() throws {
        let start = Date()
        let trace = try bmcTrace()
        let bmcSeconds = Date().timeIntervalSince(start)
        let export = BMCTraceExport(configuration: config, trace: trace)
        // The system keeps the monitors of every property judged below.
        let (explicit, data) = try export.itf(
            properties: ICMessaging.ICProperties.notGuaranteed + [ICMessaging.ICProperties.p10GuaranteedCycles, ICMessaging.ICProperties.p11BestEffortCycles])
        print(trace)
        print("BMC: \(trace.steps.count) rules in \(String(format: "%.2f", bmcSeconds)) s → \(explicit.length) explicit actions: \(explicit.steps.map(\.action.description))")
        // Explicit re-execution: every action enabled, the final state violates P10 for best effort.
        #expect(explicit.length == 3)
        let final = explicit.finalState
        #expect(!ICMessaging.ICProperties.p10AllKindsCycles.holds(final))
        #expect(ICMessaging.ICProperties.p10GuaranteedCycles.holds(final))
        #expect(ICMessaging.ICProperties.p11BestEffortCycles.holds(final))
        let caller = CanisterId(try #require(trace.steps[0].params["caller"]))
        let record = try #require(final.history.calls[CallId(caller: caller, sequence: 0)])
        #expect(record.kind == .bestEffort && record.attached == trace.steps[0].params["cycles"])
        #expect(record.accepted + record.refunded < record.attached)
        // The document is in the shared format.
        let file = try TraceFile(jsonData: data)
        #expect(file.meta["source"] == .string("icmc-bmc"))
        #expect(file.meta["property"] == .string("P10-all-kinds-cycles"))
        #expect(Set(Replayer.stateFields).isSubset(of: Set(file.vars)))
        #expect(file.states.count == 4)
        // The reference executor reproduces it (spec resolved by the model name).
        let system = export.system()
        let report = Replayer.replay(data: data) { name, _ in
            name == system.name
                ? ICModel(name: name, configuration: system.configuration, properties: ICMessaging.ICProperties.notGuaranteed) : nil
        }
        print(report.rendered)
        #expect(report.outcome == .reproduced)
        #expect(report.matchedSteps == 3)
    }

    /// A tampered trace (a balance changed in the last state) is not reproduced: the replay
    /// really compares states.
    @Test func tamperedTraceDiverges() throws {
        let export = BMCTraceExport(configuration: config, trace: try bmcTrace())
        var file = try TraceFile(jsonData: try export.itf().data)
        guard case .array(var canisters) = file.states[3]["canisters"], case .object(var c0) = canisters[0] else {
            Issue.record("unexpected layout"); return
        }
        c0["balance"] = .int(12345)
        canisters[0] = .object(c0)
        file.states[3]["canisters"] = .array(canisters)
        let report = Replayer(model: ICModel(name: "bmc", configuration: export.configuration, properties: ICMessaging.ICProperties.notGuaranteed))
            .replay(data: try file.jsonData())
        #expect(report.outcome == .diverged)
        #expect(report.step == 3)
    }

    /// A rule without an explicit counterpart in the export is a clear error, not a crash.
    @Test func unsupportedRuleIsAnError() throws {
        let bogus = BMCTrace(steps: [BMCStep(rule: "stopCanister", params: ["canister": 0], changes: [])], finalCalls: [:])
        #expect(throws: BMCExportError.self) { try BMCTraceExport(configuration: config, trace: bogus).explicitTrace() }
    }
}
