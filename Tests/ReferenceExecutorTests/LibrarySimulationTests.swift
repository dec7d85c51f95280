import Foundation
import ICCore
import ReferenceExecutor
import Specs
import Testing

/// `icmc simulate` finds the safety violations of the library's bug patterns (and the buggy
/// application) within a bounded number of runs, with fixed seeds: random scheduling with 30% of
/// calls faulted is enough to hit each. Liveness bugs (B6, a canister that cannot stop) are out of
/// reach for finite random runs and are left to the checker, and so is MGMT1, whose race (the
/// management canister executes install_code before the target's own callback has run) the
/// simulator's round order never schedules: the callee answers in the round of the call, and the
/// target runs its callback before the orchestrator in the next round.
@Test(arguments: SpecCatalog.builtInSmall.specs.filter { spec in
    (spec.category == .bugPattern || spec.category == .application) && spec.name.hasSuffix("-buggy")
        && !spec.name.hasPrefix("MGMT1-")
        && spec.expectation.violatedProperty.map { name in spec.properties.contains { $0.name == name } } == true
}.map(\.name))
func simulationFindsTheBuggySpec(_ name: String) throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
    let simulator = Simulator(model: spec.model)
    let report = simulator.simulate(seed: 1, runs: 300, steps: 60, faultRate: 0.3)
    let expected = try #require(spec.expectation.violatedProperty)
    #expect(report.violations.contains { $0.property == expected }, "\(name): no violation of \(expected) in \(report.runs) runs")
    // The same seed gives the same run.
    #expect(simulator.simulate(seed: 1, runs: 20, steps: 60, faultRate: 0.3) == simulator.simulate(seed: 1, runs: 20, steps: 60, faultRate: 0.3))
}
