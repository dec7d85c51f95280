import Foundation
import ICSpec
import Specs
import Testing

/// `SpecRunner`'s time and memory limits reach both phases: the breadth-first safety search and
/// the liveness graph (which has no verdict without the whole graph), and give `incomplete`,
/// never `holds`.

/// A catalogue spec with liveness properties, stripped of its safety properties so that the
/// liveness checker alone meets the limit.
private func livenessOnlySpec() throws -> Spec {
    var spec = try #require(SpecCatalog.builtInSmall.specs.first { !$0.livenessProperties.isEmpty }, "no liveness spec in the catalogue")
    spec.properties = []
    return spec
}

@Test func livenessStopsAtTheTimeLimit() throws {
    var runner = SpecRunner(workers: 1, traceDirectory: nil)
    runner.timeLimit = .nanoseconds(1)
    let result = runner.run(try livenessOnlySpec())
    #expect(result.verdict == .incomplete(SpecResult.timeLimitReason), "\(result.verdict)")
    #expect(result.isIncomplete)
}

@Test func livenessStopsAtTheMemoryLimit() throws {
    var runner = SpecRunner(workers: 1, traceDirectory: nil)
    runner.memoryLimit = 1 << 20  // far below this process's own footprint
    let result = runner.run(try livenessOnlySpec())
    #expect(result.verdict == .incomplete(SpecResult.memoryLimitReason), "\(result.verdict)")
}

@Test func safetyStopsAtTheMemoryLimitWithoutAVerdict() throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: "B1-reentrancy-fixed"))
    var runner = SpecRunner(workers: 1, traceDirectory: nil)
    runner.memoryLimit = 1 << 20
    let result = runner.run(spec)
    #expect(result.verdict == .incomplete(SpecResult.memoryLimitReason), "\(result.verdict)")
    #expect(!result.asExpected)
    // Without a limit the same spec holds: the limit, not the spec, made it incomplete.
    #expect(SpecRunner(workers: 1, traceDirectory: nil).run(spec).verdict == .holds)
}
