import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ICSpec
@testable import Specs

/// Partial-order reduction without the clock at its bound (docs/architecture.md,
/// "Partial-order reduction", "The clock"): a tick may be postponed past the steps of a
/// clock-free canister. The P specs keep every observation under relative time too, and a
/// program that reads the clock shows why the reads must count: with the tick's dependence
/// ignored, the reduced search misses a violation.
@Suite struct PartialOrderClockTests {
    /// C0: on "send", calls C1's "record" with the time it reads (a guaranteed call); its own
    /// state never changes, so the step is invisible to a property that reads only C1.
    struct Stamper: CanisterProgram {
        struct State: CanisterState {}
        var name: String { "stamper" }
        var initialState: State { State() }
        var callees: Set<CanisterId>? { [1] }

        func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
            let now = execution.now
            _ = try execution.call(CanisterId(1), "record", arguments: [Int(now)], then: 0)
            try execution.reply()
        }

        func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
    }

    /// C1: remembers the times it is sent, and replies.
    struct Recorder: CanisterProgram {
        struct State: CanisterState { var times: [Int] = [] }
        var name: String { "recorder" }
        var initialState: State { State() }
        var callees: Set<CanisterId>? { [] }

        func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
            execution.state.times += try call.arguments(as: [Int].self)
            try execution.reply()
        }

        func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
    }

    /// "C1 never hears of time 1": violated when the user sends after the clock ticked.
    static func stampSpec() -> Spec {
        var spec = Spec(
            name: "stamp", summary: "A stamp of the clock sent to a recorder.", details: "", category: .bugPattern, callKinds: [.guaranteed],
            configuration: SystemConfiguration(
                canisters: [CanisterSetup(Stamper()), CanisterSetup(Recorder())], ingress: [IngressMessage(to: 0, "send")],
                limits: MessagingLimits(maxTime: 1)),
            properties: [
                ICProperty(name: "no-time-1", statement: "C1 never records time 1.", observes: .none, reads: .canisters(fields: [1])) {
                    view in !(view.programState(of: 1, as: Recorder.State.self)?.times.contains(1) ?? false)
                }
            ],
            expectation: .violated(property: "no-time-1"))
        spec.reductions = [.partialOrder]
        return spec
    }

    /// The stamper's execution reads the clock, so its step depends on the tick: the reduced
    /// search finds the violation; with the tick's dependence ignored it misses it.
    @Test func aClockReadMakesTheTickDependent() throws {
        let spec = Self.stampSpec()
        #expect(spec.partialOrderProblem == nil)
        let sound = SpecSystem(spec: spec)
        var partialOrder = try #require(sound.partialOrder)
        let reads = partialOrder.reads
        var plainSpec = spec
        plainSpec.reductions = []
        #expect(PartialOrderTests.observations(of: SpecSystem(spec: plainSpec), reads: reads).violated == ["no-time-1"])
        #expect(PartialOrderTests.observations(of: sound, reads: reads).violated == ["no-time-1"])
        partialOrder.tickDependenceIsChecked = false
        let blind = SpecSystem(
            base: sound.base, silent: sound.silent, eagerSchedule: sound.eagerSchedule, fairness: sound.fairness, symmetry: nil,
            partialOrder: partialOrder)
        #expect(PartialOrderTests.observations(of: blind, reads: reads).violated.isEmpty, "the blind reduction found it: the test shows nothing")
    }

    /// Under relative time (no clock bound) the P specs are reduced and keep every observation
    /// of the full search (on the small workload of `PartialOrderMonitorTests`).
    @Test(arguments: ["P1-atomic-execution", "P9-best-effort-response", "P11-best-effort-cycles"])
    func relativeTimeIsReduced(name: String) throws {
        var spec = try PartialOrderMonitorTests.smallSpec(name)
        spec.reductions = [.relativeTime]
        var reducedSpec = spec
        reducedSpec.reductions.insert(.partialOrder)
        #expect(reducedSpec.partialOrderProblem == nil, "\(reducedSpec.partialOrderProblem ?? "")")
        let reduced = SpecSystem(spec: reducedSpec)
        let reads = try #require(reduced.partialOrder).reads
        let full = PartialOrderTests.observations(of: SpecSystem(spec: spec), reads: reads)
        let kept = PartialOrderTests.observations(of: reduced, reads: reads)
        #expect(kept.states < full.states, "\(name): \(full.states) → \(kept.states) states")
        #expect(kept.observations == full.observations, "\(name): \(full.observations.subtracting(kept.observations).count) observations lost")
        #expect(kept.violated == full.violated && full.violated.isEmpty, "\(name): \(full.violated) → \(kept.violated)")
    }
}
