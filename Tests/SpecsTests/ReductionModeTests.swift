import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import Specs

/// Symmetry reduction keeps every verdict of the library, shortens no counterexample, reports
/// counterexamples as concrete runs, and refuses a declaration the properties contradict.
@Suite struct ReductionModeTests {
    let runner = SpecRunner(workers: 2, traceDirectory: nil)

    @Test(arguments: allSpecNames)
    func symmetryKeepsTheVerdict(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        var reduced = spec
        reduced.reductions.insert(.symmetry)
        let plain = runner.check(spec)
        let symmetric = runner.check(reduced)
        #expect(symmetric.result.verdict == plain.result.verdict, "\(name): \(plain.result.verdict) → \(symmetric.result.verdict)")
        #expect(symmetric.result.distinct <= plain.result.distinct)
        if !spec.symmetryGroups.isEmpty, spec.livenessProperties.isEmpty {
            #expect(symmetric.result.distinct < plain.result.distinct, "\(name): a declared symmetry that reduces nothing")
        }
        guard let found = symmetric.counterexample, let property = spec.properties.first(where: { $0.name == found.property }) else { return }
        // Symmetry reduction keeps breadth-first distances: the trace is as short as without it.
        #expect(found.trace.length == plain.counterexample?.trace.length)
        // The trace is a concrete run of the unreduced system, ending in a violation.
        let unreduced = SpecSystem(spec: spec)
        let replayed = try #require(found.trace.reexecuted(on: unreduced), "\(name): the reported trace is not a run of the spec")
        #expect(!property.holds(replayed.finalState))
        // Step for step the same states as the run (both with the whole history).
        let reported = unreduced.reportedTrace(replayed)
        #expect(zip(reported.states, found.trace.states).allSatisfy { ObservableState($0) == ObservableState($1) })
    }

    @Test func pubSubSubscribersAreSwapped() throws {
        let spec = BenchPubSub.spec(subscribers: 3, events: 1)
        var reduced = spec
        reduced.reductions = [.symmetry]
        let plain = runner.run(spec)
        let symmetric = runner.run(reduced)
        #expect(plain.verdict == .holds && symmetric.verdict == .holds)
        // 3! = 6 is the limit; states where subscribers differ in every respect are not merged.
        #expect(symmetric.distinct * 4 < plain.distinct, "\(plain.distinct) → \(symmetric.distinct)")
    }

    @Test(arguments: ["bench-pubsub", "SC-shared-counter-read-write", "SC-shared-counter-increment"])
    func librarySymmetriesPassTheAudit(name: String) throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        spec.reductions = [.symmetry]
        let system = SpecSystem(spec: spec)
        let reduction = try #require(system.symmetry, "\(name) declares a symmetry")
        #expect(SymmetryAudit.problems(system: system.base, reduction: reduction, maxStates: 3_000).isEmpty)
    }

    @Test func anAsymmetricPropertyIsRefused() throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: "SC-shared-counter-increment"))
        #expect(spec.symmetryDeclarationProblem == nil)
        let firstClientDone = ICProperty(
            name: "C1-done-first", statement: "C1 finishes before C2 starts.", observes: .none, mentions: .only([1])
        ) { _ in true }
        spec.properties.append(firstClientDone)
        let problem = try #require(spec.symmetryDeclarationProblem)
        #expect(problem.contains("C1-done-first") && problem.contains("single member") && !problem.contains("\n"))
        // Never used silently either.
        spec.reductions = [.symmetry]
        #expect(SpecSystem(spec: spec).symmetry == nil)
    }
}
