import Testing
@testable import ModelChecking

/// A `GraphModel` whose states store only some of their edges, as partial-order reduction
/// does, and report the others as left out (`FairTransitionSystem.leavesOutSuccessors`).
struct PrunedGraphModel: FairTransitionSystem {
    var full: GraphModel
    /// Per state, the labels of the edges it leaves out.
    var leftOut: [Int: Set<String>]
    /// Whether the left-out actions are reported (a model that does not would be unsound).
    var reports = true

    var name: String { full.name }
    var initialStates: [Int] { full.initialStates }
    var fairness: [Fairness] { full.fairness }
    var leavesOutSuccessors: Bool { reports }

    func forEachSuccessor(of state: Int, _ body: (GraphModel.Action, Int) -> Void) {
        forEachSuccessor(of: state, leavingOut: { _ in }, body)
    }

    func forEachSuccessor(of state: Int, leavingOut leftOut: (GraphModel.Action) -> Void, _ body: (GraphModel.Action, Int) -> Void) {
        full.forEachSuccessor(of: state) { action, next in
            if self.leftOut[state]?.contains(action.label) == true { leftOut(action) } else { body(action, next) }
        }
    }

    func fairnessClass(of action: GraphModel.Action) -> String? { action.fairClass }
}

@Suite("Liveness: fairness on the actions enabled, not the edges stored")
struct LeftOutClassesTests {
    /// 0 loops on itself (`spin`) and may go to 1 (`go`, weakly fair). The reduced state 0
    /// stores only `spin`: `go` is still enabled there, so spinning for ever is unfair and
    /// `eventually 1` holds, as on the full graph. Judged on the stored edges alone, the
    /// spin would look fair and the property violated.
    @Test func aLeftOutFairActionKeepsItsClassEnabled() throws {
        let full = GraphModel(fairness: [.weak("go")], [(0, "spin", nil, 0), (0, "go", "go", 1), (1, "stay", nil, 1)])
        let property: [Property<Int>] = [.eventually("reach 1") { $0 == 1 }]
        #expect(try check(full, property)["reach 1"]?.holds == true)
        let reduced = PrunedGraphModel(full: full, leftOut: [0: ["go"]])
        let verdict = try LivenessChecker(reduced).check(property)
        #expect(verdict.verdict(named: "reach 1")?.status.holds == true)
        var silent = reduced
        silent.reports = false
        #expect(try LivenessChecker(silent).check(property).verdict(named: "reach 1")?.status.holds == false)
    }

    /// A fair cycle stays fair when the left-out action's class is disabled somewhere on it:
    /// 0 ↔ 2 by `hop`, `go` (weakly fair) only from 0 and left out there; 2 disables it.
    @Test func aCycleThatDisablesTheClassIsStillFound() throws {
        let full = GraphModel(
            fairness: [.weak("go")], [(0, "hop", nil, 2), (2, "hop", nil, 0), (0, "go", "go", 1), (1, "stay", nil, 1)])
        let property: [Property<Int>] = [.eventually("reach 1") { $0 == 1 }]
        let reduced = PrunedGraphModel(full: full, leftOut: [0: ["go"]])
        let trace = try #require(try LivenessChecker(reduced).check(property).verdict(named: "reach 1")?.counterexample)
        #expect(trace.cycleCloses)
        #expect(trace.states.contains(2))
    }
}
