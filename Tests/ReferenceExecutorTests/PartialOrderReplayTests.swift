import Foundation
import ICCore
import ModelChecking
import ReferenceExecutor
import Specs
import Testing

/// A counterexample found under partial-order reduction is a run of the spec: the independent
/// executor replays it unchanged and sees the property violated. It may be longer than the
/// shortest one (POR does not keep breadth-first distances).
@Test func partialOrderCounterexampleReplays() throws {
    var spec = try #require(SpecCatalog.builtInSmall.spec(named: "SC-shared-counter-read-write"))
    spec.reductions = [.partialOrder]
    try expectReducedCounterexampleReplays(spec)
}

/// The same under every fault: spontaneous rejects, drops and stop timeouts are steps of one
/// canister for the reduction, and the reduced counterexample still replays.
@Test func partialOrderCounterexampleWithFaultsReplays() throws {
    var spec = try #require(SpecCatalog.builtInSmall.spec(named: "B1-reentrancy-buggy"))
    spec.configuration.faults = .adversarial
    spec.reductions = [.partialOrder]
    try expectReducedCounterexampleReplays(spec)
}

/// Liveness counterexamples found under partial-order reduction replay in the independent
/// executor: S4-retry-forever's lasso (its cycle, the retry, starts before its last state) and
/// PS2's run, which passes reduced states and ends where nothing is enabled.
@Test(arguments: ["S4-retry-forever-cannot-stop", "PS2-broadcast-naive-catch-up"])
func partialOrderLivenessCounterexampleReplays(name: String) throws {
    var spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
    spec.reductions.insert(.partialOrder)
    let (found, file) = try expectReducedCounterexampleReplays(spec)
    #expect(spec.livenessProperties.contains { $0.name == found.property })
    if name.hasPrefix("S4") {
        let loop = try #require(file.loopIndex)
        #expect(loop < file.states.count - 1, "a lasso whose cycle has steps")
    }
}

/// A counterexample judged by a monitor, found under partial-order reduction, replays: the
/// counter server of SC-shared-counter-read-write answers both clients' `get` with 0, which
/// `RepliedValuesMonitor` (a `PartialOrderMonitor`: the server's executions are its visible
/// steps) sees as a repeated value; the executor's own monitor sees it too.
@Test func partialOrderMonitorCounterexampleReplays() throws {
    var spec = try #require(SpecCatalog.builtInSmall.spec(named: "SC-shared-counter-read-write"))
    spec.properties = [
        ICProperty(
            name: "distinct-replies", statement: "The counter server never replies the same value twice.", observes: .none,
            mentions: .only([0]), reads: .canisters(fields: []), monitor: RepliedValuesMonitor(server: 0)
        ) { _, monitor in !monitor.repeated }
    ]
    spec.expectation = .violated(property: "distinct-replies")
    spec.symmetryGroups = []
    spec.reductions = [.partialOrder]
    try expectReducedCounterexampleReplays(spec)
}

/// The P specs refuted on the program level (P2's naive atomicity, P4's response order) declare
/// their reads: their reduced counterexamples replay too, and so do P10's over best-effort calls
/// (`DroppedCallsMonitor`) and B14's (a timer; the reduction postpones ticks past clock-free
/// canisters, and finds the violation in 3 steps rather than 2).
@Test(arguments: ["P2-await-splits-execution", "P4-responses-unordered", "P10-cycles-conserved-best-effort", "B14-overlapping-periodic-task-buggy"])
func partialOrderMessagePropertyCounterexampleReplays(name: String) throws {
    var spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
    spec.reductions = [.partialOrder]
    try expectReducedCounterexampleReplays(spec)
}

/// Checks the reduced `spec` (POR must apply), expects its verdict, and replays its
/// counterexample in the executor; returns the counterexample and its trace for further checks.
@discardableResult
private func expectReducedCounterexampleReplays(_ spec: Spec) throws -> (found: SpecRunner.Counterexample, file: TraceFile) {
    #expect(SpecSystem(spec: spec).partialOrder != nil, "\(spec.partialOrderProblem ?? "")")
    let (result, counterexample) = SpecRunner(workers: 2, traceDirectory: nil).check(spec)
    #expect(result.asExpected, "\(spec.name): \(result.verdict)")
    let found = try #require(counterexample)
    let file = try SpecRunner.traceFile(for: found, of: spec)
    let report = Replayer(model: spec.model).replay(try TraceFile(jsonData: try file.jsonData()))
    #expect(report.outcome == .reproduced, "\(report.rendered)")
    return (found, file)
}
