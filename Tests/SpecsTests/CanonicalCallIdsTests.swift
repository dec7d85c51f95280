import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import Specs

/// Canonical call ids keep every verdict of the library and the length of every shortest
/// counterexample, report counterexamples as concrete runs, and rename calls consistently
/// (a renamed state has the renamed successors of the state).
@Suite struct CanonicalCallIdsTests {
    let runner = SpecRunner(workers: 2, traceDirectory: nil)

    /// `spec` with no reduction (and no clock bound if it declares relative time): what a
    /// reported trace is a run of.
    static func concrete(_ spec: Spec) -> Spec {
        var plain = spec
        if plain.reductions.contains(.relativeTime) { plain.configuration.limits.maxTime = .max }
        plain.reductions = []
        return plain
    }

    @Test(arguments: allSpecNames)
    func canonicalCallIdsKeepTheVerdict(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        var reduced = spec
        reduced.reductions.insert(.canonicalCallIds)
        let plain = runner.check(spec)
        let renamed = runner.check(reduced)
        #expect(renamed.result.verdict == plain.result.verdict, "\(name): \(plain.result.verdict) → \(renamed.result.verdict)")
        #expect(renamed.result.distinct <= plain.result.distinct)
        guard let found = renamed.counterexample else { return }
        // The trace is a concrete run of the spec (with the whole history), as long as the plain
        // search's: renaming keeps breadth-first distances.
        let unreduced = SpecSystem(spec: Self.concrete(spec))
        let replayed = try #require(found.trace.reexecuted(on: unreduced), "\(name): the reported trace is not a run of the spec")
        if let property = spec.properties.first(where: { $0.name == found.property }) {
            #expect(!property.holds(replayed.finalState))
            #expect(found.trace.length == plain.counterexample?.trace.length)
        }
    }

    /// On every state reachable within a bound, the representatives of the successors of a
    /// state and of its representative are the same set (the renaming maps runs to runs), and
    /// renaming twice changes nothing.
    @Test(arguments: ["B1-reentrancy-fixed", "B4-retry-without-dedup-fixed", "B8-reject-means-no-effect-fixed", "SC-shared-counter-read-write", "bench-pubsub"])
    func renamingCommutesWithSteps(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        let system = SpecSystem(spec: spec)
        var frontier = system.initialStates
        var seen = Set(frontier.map(\.fingerprint))
        var renumbered = 0
        while let state = frontier.popLast(), seen.count < 2_000 {
            let canonical = state.withCanonicalCallIds()
            #expect(canonical.withCanonicalCallIds() == canonical)
            if canonical != state { renumbered += 1 }
            var fromState = Set<UInt64>()
            var fromCanonical = Set<UInt64>()
            system.forEachSuccessor(of: state) { _, next in
                fromState.insert(next.withCanonicalCallIds().fingerprint)
                if seen.insert(next.fingerprint).inserted { frontier.append(next) }
            }
            system.forEachSuccessor(of: canonical) { _, next in fromCanonical.insert(next.withCanonicalCallIds().fingerprint) }
            #expect(fromState == fromCanonical, "\(name): renaming changes the successors")
        }
        #expect(renumbered > 0, "\(name): no state needed renaming, so the test shows nothing")
    }

    @Test func finishedCallsAreForgotten() throws {
        // B8's client retries reads; calls whose history no property observes disappear.
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "B8-reject-means-no-effect-fixed"))
        var reduced = spec
        reduced.reductions.insert(.canonicalCallIds)
        let plain = runner.run(spec)
        let renamed = runner.run(reduced)
        #expect(renamed.verdict == plain.verdict)
        #expect(renamed.distinct * 4 < plain.distinct * 3, "\(plain.distinct) → \(renamed.distinct)")
    }
}
