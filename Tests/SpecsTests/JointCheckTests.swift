import ICCore
import ICMessaging
import Testing
@testable import ICSpec
@testable import Specs

/// `SpecRunner.checkJointly(_:)`: specs that share a workload are checked by one search when
/// every property holds, and each alone otherwise, with the same verdicts and traces as alone.
@Suite struct JointCheckTests {
    let runner = SpecRunner(workers: 1, traceDirectory: nil)

    func spec(_ name: String) throws -> Spec { try #require(SpecCatalog.builtInSmall.entry(named: name)).spec() }

    @Test func holdingSpecsOfOneWorkloadShareOneSearch() throws {
        let specs = try ["P1-atomic-execution", "P6-at-most-once-execution", "P7-single-response"].map(spec)
        #expect(Set(specs.map(\.workload)).count == 1 && specs[0].workload != nil)
        let joint = runner.checkJointly(specs)
        let alone = specs.map { runner.check($0).result }
        for (together, single) in zip(joint.map(\.result), alone) {
            #expect(together.verdict == .holds && single.verdict == .holds)
            #expect(together.jointlyWith.count == specs.count - 1 && !together.jointlyWith.contains(together.name))
            // The joint search carries every spec's monitors: at least as many states as each alone.
            #expect(together.distinct >= single.distinct && together.distinct == joint[0].result.distinct)
        }
    }

    /// A property that fails in the joint search sends every spec back to its own search: the
    /// violation is reported with the shortest trace of the spec alone.
    @Test func aViolationIsReportedAsAlone() throws {
        let holding = try spec("P6-at-most-once-execution")
        var failing = holding
        failing.name = "P10-on-the-mixed-workload"
        failing.properties = [ICProperties.p10AllKindsCycles]
        let joint = runner.checkJointly([holding, failing])
        let alone = runner.check(failing).result
        #expect(joint[0].result.verdict == .holds && joint[0].result.jointlyWith.isEmpty)
        #expect(joint[1].result.verdict == .violated(property: ICProperties.p10AllKindsCycles.name))
        #expect(joint[1].result.traceLength == alone.traceLength && alone.traceLength != nil)
        #expect(joint[1].counterexample != nil && joint[1].result.distinct == alone.distinct)
    }

    @Test func specsThatDifferBeyondTheirPropertiesAreNotJoined() throws {
        let first = try spec("P6-at-most-once-execution")
        #expect(SpecRunner.joint(of: [first, try spec("P7-single-response")]) != nil)
        // Another workload name (the specification's cycle refunds).
        #expect(SpecRunner.joint(of: [first, try spec("P11-best-effort-cycles")]) == nil)
        // Same name, different initial state.
        var richer = try spec("P7-single-response")
        richer.configuration.canisters[0].initialBalance += 1
        #expect(SpecRunner.joint(of: [first, richer]) == nil)
        // A property name used twice.
        #expect(SpecRunner.joint(of: [first, first]) == nil)
        // No workload name.
        var untagged = try spec("P7-single-response")
        untagged.workload = nil
        #expect(SpecRunner.joint(of: [untagged, first]) == nil)
    }
}
