import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ICSpec
@testable import Specs

/// The P specs' `scale` parameter: scale 1 (checked by every verdict test, through
/// `SpecCatalog.builtInSmall`) is the original workload; scale 2 has the shape the bounds ask for
/// (three canisters, two concurrent calls of each kind covered) and a symmetry that is declared,
/// valid and in use. Its searches (up to millions of states) are too large for a debug build;
/// these tests check its shape, a bounded symmetry audit and the bound each default declares,
/// and the release `icmc verify` (CI) the verdicts at the defaults.
@Suite struct ScaledWorkloadTests {
    static let scaled = SpecCatalog.builtInSmall.entries.filter { $0.parameters.contains { $0.name == "scale" } }.map(\.name)
    /// Specs whose scale-2 clients differ by design (`othersMakeFirstCallOnly`: C0 makes more
    /// calls than C1), so their symmetry starts at scale 3 (C1, C2).
    static let asymmetricAtScaleTwo: Set<String> = ["P3-request-order"]

    @Test func everyHoldingPropertySpecIsScaled() {
        let holding = SpecCatalog.builtInSmall.specs.filter { $0.category == .messageProperty && $0.expectation == .holds }.map(\.name)
        #expect(Set(holding) == Set(Self.scaled), "\(Set(holding).symmetricDifference(Self.scaled))")
    }

    @Test(arguments: scaled)
    func scaleTwoHasTheBoundsShape(name: String) throws {
        let entry = try #require(SpecCatalog.builtInSmall.entry(named: name))
        let small = try entry.spec(with: ["scale": 1])
        #expect(small.reductions.isEmpty && small.symmetryGroups.isEmpty, "\(name): scale 1 is the plain original search")
        let large = try entry.spec(with: ["scale": 2])
        #expect(large.configuration.canisters.count >= 3)
        let orders = large.configuration.ingress.compactMap { $0.arguments.as([ClientProgram.Order].self) }.flatMap { $0 }
        for kind in large.callKinds {
            #expect(orders.count { $0.kind == kind } >= 2, "\(name): fewer than two concurrent \(kind) calls")
        }
        #expect(large.symmetryDeclarationProblem == nil)
        #expect(large.details.contains("scale=2") && !large.details.contains("\n"))
        let symmetric = Self.asymmetricAtScaleTwo.contains(name) ? try entry.spec(with: ["scale": 3]) : large
        #expect(symmetric.symmetryDeclarationProblem == nil)
        #expect(symmetric.reductions.contains(.symmetry))
        #expect(SpecSystem(spec: symmetric).symmetry != nil, "\(name): the declared symmetry is not used")
        if Self.asymmetricAtScaleTwo.contains(name) {
            #expect(large.symmetryGroups.isEmpty && SpecSystem(spec: large).symmetry == nil, "\(name): C0 and C1 differ at scale 2")
        }
    }

    /// A spec whose default is scale 2 or 3 is checked there on a space of at least a million
    /// distinct states (measured unreduced, `MessagePropertyFigures`), declares the reduced count
    /// measured there as its floor, and says both in its details.
    @Test(arguments: scaled)
    func defaultAboveScaleOneIsTheBound(name: String) throws {
        let spec = try #require(SpecCatalog.builtIn.spec(named: name))
        let size = try #require(spec.parameters["scale"])
        guard size >= 2 else {
            #expect(spec.minimumStates == nil, "\(name): a floor only where the default is the bound")
            return
        }
        let figures = try #require(MessagePropertyFigures.measured[name]?[size], "\(name): no measured size at its default scale \(size)")
        #expect((figures.unreduced ?? 0) >= 1_000_000, "\(name): fewer than a million states unreduced at the default")
        #expect(spec.minimumStates == figures.reduced)
        #expect(spec.details.contains(MessagePropertyFigures.grouped(figures.reduced)))
        #expect(spec.details.contains(MessagePropertyFigures.grouped(figures.unreduced ?? 0)))
        #expect(spec.configuration.canisters.count >= 3)
    }

    /// The guaranteed-call claims share one scale-2 workload, so `icmc verify` checks them with
    /// one search; at scale 1 P8 and P10 stay on the mixed workload.
    @Test func guaranteedClaimsShareTheirScaleTwoSearch() throws {
        let names = ["P3-request-order-guaranteed", "P8-guaranteed-response", "P10-cycles-conserved-guaranteed"]
        let large = try names.map { try #require(SpecCatalog.builtIn.entry(named: $0)).spec(with: ["scale": 2]) }
        #expect(SpecRunner.joint(of: large) != nil)
        let small = try names.map { try #require(SpecCatalog.builtIn.entry(named: $0)).spec(with: ["scale": 1]) }
        #expect(SpecRunner.joint(of: small) == nil)
        #expect(SpecRunner.joint(of: Array(small.dropFirst())) != nil)
    }

    /// A search that holds on fewer states than the spec's floor is an error, never "holds".
    @Test func searchBelowTheFloorIsAnError() throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: "P6-at-most-once-small"))
        let runner = SpecRunner(workers: 1, traceDirectory: nil)
        let plain = runner.run(spec)
        #expect(plain.verdict == .holds)
        spec.minimumStates = plain.distinct
        #expect(runner.run(spec).verdict == .holds)
        spec.minimumStates = plain.distinct + 1
        let below = runner.run(spec)
        #expect(!below.asExpected)
        #expect(below.verdict == .error(SpecRunner.belowBound(plain.distinct, plain.distinct + 1)))
    }

    /// The clients are interchangeable in fact, not only by declaration: swapping them maps
    /// every explored state's successors onto successors (a bounded audit).
    @Test(arguments: [("P1-atomic-execution", 2), ("P3-request-order", 3), ("P6-at-most-once-small", 2)])
    func scaleTwoSymmetryPassesTheAudit(name: String, scale: Int) throws {
        let spec = try #require(SpecCatalog.builtInSmall.entry(named: name)).spec(with: ["scale": scale])
        let system = SpecSystem(spec: spec)
        let reduction = try #require(system.symmetry)
        #expect(SymmetryAudit.problems(system: system.base, reduction: reduction, maxStates: 2_000).isEmpty)
    }

    /// Fair shedding is not vacuous: it still sheds, only not the canister within its share.
    @Test func fairSheddingStillSheds() throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: "FS2-fair-shedding-within-share"))
        let c0NeverShed = ICProperty(name: "c0-never-shed", statement: "No request of C0 is shed.", observes: .calls, observesContextRemoval: false) { view in
            !view.history.calls.contains { id, record in id.caller == 0 && FairSheddingSpecs.shed(record) }
        }
        spec.properties = [c0NeverShed]
        spec.expectation = .violated(property: "c0-never-shed")
        let (result, _) = SpecRunner(workers: 1, traceDirectory: nil).check(spec)
        #expect(result.asExpected, "\(result.verdict)")
    }
}
