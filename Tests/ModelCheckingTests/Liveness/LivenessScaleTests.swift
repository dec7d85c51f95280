import Foundation
import Synchronization
import Testing
@testable import ModelChecking

/// Three counters modulo `modulus`, each advanced by its own process; process `c` may also
/// reset everything. Large enough (modulus³ states) to span several expansion batches.
struct Counters: FairTransitionSystem {
    struct State: Hashable, Sendable, Fingerprintable, Codable {
        var a: Int, b: Int, c: Int
        func fingerprint(into hasher: inout FingerprintHasher) {
            hasher.combine(a); hasher.combine(b); hasher.combine(c)
        }
    }

    enum Action: String, Hashable, Sendable, CustomStringConvertible {
        case incA, incB, incC, reset
        var description: String { rawValue }
    }

    var modulus = 16
    var fairness: [Fairness] = [.weak("A"), .weak("B")]
    var name: String { "counters" }
    var initialStates: [State] { [State(a: 0, b: 0, c: 0)] }

    func forEachSuccessor(of state: State, _ body: (Action, State) -> Void) {
        var next = state
        next.a = (state.a + 1) % modulus
        body(.incA, next)
        next = state
        next.b = (state.b + 1) % modulus
        body(.incB, next)
        next = state
        next.c = (state.c + 1) % modulus
        body(.incC, next)
        if state.c == modulus - 1 { body(.reset, State(a: 0, b: 0, c: 0)) }
    }

    func fairnessClass(of action: Action) -> String? {
        switch action {
        case .incA: "A"
        case .incB: "B"
        case .incC, .reset: nil
        }
    }
}

@Suite("Liveness: scale, workers, export")
struct LivenessScaleTests {
    static let properties: [Property<Counters.State>] = [
        .eventually("a wraps to 5 with b = 3") { $0.a == 5 && $0.b == 3 },
        .leadsTo("c high leads to a high", from: { $0.c == 15 }, to: { $0.a == 15 }),
        .eventually("anything") { _ in true },
    ]

    @Test func resultsIdenticalForAnyWorkerCount() throws {
        var outcomes: [String] = []
        for workers in [1, 2, 3, 4] {
            let report = try LivenessChecker(Counters(), options: LivenessOptions(workers: workers)).check(Self.properties)
            #expect(report.statistics.distinctStates == 4096)
            #expect(report.statistics.transitions == 4096 * 3 + 256)
            #expect(report.statistics.terminalStates == 0)
            let summary = [String(describing: report.statistics.stronglyConnectedComponents)] + report.verdicts.map { result in
                "\(result.name): \(result.holds) \(result.counterexample.map { "\($0.states) loop \(String(describing: $0.loopIndex)) premise \(String(describing: $0.premiseIndex))" } ?? "-")"
            }
            outcomes.append(summary.joined(separator: "\n"))
        }
        #expect(Set(outcomes).count == 1)
        let report = try LivenessChecker(Counters(), options: LivenessOptions(workers: 2)).check(Self.properties)
        #expect(report.verdicts.map(\.holds) == [false, false, true])
        // Weak fairness of A and B makes the counterexample cycle advance both.
        let trace = try #require(report.verdicts[0].counterexample)
        let cycle = trace.steps[trace.loopIndex!...].map(\.action)
        #expect(cycle.contains(.incA) && cycle.contains(.incB))
        #expect(trace.cycleCloses)
        #expect(!trace.states.contains { $0.a == 5 && $0.b == 3 })
    }

    @Test func progressReportsEveryPhase() throws {
        let reports = Mutex<[LivenessProgress]>([])
        let options = LivenessOptions(progressInterval: 1000) { progress in
            reports.withLock { $0.append(progress) }
        }
        _ = try LivenessChecker(Counters(), options: options).check(Self.properties)
        let seen = reports.withLock { $0 }
        let exploring = seen.filter { $0.phase == .exploring }
        #expect(exploring.count >= 4)
        #expect(exploring.last?.statesExplored == 4096)
        #expect(seen.contains { $0.phase == .analyzing(property: "anything") })
        #expect(seen.last?.phase == .finished)
        #expect(seen.contains { $0.sccsFound > 0 })
    }

    @Test func longCycleNeedsNoRecursion() throws {
        // One cycle through 300,000 states: a recursive Tarjan would overflow the stack.
        let size = 300_000
        struct Ring: TransitionSystem {
            typealias State = Int
            typealias Action = String
            let size: Int
            var name: String { "ring" }
            var initialStates: [Int] { [0] }
            func forEachSuccessor(of state: Int, _ body: (String, Int) -> Void) {
                body("next", (state + 1) % size)
            }
        }
        let report = try LivenessChecker(Ring(size: size)).check([.eventually("never") { $0 < 0 }])
        let trace = try #require(report["never"]?.counterexample)
        #expect(trace.loopIndex == 0)
        #expect(trace.cycleLength == size)
        #expect(trace.cycleCloses)
    }

    @Test func lassoExportHasLoopIndex() throws {
        let report = try LivenessChecker(Counters()).check([Self.properties[1]])
        let trace = try #require(report.verdicts[0].counterexample)
        let data = try trace.itfJSON(property: "c high leads to a high")
        let file = try TraceFile(jsonData: data)
        #expect(file.loopIndex == trace.loopIndex)
        #expect(file.loopIndex != nil)
        #expect(file.meta["premise"] == .int(trace.premiseIndex!))
        #expect(file.vars == ["a", "b", "c"])
        #expect(file.states.count == trace.steps.count + 1)
        #expect(file.states[trace.loopIndex!] == file.states[file.states.count - 1])
        #expect(file.states[trace.premiseIndex!]["c"] == .int(15))
        #expect(file.actions[1] == .string(trace.steps[0].action.description))
        // The JSON is the engine's format: the loop index sits in the top-level #meta.
        let document = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(document["#meta"]?["loop"] == .int(trace.loopIndex!))
    }

    @Test func counterexampleDescriptionShowsShapeAndLoop() throws {
        let report = try LivenessChecker(Counters()).check([Self.properties[1]])
        let trace = try #require(report.verdicts[0].counterexample)
        let text = trace.renderLasso()
        #expect(text.hasPrefix(trace.shape))
        #expect(text.contains("repeat forever"))
        #expect(text.contains("premise holds in state \(trace.premiseIndex!)"))
        #expect(text.contains("-> back to state \(trace.loopIndex!)"))
    }
}

@Suite("Liveness: bounded response")
struct BoundedResponseTests {
    struct S: Sendable {
        var now: Int
        var requested: Bool
        var answered: Bool
        var pendingSince: Int?
    }

    static let claim = Property<S>.within(
        "answer within 3", ticks: 3,
        premise: \.requested, goal: \.answered, clock: \.now, pendingSince: \.pendingSince)

    @Test func withinDeadlineHolds() {
        #expect(Self.claim.expectation == .always)
        #expect(Self.claim.condition(S(now: 13, requested: true, answered: false, pendingSince: 10)))
        #expect(Self.claim.condition(S(now: 99, requested: true, answered: true, pendingSince: 10)))
        #expect(Self.claim.condition(S(now: 99, requested: false, answered: false, pendingSince: nil)))
    }

    @Test func pastDeadlineFails() {
        #expect(!Self.claim.condition(S(now: 14, requested: true, answered: false, pendingSince: 10)))
        // A premise that was not recorded is a modelling error, not a pass.
        #expect(!Self.claim.condition(S(now: 0, requested: true, answered: false, pendingSince: nil)))
    }
}
