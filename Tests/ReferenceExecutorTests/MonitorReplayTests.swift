import Foundation
import ICCore
import ICMessaging
import ICSpec
import ModelChecking
import ReferenceExecutor
import Specs
import Testing

/// Counts the replies of one canister: a monitor that names a canister (so not identity-free).
private struct ReplyCountMonitor: ICMonitor {
    let server: CanisterId
    var replies = 0

    mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        let earlier = before.pendingResponses
        for response in after.pendingResponses where !earlier.contains(where: { $0.call == response.call }) {
            guard case .reply = response.response else { continue }
            if before.pendingRequests(from: response.call.caller, to: server).contains(where: { $0.call == response.call })
                || before.contexts.contains(where: { $0.id == .call(response.call) && $0.canister == server }) {
                replies += 1
            }
        }
    }

    func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(server)
        hasher.combine(replies)
    }
}

/// The P1 workload with a claim the IC does not make: "the server replies at most once".
private func repliesAtMostOnceSpec() -> Spec {
    Spec(
        name: "monitor-replies-at-most-once", summary: "test", details: "test", category: .messageProperty,
        callKinds: [.guaranteed, .bestEffort], configuration: MessageWorkloads.mixed(),
        properties: [
            ICProperty(name: "server-replies-at-most-once", statement: "The server replies at most once.",
                       mentions: .only([CanisterId(2)]), monitor: ReplyCountMonitor(server: CanisterId(2))) { _, monitor in
                monitor.replies <= 1
            }
        ],
        expectation: .violated(property: "server-replies-at-most-once"))
}

@Suite struct MonitorTests {
    /// A check of monitored properties keeps their monitors and none of the ghost history.
    @Test func monitoredPropertiesKeepNoHistory() throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "P1-atomic-execution"))
        let system = SpecSystem(spec: spec)
        #expect(system.base.recordedHistory == .none)
        let initial = try #require(system.base.initialStates.first)
        #expect(initial.monitors.names == ["P1-atomic-execution", "P1-no-lost-update"])
        #expect(initial.monitors.areIdentityFree)
    }

    /// The model's monitor finds the second reply; the executor, given the same property,
    /// keeps its own monitor along the replayed run and confirms the violation.
    @Test func monitorCounterexampleReplaysInTheExecutor() throws {
        let spec = repliesAtMostOnceSpec()
        let (result, counterexample) = SpecRunner(workers: 1, traceDirectory: nil).check(spec)
        #expect(result.verdict == .violated(property: "server-replies-at-most-once"))
        let found = try #require(counterexample)
        let file = try SpecRunner.traceFile(for: found, of: spec)
        let report = Replayer(model: spec.model).replay(try TraceFile(jsonData: try file.jsonData()))
        #expect(report.outcome == .reproduced, "\(report.rendered)")
        // The executor's monitor, step by step, equals the model's.
        let property = spec.properties[0]
        var executor = ICExecutor(configuration: spec.configuration, monitors: MonitorStates(properties: [property]))
        for step in found.trace.steps {
            try executor.perform(step.action)
            #expect(executor.state.monitors == step.state.monitors, "after \(step.action)")
        }
        #expect(!property.holds(executor.state))
    }

    /// A library spec refuted through a converted monitor (P10 for best-effort calls: the
    /// caller's SYS_UNKNOWN refunds nothing of what the callee left): the check keeps no
    /// history, the counterexample replays, and the executor's own monitor equals the model's
    /// after every step, holding until the last one.
    @Test func convertedMonitorCounterexampleReplays() throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "P10-cycles-conserved-best-effort"))
        #expect(SpecSystem(spec: spec).base.recordedHistory == .none)
        let (result, counterexample) = SpecRunner(workers: 1, traceDirectory: nil).check(spec)
        #expect(result.verdict == .violated(property: "P10-all-kinds-cycles"))
        let found = try #require(counterexample)
        let file = try SpecRunner.traceFile(for: found, of: spec)
        let report = Replayer(model: spec.model).replay(try TraceFile(jsonData: try file.jsonData()))
        #expect(report.outcome == .reproduced, "\(report.rendered)")
        let property = try #require(spec.properties.first)
        var executor = ICExecutor(configuration: spec.configuration, monitors: MonitorStates(properties: spec.properties))
        for (index, step) in found.trace.steps.enumerated() {
            #expect(property.holds(executor.state), "before step \(index + 1)")
            try executor.perform(step.action)
            #expect(executor.state.monitors == step.state.monitors, "after \(step.action)")
        }
        #expect(!property.holds(executor.state))
    }

    /// A monitor that names canisters switches symmetry off (searching unreduced is sound) and
    /// makes `--relative-time` a one-line refusal.
    @Test func identityMonitorsRefuseRelativeTime() {
        var spec = repliesAtMostOnceSpec()
        #expect(spec.monitorProblem == nil)
        spec.reductions = [.relativeTime]
        #expect(spec.monitorProblem?.contains("--relative-time refused") == true)
        spec.reductions = [.symmetry, .canonicalCallIds]
        #expect(SpecSystem(spec: spec).canonicalCallIds == false)
    }
}
