import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import Specs

/// The P specs' `scale` parameter: scale 1 (the default, checked by every verdict test) is the
/// original workload; scale 2 has the shape the bounds ask for (three canisters, two concurrent
/// calls of each kind covered) and a symmetry that is declared, valid and in use. Its searches
/// (millions of states) are too large for a debug build; these tests check its shape and a
/// bounded symmetry audit, and `icmc check NAME --param scale=2` the verdict.
@Suite struct ScaledWorkloadTests {
    static let scaled = SpecCatalog.builtIn.entries.filter { $0.parameters.contains { $0.name == "scale" } }.map(\.name)

    @Test func everyHoldingPropertySpecIsScaled() {
        let holding = SpecCatalog.builtIn.specs.filter { $0.category == .messageProperty && $0.expectation == .holds }.map(\.name)
        #expect(Set(holding) == Set(Self.scaled), "\(Set(holding).symmetricDifference(Self.scaled))")
    }

    @Test(arguments: scaled)
    func scaleTwoHasTheBoundsShape(name: String) throws {
        let entry = try #require(SpecCatalog.builtIn.entry(named: name))
        let small = try entry.spec(with: ["scale": 1])
        #expect(small.reductions.isEmpty && small.symmetryGroups.isEmpty, "\(name): scale 1 is the plain original search")
        let large = try entry.spec(with: ["scale": 2])
        #expect(large.configuration.canisters.count >= 3)
        let orders = large.configuration.ingress.compactMap { $0.arguments.as([ClientProgram.Order].self) }.flatMap { $0 }
        for kind in large.callKinds {
            #expect(orders.count { $0.kind == kind } >= 2, "\(name): fewer than two concurrent \(kind) calls")
        }
        #expect(large.symmetryDeclarationProblem == nil)
        #expect(large.reductions.contains(.symmetry))
        #expect(large.details.contains("scale=2") && !large.details.contains("\n"))
        #expect(SpecSystem(spec: large).symmetry != nil, "\(name): the declared symmetry is not used")
    }

    /// The clients are interchangeable in fact, not only by declaration: swapping them maps
    /// every explored state's successors onto successors (a bounded audit).
    @Test(arguments: ["P1-atomic-execution", "P3-request-order", "P6-at-most-once-small"])
    func scaleTwoSymmetryPassesTheAudit(name: String) throws {
        let spec = try #require(SpecCatalog.builtIn.entry(named: name)).spec(with: ["scale": 2])
        let system = SpecSystem(spec: spec)
        let reduction = try #require(system.symmetry)
        #expect(SymmetryAudit.problems(system: system.base, reduction: reduction, maxStates: 2_000).isEmpty)
    }

    /// Fair shedding is not vacuous: it still sheds, only not the canister within its share.
    @Test func fairSheddingStillSheds() throws {
        var spec = try #require(SpecCatalog.builtIn.spec(named: "FS2-fair-shedding-within-share"))
        let c0NeverShed = ICProperty(name: "c0-never-shed", statement: "No request of C0 is shed.", observes: .calls, observesContextRemoval: false) { view in
            !view.history.calls.contains { id, record in id.caller == 0 && FairSheddingSpecs.shed(record) }
        }
        spec.properties = [c0NeverShed]
        spec.expectation = .violated(property: "c0-never-shed")
        let (result, _) = SpecRunner(workers: 1, traceDirectory: nil).check(spec)
        #expect(result.asExpected, "\(result.verdict)")
    }
}
