import ModelChecking
import Testing
@testable import Benchmarks

@Suite("Broken variants yield shortest counterexamples")
struct CounterexampleTests {
    /// A Reject refunding 1 of the 2 cycles sent breaks conservation after Call(0), Reject(0).
    @Test(arguments: [1, 2, 4])
    func rejectRefundingOneCycleBreaksConservation(workers: Int) throws {
        let model = try ICRing(n: 2, k: 2, w: 1, rejectRefund: 1)
        let result = checkAll(model, workers: workers)
        let verdict = try #require(result.verdict(named: "Conservation"))
        guard case .violated(let trace) = verdict.status else {
            Issue.record("Conservation not violated: \(verdict.status.label)")
            return
        }
        #expect(trace.length == 2)
        #expect(trace.steps.map(\.action) == [.call(canister: 0), .reject(canister: 0)])
        #expect(!ICRing.conserves(trace.finalState, n: 2, k: 2))
        #expect(ICRing.conserves(trace.initialState, n: 2, k: 2))
        #expect(labels(result)["ReqOrder"] == "holds")
        #expect(labels(result)["GuaranteedNotLate"] == "holds")
        let readable = model.traceState(of: trace.finalState)
        #expect(readable.resps == [[.init(id: 1, refund: 1)], []])
        #expect(readable.balance == [2, 4])
    }

    /// Letting a prepared RM abort breaks Consistent; the shortest run prepares all three RMs,
    /// lets the TM collect the votes and commit, delivers Commit to one RM and aborts another.
    @Test(arguments: [1, 2, 4])
    func abortAfterPrepareBreaksConsistency(workers: Int) throws {
        let model = try TwoPhase(resourceManagers: 3, abortAfterPrepare: true)
        let result = checkAll(model, workers: workers)
        guard case .violated(let trace) = result.verdict(named: "Consistent")?.status else {
            Issue.record("Consistent not violated")
            return
        }
        #expect(trace.length == 9)
        #expect(!TwoPhase.isConsistent(trace.finalState))
        #expect(trace.steps.filter { $0.action == .tmCommit }.count == 1)
        let final = model.traceState(of: trace.finalState)
        #expect(final.rmState.contains("committed") && final.rmState.contains("aborted"))
    }

    /// Every counterexample is replayable: each step is a successor of the previous state.
    @Test func counterexampleStepsAreTransitions() throws {
        let model = try ICRing(n: 3, k: 2, w: 2, rejectRefund: 1)
        let result = checkAll(model, workers: 2)
        let trace = try #require(result.verdict(named: "Conservation")?.status.trace)
        var state = trace.initialState
        for step in trace.steps {
            #expect(model.successors(of: state).contains { $0.action == step.action && $0.state == step.state })
            state = step.state
        }
        #expect(trace.length == 2)
    }
}
