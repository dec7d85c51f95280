import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import Specs

/// The invisible-steps reduction (T9 merged into the step that enables it) keeps every verdict
/// of the library and reports counterexamples as runs of the plain model; the declarations it
/// relies on (`ICProperty.observesContextRemoval`) hold on every state the audit reaches.
@Suite struct InvisibleStepsTests {
    let runner = SpecRunner(workers: 2, traceDirectory: nil)

    @Test(arguments: allSpecNames)
    func invisibleStepsKeepTheVerdict(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        var reduced = spec
        reduced.reductions.insert(.invisibleSteps)
        let plain = runner.check(spec)
        let merged = runner.check(reduced)
        #expect(merged.result.verdict == plain.result.verdict, "\(name): \(plain.result.verdict) → \(merged.result.verdict)")
        #expect(merged.result.distinct <= plain.result.distinct)
        guard let found = merged.counterexample, let property = spec.properties.first(where: { $0.name == found.property })
        else { return }
        // The reported trace is a run of the plain spec (T9 steps where it needs them), as short
        // as the plain search's, ending in a violation.
        let unmerged = SpecSystem(spec: spec)
        let replayed = try #require(found.trace.reexecuted(on: unmerged), "\(name): the reported trace is not a run of the spec")
        #expect(!property.holds(replayed.finalState))
        #expect(found.trace.length == plain.counterexample?.trace.length)
    }

    @Test(arguments: allSpecNames)
    func contextRemovalDeclarationsHold(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        let system = ICSystem(configuration: spec.configuration, properties: spec.properties, name: spec.name)
        #expect(ContextRemovalAudit.problems(system: system, maxStates: 5_000) == [])
    }

    @Test func theAuditCatchesAWrongDeclaration() throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "P5-trap-rollback"))
        let system = ICSystem(configuration: spec.configuration, properties: [countsContexts(observesContextRemoval: false)], name: spec.name)
        let problems = ContextRemovalAudit.problems(system: system, maxStates: 5_000)
        #expect(problems.first?.hasPrefix("few-contexts declares that it does not observe context removal") == true)
    }

    @Test func mergingAppliesOnlyWhereItIsSound() throws {
        var pubSub = BenchPubSub.spec(subscribers: 2, events: 1)
        pubSub.reductions = [.invisibleSteps]
        #expect(pubSub.mergesInvisibleSteps(checking: pubSub.properties))
        // A property that observes context removal, safety or liveness (the default), turns it off.
        #expect(!pubSub.mergesInvisibleSteps(checking: pubSub.properties + [countsContexts(observesContextRemoval: true)]))
        let liveness = try #require(SpecCatalog.builtInSmall.specs.first { $0.livenessProperties.contains { $0.observesContextRemoval } })
        var reduced = liveness
        reduced.reductions = [.invisibleSteps]
        #expect(!reduced.mergesInvisibleSteps(checking: reduced.properties))
        // A liveness claim that declares it does not observe removal allows it.
        let retry = try #require(SpecCatalog.builtInSmall.spec(named: "S4-retry-forever-cannot-stop"))
        #expect(retry.mergesInvisibleSteps(checking: retry.properties))
    }

    @Test func pubSubShrinks() throws {
        let spec = BenchPubSub.spec(subscribers: 2, events: 1)
        var reduced = spec
        reduced.reductions = [.invisibleSteps]
        let plain = runner.run(spec)
        let merged = runner.run(reduced)
        #expect(plain.verdict == .holds && merged.verdict == .holds)
        #expect(merged.distinct * 2 < plain.distinct, "\(plain.distinct) → \(merged.distinct)")
    }
}

/// A property that counts every call context, so removing answered contexts early changes it:
/// declared (wrongly, with `false`) or not as observing their removal.
private func countsContexts(observesContextRemoval: Bool) -> ICProperty {
    ICProperty(
        name: "few-contexts", statement: "At most one call context at a time.", observes: .none,
        observesContextRemoval: observesContextRemoval
    ) { view in view.contexts.count <= 1 }
}
