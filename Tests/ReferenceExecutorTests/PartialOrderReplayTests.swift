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
    var spec = try #require(SpecCatalog.builtIn.spec(named: "SC-shared-counter-read-write"))
    spec.reductions = [.partialOrder]
    #expect(SpecSystem(spec: spec).partialOrder != nil)
    let (result, counterexample) = SpecRunner(workers: 2, traceDirectory: nil).check(spec)
    #expect(result.asExpected)
    let found = try #require(counterexample)
    let file = try SpecRunner.traceFile(for: found, of: spec)
    let report = Replayer(model: spec.model).replay(try TraceFile(jsonData: try file.jsonData()))
    #expect(report.outcome == .reproduced, "\(report.rendered)")
}

/// The same under every fault: spontaneous rejects, drops and stop timeouts are steps of one
/// canister for the reduction, and the reduced counterexample still replays.
@Test func partialOrderCounterexampleWithFaultsReplays() throws {
    var spec = try #require(SpecCatalog.builtIn.spec(named: "B1-reentrancy-buggy"))
    spec.configuration.faults = .adversarial
    spec.reductions = [.partialOrder]
    #expect(SpecSystem(spec: spec).partialOrder != nil)
    let (result, counterexample) = SpecRunner(workers: 2, traceDirectory: nil).check(spec)
    #expect(result.asExpected)
    let found = try #require(counterexample)
    let file = try SpecRunner.traceFile(for: found, of: spec)
    let report = Replayer(model: spec.model).replay(try TraceFile(jsonData: try file.jsonData()))
    #expect(report.outcome == .reproduced, "\(report.rendered)")
}
