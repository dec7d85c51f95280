import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import Specs

/// Partial-order reduction keeps every verdict of the library, safety and liveness, reports
/// counterexamples that are runs of the unreduced spec (liveness ones as lassos or runs that
/// end), reduces the specs that declare their call graphs, says in one line why it does not
/// apply, and reports a call outside a declared call graph.
@Suite struct PartialOrderTests {
    /// Capped: a search that runs away (e.g. a spec searched without the reductions that keep
    /// it finite) fails the verdict comparison at once instead of exhausting the machine.
    let runner = {
        var runner = SpecRunner(workers: 2, traceDirectory: nil)
        runner.maxStatesOverride = 200_000
        return runner
    }()

    /// Library specs whose canisters declare their callees and whose properties declare their
    /// reads: POR applies and explores fewer states (measured without other reductions).
    static let reducedSpecs = [
        "SC-shared-counter-read-write", "SC-shared-counter-increment", "B1-reentrancy-buggy", "B2-lock-after-trap-fixed",
        "B8-reject-means-no-effect-fixed", "B10-response-order-buggy",
        // With faults (spontaneous rejects, injected traps, synchronous call failures).
        "B1-reentrancy-fixed", "B10-response-order-fixed",
    ]

    /// Library specs with liveness properties that POR reduces (their properties declare their
    /// reads and their canisters their callees; the others have no state to spare).
    static let reducedLivenessSpecs = [
        "PS1-broadcast-without-catch-up", "PS2-broadcast-naive-catch-up", "PS3-broadcast-robust-catch-up", "A1-exchange-buggy",
        "A1-exchange-correct",
    ]

    @Test(arguments: allSpecNames)
    func partialOrderKeepsTheVerdict(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        for extra in [StateSpaceReductions(), [.symmetry], [.canonicalCallIds, .invisibleSteps]] {
            // The spec's own reductions stay: relative time and canonical call ids are what keep
            // a retry loop's space finite (S4, U1–U3, MGMT2), as `icmc check --symmetry` keeps them.
            var plainSpec = spec
            plainSpec.reductions = extra.union(spec.reductions.subtracting(.partialOrder))
            var reducedSpec = plainSpec
            reducedSpec.reductions.insert(.partialOrder)
            let applies = reducedSpec.partialOrderProblem == nil
            #expect(applies == (SpecSystem(spec: reducedSpec).partialOrder != nil))
            #expect(applies || !Self.reducedSpecs.contains(name), "\(name): \(reducedSpec.partialOrderProblem ?? "")")
            // Where it does not apply the search is the plain one (the system has no reduction).
            guard applies else { continue }
            // The P claims that hold take tens of seconds here in a debug build:
            // PartialOrderMonitorTests checks them on a smaller workload.
            if spec.category == .messageProperty, case .holds = spec.expectation { continue }
            let plain = runner.check(plainSpec)
            let reduced = runner.check(reducedSpec)
            #expect(reduced.result.verdict == plain.result.verdict, "\(name) \(extra): \(plain.result.verdict) → \(reduced.result.verdict)")
            #expect(plain.result.asExpected && reduced.result.asExpected, "\(name) \(extra): \(plain.result.verdict)")
            // A violation may lie deeper under POR, so only complete searches compare counts.
            if plain.result.verdict == .holds { #expect(reduced.result.distinct <= plain.result.distinct, "\(name) \(extra)") }
            if Self.reducedSpecs.contains(name) {
                if extra.isEmpty {
                    #expect(reduced.result.distinct < plain.result.distinct, "\(name): declared call graphs reduce nothing")
                }
            }
            if extra.isEmpty, Self.reducedLivenessSpecs.contains(name) {
                #expect(reduced.result.distinct < plain.result.distinct, "\(name): liveness spec not reduced")
            }
            if let found = reduced.counterexample, spec.livenessProperties.contains(where: { $0.name == found.property }) {
                // A liveness counterexample is a run of the spec too: a lasso whose cycle closes,
                // or a run that ends where nothing is enabled.
                // Re-executed concretely (the clock stays unbounded under relative time).
                var bare = plainSpec
                bare.reductions = plainSpec.reductions.intersection(.relativeTime)
                let replayed = try #require(found.trace.reexecuted(on: SpecSystem(spec: bare)), "\(name): not a run of the spec")
                if let loop = found.trace.loopIndex, loop < found.trace.steps.count {
                    let stored = SpecSystem(spec: plainSpec)
                    #expect(stored.representative(replayed.states[loop]) == stored.representative(replayed.finalState),
                        "\(name): the lasso does not close")
                }
                continue
            }
            guard let found = reduced.counterexample, let property = spec.properties.first(where: { $0.name == found.property })
            else { continue }
            // The trace is a run of the unreduced spec that ends in a violation.
            let replayed = try #require(found.trace.reexecuted(on: SpecSystem(spec: spec)), "\(name): not a run of the spec")
            #expect(!property.holds(replayed.finalState))
        }
    }

    /// Stronger than equal verdicts: every valuation of what the properties read that the full
    /// search reaches, the reduced search reaches too (POR preserves them up to stuttering).
    @Test(arguments: reducedSpecs)
    func partialOrderReachesEveryObservation(name: String) throws {
        let (full, kept) = try Self.fullAndReduced(try #require(SpecCatalog.builtInSmall.spec(named: name)))
        #expect(kept.states < full.states, "\(name): \(full.states) → \(kept.states) states")
        #expect(kept.observations == full.observations, "\(name): \(full.observations.subtracting(kept.observations).count) observations lost")
    }

    /// What a search reached: see `observations(of:reads:)`.
    typealias Observations = (states: Int, observations: Set<[AnyHashable]>, violated: Set<String>)

    /// `spec` searched in full and with partial-order reduction added to its own reductions
    /// (which must allow it), both projected onto what the reduction's properties read.
    static func fullAndReduced(_ spec: Spec) throws -> (full: Observations, kept: Observations) {
        var reducedSpec = spec
        reducedSpec.reductions.insert(.partialOrder)
        #expect(reducedSpec.partialOrderProblem == nil, "\(spec.name): \(reducedSpec.partialOrderProblem ?? "")")
        let reduced = SpecSystem(spec: reducedSpec)
        let reads = try #require(reduced.partialOrder).reads
        return (observations(of: SpecSystem(spec: spec), reads: reads), observations(of: reduced, reads: reads))
    }

    /// The reachable states' count, their projections onto `reads` with the monitors' values,
    /// and the properties found violated (a plain search).
    static func observations(of system: SpecSystem, reads: StateReads) -> Observations {
        var seen = Set(system.initialStates)
        var queue = Array(seen)
        var observations = Set<[AnyHashable]>()
        var violated = Set<String>()
        while let state = queue.popLast() {
            var projection: [AnyHashable] = [state.monitors]
            if !reads.cycleSums.isEmpty {
                projection += state.withView { view in
                    [reads.cycleSums.contains(.withSink) ? view.accountedCycles : 0,
                     reads.cycleSums.contains(.withoutSink) ? view.accountedCycles - view.lostCycles : 0]
                }
            }
            for canister in state.canisterIds {
                if reads.readsFields(of: canister) {
                    let record = state[canister: canister]
                    projection += [
                        record.status, record.programState, record.balance, record.codeVersion, record.globalTimer,
                        record.systemTasksRun,
                    ]
                }
                if reads.readsCallbacks(of: canister) { projection.append(state.openCallbacks.filter { $0.call.caller == canister }) }
            }
            observations.insert(projection)
            for property in system.properties where !property.condition(state) { violated.insert(property.name) }
            system.forEachSuccessor(of: state) { _, next in
                if seen.insert(next).inserted { queue.append(next) }
            }
        }
        return (seen.count, observations, violated)
    }

    /// Faults between canisters are owned steps (a request's reject or drop by its callee, a
    /// dropped response by its caller, a stop timeout by the canister stopping): bench-pubsub
    /// under every fault is reduced, alone and with symmetry, with the same verdict and every
    /// observation of the full search.
    @Test func faultsBetweenCanistersAreReduced() throws {
        var spec = BenchPubSub.spec(subscribers: 2, events: 1)
        spec.configuration.faults = .adversarial
        var reducedSpec = spec
        reducedSpec.reductions = [.partialOrder]
        #expect(reducedSpec.partialOrderProblem == nil)
        let reduced = SpecSystem(spec: reducedSpec)
        let reads = try #require(reduced.partialOrder).reads
        let full = Self.observations(of: SpecSystem(spec: spec), reads: reads)
        let kept = Self.observations(of: reduced, reads: reads)
        #expect(kept.states < full.states, "\(full.states) → \(kept.states) states")
        #expect(kept.observations == full.observations)
        for extra in [StateSpaceReductions(), [.symmetry]] {
            var plainSpec = spec
            plainSpec.reductions = extra
            var bothSpec = plainSpec
            bothSpec.reductions.insert(.partialOrder)
            let (plain, both) = (runner.run(plainSpec), runner.run(bothSpec))
            #expect(plain.verdict == .holds && both.verdict == .holds)
            #expect(both.distinct < plain.distinct, "\(extra): \(plain.distinct) → \(both.distinct)")
        }
    }

    /// Fair load shedding decides what may be dropped from every canister's messages: refused.
    @Test func fairLoadSheddingIsRefusedWithOneLine() throws {
        var spec = BenchPubSub.spec(subscribers: 2, events: 1)
        spec.configuration.loadShedding = .fair
        spec.reductions = [.partialOrder]
        let problem = try #require(spec.partialOrderProblem)
        #expect(problem.contains("fair load shedding") && !problem.contains("\n"))
        #expect(SpecSystem(spec: spec).partialOrder == nil)
    }

    /// A liveness property that does not declare what it reads leaves nothing to postpone.
    @Test func anUndeclaredLivenessReadIsCheckedUnreducedWithOneLine() throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: "S3-guaranteed-caller-cannot-stop"))
        spec.reductions.insert(.partialOrder)
        #expect(spec.partialOrderProblem == nil)
        #expect(SpecSystem(spec: spec).partialOrder != nil)
        spec.livenessProperties.append(ICLivenessProperty(name: "reads-all", statement: "Reads anything.") { _ in true })
        let problem = try #require(spec.partialOrderProblem)
        #expect(problem.contains("liveness property reads-all") && !problem.contains("\n"))
        #expect(SpecSystem(spec: spec).partialOrder == nil)
    }

    /// Under liveness a reduced state reports the steps it leaves out, so that the checker
    /// judges fairness on the classes enabled; without liveness nothing needs reporting.
    @Test func reducedStatesReportTheStepsLeftOut() throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: "PS1-broadcast-without-catch-up"))
        spec.reductions = [.partialOrder]
        let system = SpecSystem(spec: spec)
        #expect(system.leavesOutSuccessors)
        var seen = Set(system.initialStates)
        var queue = Array(seen)
        var reducedStates = 0
        while let state = queue.popLast() {
            var kept: [ICAction] = []
            var leftOut: [ICAction] = []
            system.forEachSuccessor(of: state, leavingOut: { leftOut.append($0) }) { action, next in
                kept.append(action)
                if seen.insert(next).inserted { queue.append(next) }
            }
            let all = SpecSystem(spec: { var plain = spec; plain.reductions = []; return plain }()).successors(of: state).map(\.action)
            #expect(Set(kept + leftOut) == Set(all))
            if !leftOut.isEmpty {
                reducedStates += 1
                // LF: the set kept has a step some weak-fairness class covers.
                #expect(kept.contains { SpecFairness.fairnessClass(of: $0) != nil })
            }
        }
        #expect(reducedStates > 0)
    }

    @Test func anUndeclaredPropertyReadIsNotReduced() throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: "SC-shared-counter-increment"))
        spec.properties.append(ICProperty(name: "reads-all", statement: "Reads anything.") { _ in true })
        spec.reductions = [.partialOrder]
        let problem = try #require(spec.partialOrderProblem)
        #expect(problem.contains("reads-all"))
    }

    @Test func aCallOutsideTheDeclaredCallGraphIsAnError() throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: "SC-shared-counter-increment"))
        // The clients call C0; declare that they call no one.
        spec.configuration.canisters[1].callees = []
        spec.configuration.canisters[2].callees = []
        spec.reductions = [.partialOrder]
        let result = runner.run(spec)
        guard case .error(let message) = result.verdict else {
            Issue.record("expected an error, got \(result.verdict)")
            return
        }
        #expect(message.contains("C1 called C0") || message.contains("C2 called C0"), "\(message)")
    }
}
