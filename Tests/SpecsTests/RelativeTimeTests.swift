import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import Specs

/// Relative time keeps every verdict of the library (with the clock bound lifted), reports
/// counterexamples as concrete runs of the unbounded model, makes the clock relative
/// consistently (a state and its relative form have the same relative successors), and turns
/// the retry-forever claim into a lasso that loops over more than its last state.
@Suite struct RelativeTimeTests {
    let runner = SpecRunner(workers: 2, traceDirectory: nil)

    /// `spec` with no clock bound and no reduction: what a relative-time trace is a run of.
    static func unbounded(_ spec: Spec) -> Spec {
        var plain = spec
        plain.reductions = []
        plain.configuration.limits.maxTime = .max
        return plain
    }

    /// The states (reachable with an unbounded clock, up to time 6 and 3,000 states) whose
    /// successors change when their clock is made relative: empty for a spec whose programs and
    /// properties compare times only with each other.
    static func relativeClockProblems(_ spec: Spec) -> [String] {
        let system = SpecSystem(spec: unbounded(spec))
        var frontier = system.initialStates
        var seen = Set(frontier.map(\.fingerprint))
        var problems: [String] = []
        var index = 0
        while index < frontier.count, seen.count < 3_000 {
            let state = frontier[index]
            index += 1
            let relative = state.withRelativeTime()
            if relative.withRelativeTime() != relative { problems.append("not idempotent at time \(state.now)") }
            var fromState = Set<UInt64>()
            var fromRelative = Set<UInt64>()
            system.forEachSuccessor(of: state) { _, next in
                fromState.insert(next.withRelativeTime().fingerprint)
                if next.now <= 6, seen.insert(next.fingerprint).inserted { frontier.append(next) }
            }
            system.forEachSuccessor(of: relative) { _, next in fromRelative.insert(next.withRelativeTime().fingerprint) }
            if fromState != fromRelative { problems.append("successors change at time \(state.now)") }
        }
        return problems
    }

    /// S8's silent callee never takes the requests of a caller that retries for ever: without a
    /// clock bound they pile up without bound (S8 keeps its clock bound for that reason).
    static let unboundedWithoutClock: Set<String> = ["S8-instant-stop-retry-forever-stops"]

    /// Specs whose programs read the absolute clock (`Execution.now`, the global timer): B4's
    /// client and ledger (`created_at_time`, the dedup window), A1's exchange and ledger, B14's
    /// timer-driven job, R1's timer, R3's payer, B9's intents (a journaled intent records created_at_time), the swap's keyed payment.
    static let readTheClock: Set<String> = [
        "B4-retry-without-dedup-buggy", "B4-retry-without-dedup-fixed", "A1-exchange-buggy", "A1-exchange-correct",
        "B14-overlapping-periodic-task-fixed", "R1-timer-retry-with-backoff-stops", "R3-dedup-window-buggy",
        "R3-dedup-window-fixed", "B9a-intent-before-await-buggy", "B9a-intent-before-await-fixed",
        "B9c-intent-without-dedup-key-fixed", "B9d-intent-as-lock-buggy", "B9d-intent-as-lock-fixed",
        "SWAP-two-ledgers-buggy", "SWAP-two-ledgers-fixed",
    ]

    /// U1 lets the user and the controller act at any time, so under a clock bound a call made
    /// at the bound never expires and the canister cannot stop: its verdict needs relative time
    /// (which it declares), and the bounded check differs by design. So does MGMT2's fix: a
    /// best-effort call made at the bound never expires, and no upgrade can succeed.
    static let needsRelativeTime: Set<String> = ["U1-stop-then-upgrade-best-effort", "MGMT2-unupgradeable-canister-fixed"]

    /// The broadcast specs keep the clock at 0 (deliveries and drops only); with the clock
    /// running, calls expire too and PS2 and PS3 have over 200,000 states (80 s each in a release
    /// build), too many for this debug test. PS1 stays in.
    static let largeWithoutClockBound: Set<String> = ["PS2-broadcast-naive-catch-up", "PS3-broadcast-robust-catch-up"]

    @Test(arguments: allSpecNames.filter {
        !unboundedWithoutClock.contains($0) && !needsRelativeTime.contains($0) && !largeWithoutClockBound.contains($0)
    })
    func relativeTimeKeepsTheVerdict(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        var relative = spec
        relative.reductions.insert(.relativeTime)
        var bounded = spec
        bounded.reductions.remove(.relativeTime)
        // The stopping specs declare relative time; without it their clock bound applies
        // (and S4-retry-forever, whose answers are lost, needs no clock to loop).
        let found = runner.check(relative)
        // A program that reads the absolute clock is refused under relative time.
        if case .error(let message) = found.result.verdict {
            #expect(Self.readTheClock.contains(name) && message.contains("reads the absolute clock"), "\(name): \(message)")
            return
        }
        #expect(!Self.readTheClock.contains(name), "\(name): reads the clock, yet was not refused")
        let plain = runner.check(bounded)
        #expect(found.result.verdict == plain.result.verdict, "\(name): \(plain.result.verdict) → \(found.result.verdict)")
        guard let counterexample = found.counterexample else { return }
        let concrete = SpecSystem(spec: Self.unbounded(spec))
        let replayed = try #require(counterexample.trace.reexecuted(on: concrete), "\(name): the reported trace is not a run of the spec")
        if let property = spec.properties.first(where: { $0.name == counterexample.property }) {
            #expect(!property.holds(replayed.finalState))
            #expect(counterexample.trace.length <= plain.counterexample?.trace.length ?? .max)
        }
    }

    /// On states reachable with an unbounded clock, a state and its relative form have the same
    /// successors up to the relative clock (and time really moves in these specs).
    @Test(arguments: ["S1-best-effort-answered-by-deadline", "S6-caller-and-callee-views-differ", "P9-best-effort-response",
                      "B5-best-effort-cycles-fixed", "bench-pubsub"])
    func relativeClockCommutesWithSteps(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        #expect(Self.relativeClockProblems(spec) == [])
        let system = SpecSystem(spec: Self.unbounded(spec))
        var late = system.initialStates
        for _ in 0 ..< 12 { late = late.flatMap { state in var next: [ICState] = []; system.forEachSuccessor(of: state) { next.append($1) }; return next.prefix(4) } }
        #expect(late.contains { $0.withRelativeTime() != $0 } || spec.configuration.canisters.isEmpty, "\(name): no state was shifted")
    }

    /// The check can fail: B4's ledger deduplicates within a time window from `created_at_time`
    /// (it reads the clock), so its behaviour depends on absolute time.
    @Test func aProgramThatReadsTheClockIsCaught() throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "B4-retry-without-dedup-fixed"))
        #expect(!Self.relativeClockProblems(spec).isEmpty)
    }

    /// The built-in check: under relative time, a program that reads the clock is refused with
    /// one line naming the canister, and the verdict is an error, not a result.
    @Test func aProgramThatReadsTheClockIsRefused() throws {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: "B4-retry-without-dedup-fixed"))
        spec.reductions.insert(.relativeTime)
        let result = runner.run(spec)
        guard case .error(let message) = result.verdict else {
            Issue.record("expected an error, got \(result.verdict)")
            return
        }
        #expect(message.contains("C0") && message.contains("reads the absolute clock") && !message.contains("\n"), "\(message)")
        #expect(!result.asExpected)
    }

    @Test func retryForeverIsAGenuineLasso() throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "S4-retry-forever-cannot-stop"))
        #expect(spec.reductions.contains(.relativeTime) && spec.reductions.contains(.canonicalCallIds))
        let (result, counterexample) = runner.check(spec)
        #expect(result.asExpected)
        let trace = try #require(counterexample?.trace)
        let loop = try #require(trace.loopIndex)
        #expect(loop < trace.steps.count, "the loop is only the last state")
        // The loop retries: a new call is made in it.
        let calls = trace.states[loop...].map { $0.canisters[0].nextCallSequence }
        #expect(calls.last! > calls.first!)
    }

    @Test func stoppingClaimsCarryNoClockBoundCaveat() throws {
        for name in ["S2-best-effort-caller-stops", "S3-guaranteed-caller-cannot-stop", "S4-retry-forever-cannot-stop",
                     "S4-bounded-retries-stop", "B6-cannot-stop-buggy", "B6-cannot-stop-fixed"] {
            let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
            #expect(spec.reductions.contains(.relativeTime), "\(name)")
            #expect(!spec.details.contains("clock up to") && !spec.details.contains("clock bound by"), "\(name)")
        }
    }
}
