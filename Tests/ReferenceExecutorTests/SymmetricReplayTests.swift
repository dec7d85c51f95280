import Foundation
import ICCore
import ModelChecking
import ReferenceExecutor
import Specs
import Testing

/// A counterexample found under symmetry reduction comes back as a concrete run: the
/// independent executor replays it unchanged, step for step, and sees the property violated.
@Test func symmetryReducedCounterexampleReplays() throws {
    var spec = try #require(SpecCatalog.builtInSmall.spec(named: "SC-shared-counter-read-write"))
    spec.reductions = [.symmetry]
    let system = SpecSystem(spec: spec)
    #expect(system.symmetry != nil)
    let (result, counterexample) = SpecRunner(workers: 2, traceDirectory: nil).check(spec)
    #expect(result.asExpected)
    let found = try #require(counterexample)
    // The reduced search stored representatives, in which C1 and C2 may have changed places;
    // the reported trace is the concrete run, which here differs from its representatives.
    let symmetry = try #require(system.symmetry)
    #expect(found.trace.states.contains { symmetry.canonical($0).state != $0 })
    let file = try SpecRunner.traceFile(for: found, of: spec)
    let report = Replayer(model: spec.model).replay(try TraceFile(jsonData: try file.jsonData()))
    #expect(report.outcome == .reproduced, "\(report.rendered)")
}
