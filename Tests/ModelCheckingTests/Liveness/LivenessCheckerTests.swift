import Testing
@testable import ModelChecking

@Suite("Liveness: eventually")
struct EventuallyTests {
    @Test func unfairCycleIsALasso() throws {
        // 0 -> 1 -> 2 -> 3 -> 1 ... ; the goal 9 hangs off 2 but nothing forces it.
        let model = GraphModel([(0, "a", nil, 1), (1, "b", nil, 2), (2, "c", nil, 3), (3, "d", nil, 1), (2, "win", nil, 9), (9, "stay", nil, 9)])
        let report = try check(model, [.eventually("reach 9") { $0 == 9 }])
        let trace = try #require(report["reach 9"]?.counterexample)
        #expect(trace.stemLength == 1)
        #expect(trace.cycleLength == 3)
        #expect(trace.cycleCloses)
        #expect(trace.states == [0, 1, 2, 3, 1])
        #expect(trace.steps.map(\.action.label) == ["a", "b", "c", "d"])
        #expect(trace.shape == "step 1, then steps 2-4 repeat forever")
        #expect(!trace.states.contains(9))
        #expect(report.statistics.distinctStates == 5)
        #expect(report.statistics.transitions == 6)
        #expect(report.outcome == .complete)
    }

    @Test func goalOnEveryPathHolds() throws {
        // Two routes and a loop, all of which must pass through 5.
        let model = GraphModel([(0, "l", nil, 1), (0, "r", nil, 2), (1, "x", nil, 5), (2, "y", nil, 5), (5, "back", nil, 0)])
        let report = try check(model, [.eventually("reach 5") { $0 == 5 }])
        #expect(report["reach 5"]?.holds == true)
    }

    @Test func goalInInitialStateHolds() throws {
        let model = GraphModel([(0, "spin", nil, 0)])
        #expect(try check(model, [.eventually("zero") { $0 == 0 }])["zero"]?.holds == true)
    }

    @Test func terminalStateIsAFiniteCounterexample() throws {
        // 0 -> 1 (dead end) or 0 -> 5 (goal).
        let model = GraphModel([(0, "left", nil, 1), (0, "right", nil, 5), (5, "stay", nil, 5)])
        let trace = try #require(try check(model, [.eventually("reach 5") { $0 == 5 }])["reach 5"]?.counterexample)
        #expect(trace.loopIndex == nil)
        #expect(trace.states == [0, 1])
        #expect(trace.shape == "step 1, then no action is enabled (the run ends)")
    }

    @Test func terminalInitialState() throws {
        let model = GraphModel(initial: [3], [])
        let trace = try #require(try check(model, [.eventually("never") { $0 == 0 }])["never"]?.counterexample)
        #expect(trace.steps.isEmpty)
        #expect(trace.loopIndex == nil)
    }

    @Test func selfLoopCounterexample() throws {
        let model = GraphModel([(0, "go", nil, 1), (1, "idle", nil, 1), (1, "done", nil, 2), (2, "stay", nil, 2)])
        let trace = try #require(try check(model, [.eventually("done") { $0 == 2 }])["done"]?.counterexample)
        #expect(trace.states == [0, 1, 1])
        #expect(trace.loopIndex == 1)
        #expect(trace.cycleCloses)
    }

    @Test func boundaryStatesAreNotCounterexamples() throws {
        // 0 -> 1 -> 2 -> ... ; 3 is outside the boundary, so the run is not judged there.
        var model = GraphModel([(0, "a", nil, 1), (1, "b", nil, 2), (2, "c", nil, 3), (0, "win", nil, 7)])
        model.boundary = 3
        // 7 is outside the boundary too, but it is the goal.
        let report = try check(model, [.eventually("reach 7") { $0 == 7 }])
        #expect(report["reach 7"]?.holds == true)
        #expect(report.statistics.statesOutsideBoundary == 2)
    }
}

@Suite("Liveness: fairness")
struct FairnessTests {
    /// Process A spins; process B can finish at any time. Without fairness A may spin forever.
    static let spinner = GraphModel(fairness: [.weak("B")], [(0, "A.spin", "A", 0), (0, "B.finish", "B", 1), (1, "A.spin", "A", 1)])

    @Test func weakFairnessIgnoresUnfairCycle() throws {
        let report = try check(Self.spinner, [.eventually("finished") { $0 == 1 }])
        #expect(report["finished"]?.holds == true)
    }

    @Test func withoutFairnessTheSameCycleRefutes() throws {
        let report = try check(Self.spinner, fair: false, [.eventually("finished") { $0 == 1 }])
        let trace = try #require(report["finished"]?.counterexample)
        #expect(trace.states == [0, 0])
        #expect(trace.steps.map(\.action.label) == ["A.spin"])
    }

    @Test func fairnessOfAnotherClassDoesNotHelp() throws {
        var model = Self.spinner
        model.fairness = [.weak("A")]
        let trace = try #require(try check(model, [.eventually("finished") { $0 == 1 }])["finished"]?.counterexample)
        #expect(trace.cycleCloses)
        #expect(trace.steps.allSatisfy { $0.action.fairClass == "A" })
    }

    /// `go` (class G) is enabled only in state 0; `toggle` alternates 0 and 1. G is enabled
    /// infinitely often on the toggle cycle but never continuously.
    static let toggler = GraphModel([(0, "toggle", "T", 1), (1, "toggle", "T", 0), (0, "go", "G", 2), (2, "stay", "T", 2)])

    @Test func weakFairnessIsNotEnoughWhenEnabledIntermittently() throws {
        var model = Self.toggler
        model.fairness = [.weak("G"), .weak("T")]
        let trace = try #require(try check(model, [.eventually("gone") { $0 == 2 }])["gone"]?.counterexample)
        #expect(trace.cycleCloses)
        #expect(Set(trace.states) == [0, 1])
        // The cycle visits state 1, where G is disabled: that is what makes it weakly fair.
        #expect(trace.states[trace.loopIndex!...].contains(1))
    }

    @Test func strongFairnessForcesTheIntermittentAction() throws {
        var model = Self.toggler
        model.fairness = [.strong("G"), .weak("T")]
        let report = try check(model, [.eventually("gone") { $0 == 2 }])
        #expect(report["gone"]?.holds == true)
        #expect(report.statistics.stronglyConnectedComponents! >= 2)  // the toggle SCC, then its refinement
    }

    @Test func strongFairnessRefinementKeepsAFairSubcycle() throws {
        // Cycle 0 <-> 1 <-> 3; G enabled only at 0. SF(G) removes 0, leaving the fair cycle 1 <-> 3.
        let model = GraphModel(fairness: [.strong("G")], [
            (0, "t", nil, 1), (1, "t", nil, 0), (1, "u", nil, 3), (3, "u", nil, 1), (0, "go", "G", 2), (2, "stay", nil, 2),
        ])
        let trace = try #require(try check(model, [.eventually("gone") { $0 == 2 }])["gone"]?.counterexample)
        let cycle = trace.states[trace.loopIndex!...]
        #expect(Set(cycle) == [1, 3])
        #expect(trace.cycleCloses)
    }

    @Test func lassoVisitsEveryRequiredClass() throws {
        // A ring 0 -> 1 -> 2 -> 0 plus chords: the cycle must take both a and b, which sit
        // on different parts of the SCC; the goal (9) is never forced.
        let model = GraphModel(fairness: [.weak("a"), .weak("b")], [
            (0, "n", nil, 1), (1, "n", nil, 2), (2, "n", nil, 0),
            (1, "a", "a", 1), (2, "b", "b", 2), (0, "escape", nil, 9), (9, "stay", nil, 9),
        ])
        let trace = try #require(try check(model, [.eventually("nine") { $0 == 9 }])["nine"]?.counterexample)
        let cycleActions = trace.steps[trace.loopIndex!...].map(\.action.label)
        #expect(cycleActions.contains("a"))
        #expect(cycleActions.contains("b"))
        #expect(trace.cycleCloses)
    }

    @Test func unusedFairnessClassIsReported() throws {
        var model = Self.spinner
        model.fairness = [.weak("B"), .weak("Typo")]
        let report = try check(model, [.eventually("finished") { $0 == 1 }])
        #expect(report.warnings == ["fairness class 'Typo' is declared but no explored action belongs to it"])
    }
}

@Suite("Liveness: leadsTo")
struct LeadsToTests {
    /// idle(0) -request-> waiting(1) -respond-> done(2) -reset-> idle; waiting may also retry.
    static func server(fairness: [Fairness]) -> GraphModel {
        GraphModel(fairness: fairness, [
            (0, "request", "client", 1), (1, "retry", "client", 1), (1, "respond", "server", 2), (2, "reset", "client", 0),
        ])
    }

    static let property = Property<Int>.leadsTo("answered", from: { $0 == 1 }, to: { $0 == 2 })

    @Test func refutedWithoutServerFairness() throws {
        let report = try check(Self.server(fairness: []), [Self.property])
        let trace = try #require(report["answered"]?.counterexample)
        let premise = try #require(trace.premiseIndex)
        #expect(trace.states[premise] == 1)
        #expect(!trace.states[premise...].contains(2))
        #expect(trace.states == [0, 1, 1])
        #expect(trace.cycleCloses)
    }

    @Test func holdsWithServerFairness() throws {
        let report = try check(Self.server(fairness: [.weak("server")]), [Self.property])
        #expect(report["answered"]?.holds == true)
    }

    @Test func premiseAfterGoalStillNeedsAnotherGoal() throws {
        // 0 -> 1 (P) -> 2 (Q) -> 3 (P) -> 3 forever: the second request is never answered.
        let model = GraphModel([(0, "a", nil, 1), (1, "b", nil, 2), (2, "c", nil, 3), (3, "d", nil, 3)])
        let property = Property<Int>.leadsTo("p~>q", from: { $0 == 1 || $0 == 3 }, to: { $0 == 2 })
        let trace = try #require(try check(model, [property])["p~>q"]?.counterexample)
        #expect(trace.states == [0, 1, 2, 3, 3])
        #expect(trace.premiseIndex == 3)
        #expect(trace.loopIndex == 3)
    }

    @Test func eventuallyAndLeadsToShareOneGraph() throws {
        let report = try check(Self.server(fairness: [.weak("server")]), [
            Self.property, .eventually("done") { $0 == 2 }, .eventually("never") { $0 == 7 },
        ])
        #expect(report.verdicts.map(\.holds) == [true, true, false])
        #expect(report.verdicts.map(\.name) == ["answered", "done", "never"])
    }
}

@Suite("Liveness: errors and API")
struct LivenessAPITests {
    @Test func safetyPropertiesAreRejected() throws {
        let model = GraphModel([(0, "a", nil, 0)])
        #expect(throws: LivenessError.notALivenessProperty(name: "inv")) {
            try check(model, [.always("inv") { _ in true }])
        }
    }

    @Test func stateLimitLeavesEveryPropertyIncomplete() throws {
        let model = GraphModel([(0, "a", nil, 1), (1, "b", nil, 2), (2, "c", nil, 3)])
        let checker = LivenessChecker(model, options: LivenessOptions(maxStates: 2))
        let result = try checker.check([.eventually("x") { $0 == 3 }, .eventually("y") { $0 == 0 }])
        #expect(result.outcome == .stateLimitReached)
        #expect(result.verdicts.map(\.name) == ["x", "y"])
        #expect(result.verdicts.map(\.status.label) == ["unknown (stateLimit)", "unknown (stateLimit)"])
        #expect(result.statistics.distinctStates == 2)
    }

    @Test func invalidWorkerCountIsAnError() throws {
        let model = GraphModel([(0, "a", nil, 0)])
        #expect(throws: LivenessError.invalidWorkerCount(0)) {
            try check(model, workers: 0, [.eventually("x") { $0 == 0 }])
        }
    }

    @Test func nondeterministicModelIsDetected() throws {
        let checker = LivenessChecker(FlakyModel())
        #expect(throws: LivenessError.self) {
            try checker.check([.eventually("never") { $0 < 0 }])
        }
    }
}

/// Violates the determinism contract: successor order depends on a global counter.
struct FlakyModel: TransitionSystem {
    typealias Action = String
    var name: String { "flaky" }
    var initialStates: [Int] { [0] }
    func forEachSuccessor(of state: Int, _ body: (String, Int) -> Void) {
        guard state == 0 else { return }
        if FlakyCounter.next() % 2 == 0 {
            body("x", 1); body("y", 2)
        } else {
            body("y", 2); body("x", 1)
        }
    }
}

import Synchronization
enum FlakyCounter {
    static let value = Atomic<Int>(0)
    static func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}

@Test func cancelledCheckIsInterrupted() throws {
    let flag = CancellationFlag()
    flag.cancel()
    let checker = LivenessChecker(GraphModel([(0, "a", nil, 0)]), options: LivenessOptions(cancellation: flag))
    let result = try checker.check([.eventually("x") { $0 == 1 }])
    #expect(result.outcome == .interrupted)
    guard case .incomplete(.interrupted) = result.verdict(named: "x")?.status else {
        Issue.record("verdict is not incomplete(interrupted)")
        return
    }
}
