import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ICSpec
@testable import Specs

/// Partial-order reduction without the clock at its bound (docs/architecture.md,
/// "Partial-order reduction", "The clock"): a tick may be postponed past the steps of a
/// clock-free canister. The P specs keep every observation under relative time too; a program
/// that reads the clock, and a best-effort call that may time out, show why the tick must count
/// as dependent on such steps: with its dependence ignored, the reduced search misses a
/// violation.
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

    /// C0: on "send", makes a best-effort call to C1 with a 1 s timeout; remembers only a
    /// SYS_UNKNOWN answer, so the reply's delivery is invisible to a property that reads C0.
    struct TimingOutCaller: CanisterProgram {
        struct State: CanisterState { var timedOut = false }
        var name: String { "timing-out-caller" }
        var initialState: State { State() }
        var callees: Set<CanisterId>? { [1] }

        func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
            _ = try execution.call(CanisterId(1), "work", kind: .bestEffort, timeout: 1, then: 0)
            try execution.reply()
        }

        func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
            if response.rejectCode == .sysUnknown { execution.state.timedOut = true }
        }
    }

    /// C1: replies to every call.
    struct Replier: CanisterProgram {
        struct State: CanisterState {}
        var name: String { "replier" }
        var initialState: State { State() }
        var callees: Set<CanisterId>? { [] }

        func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws { try execution.reply() }

        func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
    }

    /// "C0's call never times out": violated when the clock ticks past the call's deadline
    /// before the reply is delivered. No program reads the clock.
    static func timeoutSpec() -> Spec {
        var spec = Spec(
            name: "timeout", summary: "A best-effort call that may time out.", details: "", category: .bugPattern, callKinds: [.bestEffort],
            configuration: SystemConfiguration(
                canisters: [CanisterSetup(TimingOutCaller()), CanisterSetup(Replier())], ingress: [IngressMessage(to: 0, "send")],
                limits: MessagingLimits(maxTime: 1)),
            properties: [
                ICProperty(name: "no-timeout", statement: "C0's call never times out.", observes: .none, reads: .canisters(fields: [0])) {
                    view in !(view.programState(of: 0, as: TimingOutCaller.State.self)?.timedOut ?? false)
                }
            ],
            expectation: .violated(property: "no-timeout"))
        spec.reductions = [.partialOrder]
        return spec
    }

    /// The caller's open best-effort call makes its steps depend on the tick (a tick makes the
    /// call expirable, which conflicts with delivering its reply): the reduced search finds the
    /// violation, with or without relative time; with the tick's dependence ignored it delivers
    /// every reply before the clock ticks and misses it.
    @Test(arguments: [false, true])
    func anOpenBestEffortCallMakesTheTickDependent(relativeTime: Bool) throws {
        var spec = Self.timeoutSpec()
        if relativeTime { spec.reductions.insert(.relativeTime) }
        try Self.expectFoundOnlyWithTickDependence(spec, violating: "no-timeout")
    }

    /// `spec`'s violation is found with and without the reduction, and missed by a reduction
    /// that ignores the tick's dependence (so the test can fail).
    static func expectFoundOnlyWithTickDependence(_ spec: Spec, violating property: String) throws {
        #expect(spec.partialOrderProblem == nil)
        let sound = SpecSystem(spec: spec)
        var partialOrder = try #require(sound.partialOrder)
        let reads = partialOrder.reads
        var plainSpec = spec
        plainSpec.reductions.remove(.partialOrder)
        #expect(PartialOrderTests.observations(of: SpecSystem(spec: plainSpec), reads: reads).violated == [property])
        #expect(PartialOrderTests.observations(of: sound, reads: reads).violated == [property])
        partialOrder.tickDependenceIsChecked = false
        let blind = SpecSystem(
            base: sound.base, silent: sound.silent, eagerSchedule: sound.eagerSchedule, fairness: sound.fairness, symmetry: sound.symmetry,
            canonicalCallIds: sound.canonicalCallIds, relativeTime: sound.relativeTime, partialOrder: partialOrder)
        #expect(PartialOrderTests.observations(of: blind, reads: reads).violated.isEmpty, "the blind reduction found it: the test shows nothing")
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
        try Self.expectFoundOnlyWithTickDependence(Self.stampSpec(), violating: "no-time-1")
    }

    /// Under relative time (no clock bound) the P specs are reduced and keep every observation
    /// of the full search (on the small workload of `PartialOrderMonitorTests`).
    @Test(arguments: ["P1-atomic-execution", "P9-best-effort-response", "P11-best-effort-cycles"])
    func relativeTimeIsReduced(name: String) throws {
        var spec = try PartialOrderMonitorTests.smallSpec(name)
        spec.reductions = [.relativeTime]
        let (full, kept) = try PartialOrderTests.fullAndReduced(spec)
        #expect(kept.states < full.states, "\(name): \(full.states) → \(kept.states) states")
        #expect(kept.observations == full.observations, "\(name): \(full.observations.subtracting(kept.observations).count) observations lost")
        #expect(kept.violated == full.violated && full.violated.isEmpty, "\(name): \(full.violated) → \(kept.violated)")
    }
}
