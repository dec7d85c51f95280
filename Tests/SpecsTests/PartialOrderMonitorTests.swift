import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ICSpec
@testable import Specs

/// Partial-order reduction with monitors (docs/architecture.md, "Partial-order reduction",
/// "Monitors"): the P specs judged through `PartialOrderMonitor`s are reduced, keep their
/// verdicts and reach every observation of the full search, the projection onto what the
/// properties read together with the monitors' values. Each runs on a small workload (the
/// mixed one without drops and traps) so that the two exhaustive searches take a few seconds in
/// a debug build; the catalogue's workloads are measured with the release binary
/// (docs/architecture.md).
@Suite struct PartialOrderMonitorTests {
    /// The P specs whose properties declare their reads and whose monitors their visible steps,
    /// and that the reduction shrinks. (P2-one-callback-per-call declares them too, but reads
    /// every canister's fields, callbacks and contexts: nothing is left to postpone.)
    static let monitoredSpecs = [
        "P1-atomic-execution", "P3-request-order", "P6-at-most-once-execution", "P7-single-response", "P8-guaranteed-response",
        "P9-best-effort-response", "P10-cycles-conserved-guaranteed", "P5-trap-rollback",
        // Global conservation declares the cycle totals it reads (`StateReads.cycleSums`).
        "P11-best-effort-cycles", "P11-best-effort-cycles-replica",
    ]

    /// `name` on the small workload: two clients with a guaranteed and a best-effort call to
    /// the server, spontaneous rejects, early expiry and synchronous call failures.
    static func smallSpec(_ name: String) throws -> Spec {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        var faults = spec.configuration.faults
        faults.dropBestEffort = false
        faults.injectedTraps = false
        faults.stopTimeouts = false
        spec.configuration = MessageWorkloads.mixed(faults: faults)
        return spec
    }

    /// P10 over best-effort calls (`DroppedCallsMonitor`, whose visible steps include the
    /// callee's): the violation and every observation of the full search are kept.
    @Test(arguments: [false, true])
    func droppedCallsMonitorKeepsEveryObservation(drops: Bool) throws {
        var spec = try Self.smallSpec("P10-cycles-conserved-best-effort")
        // With drops, the monitor remembers dropped calls' refunds.
        spec.configuration.faults.dropBestEffort = drops
        let (full, kept) = try PartialOrderTests.fullAndReduced(spec)
        #expect(kept.states < full.states, "\(full.states) → \(kept.states) states")
        #expect(kept.observations == full.observations, "\(full.observations.subtracting(kept.observations).count) observations lost")
        #expect(kept.violated == full.violated && full.violated == ["P10-all-kinds-cycles"], "\(full.violated) → \(kept.violated)")
    }

    @Test(arguments: monitoredSpecs)
    func reducedSearchKeepsEveryObservation(name: String) throws {
        let spec = try Self.smallSpec(name)
        let (full, kept) = try PartialOrderTests.fullAndReduced(spec)
        #expect(kept.states < full.states, "\(name): \(full.states) → \(kept.states) states")
        #expect(kept.observations == full.observations, "\(name): \(full.observations.subtracting(kept.observations).count) observations lost")
        #expect(kept.violated == full.violated, "\(name): verdict \(full.violated) → \(kept.violated)")
        #expect(full.violated.isEmpty, "\(name): \(full.violated)")
    }

    /// The order in which requests started and responses arrived (by canister): a monitor that
    /// changes in correct runs, on steps that change nothing a property reads.
    struct DeliveryOrderMonitor: PartialOrderMonitor {
        var order: [Int] = []

        func isVisible(_ action: ICAction) -> Bool {
            switch action {
            case .deliverRequest, .deliverResponse: return true
            default: return false
            }
        }

        mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
            switch action {
            case .deliverRequest(let from, _, _, _): order.append(from.index)
            case .deliverResponse(let call, _, _): order.append(10 + call.caller.index)
            default: break
            }
        }

        func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(order) }
    }

    /// Why a step that may change a monitor must count as visible: with visibility judged on
    /// the declared reads alone, the reduced search misses monitor values the full search
    /// reaches; with the monitor's visible steps it misses none.
    @Test func monitorStepsMustBeVisible() throws {
        var spec = try Self.smallSpec("P7-single-response")
        // The clock at its bound from the start: the reduction applies from the first state.
        spec.configuration.limits.maxTime = 0
        spec.properties = [
            ICProperty(
                name: "delivery-order", statement: "Remembers the order of request starts and response deliveries.", observes: .none,
                reads: .canisters(fields: []), monitor: DeliveryOrderMonitor()
            ) { _, _ in true }
        ]
        var reducedSpec = spec
        reducedSpec.reductions = [.partialOrder]
        let sound = SpecSystem(spec: reducedSpec)
        var partialOrder = try #require(sound.partialOrder)
        let full = PartialOrderTests.observations(of: SpecSystem(spec: spec), reads: partialOrder.reads)
        #expect(PartialOrderTests.observations(of: sound, reads: partialOrder.reads).observations == full.observations)
        partialOrder.monitorStepsAreVisible = false
        let blind = SpecSystem(
            base: sound.base, silent: sound.silent, eagerSchedule: sound.eagerSchedule, fairness: sound.fairness, symmetry: nil,
            partialOrder: partialOrder)
        let kept = PartialOrderTests.observations(of: blind, reads: partialOrder.reads)
        #expect(!full.observations.isSubset(of: kept.observations), "the blind reduction lost nothing: the test shows nothing")
    }

    /// Counts every step: it declares no visible steps.
    struct StepCounter: ICMonitor {
        var steps = 0
        mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) { steps = min(steps + 1, 3) }
        func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(steps) }
    }

    /// A monitor that does not declare its visible steps keeps the spec unreduced, with one line.
    @Test func anUndeclaredMonitorIsNotReduced() throws {
        var spec = try Self.smallSpec("P7-single-response")
        spec.properties.append(
            ICProperty(name: "steps", statement: "Counts steps.", observes: .none, reads: .canisters(fields: []), monitor: StepCounter()) { _, _ in true })
        spec.reductions = [.partialOrder]
        #expect(spec.partialOrderProblem?.contains("PartialOrderMonitor") == true, "\(spec.partialOrderProblem ?? "")")
        #expect(SpecSystem(spec: spec).partialOrder == nil)
    }
}
