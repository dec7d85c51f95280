import Testing
@testable import ModelChecking

/// Safety and liveness checks answer in one shape (`CheckResult`), and merge into one result.
@Suite("One result shape")
struct OneResultShapeTests {
    /// 0 -> 1 -> 2 -> 1 ...: "small" (< 2) fails at step 2; "three" is never reached.
    static func model() -> GraphModel {
        var model = GraphModel([(0, "a", nil, 1), (1, "b", nil, 2), (2, "c", nil, 1)])
        model.properties = [.always("small") { $0 < 2 }, .eventually("three") { $0 == 3 }, .eventually("one") { $0 == 1 }]
        return model
    }

    @Test func safetySearchLeavesLivenessNotChecked() {
        let safety = Checker(Self.model()).run()
        #expect(safety.verdicts.map(\.name) == ["small", "three", "one"])
        #expect(safety.verdicts.map(\.status.label) == ["violated", "not-checked", "not-checked"])
    }

    @Test func mergedResultHasOneVerdictPerPropertyAndOneStatisticsBlock() throws {
        let safety = Checker(Self.model()).run()
        let liveness = try LivenessChecker(Self.model()).check()
        #expect(liveness.verdicts.map(\.name) == ["three", "one"])
        let merged = safety.merging(liveness)
        #expect(merged.verdicts.map(\.name) == ["small", "three", "one"])
        #expect(merged.verdicts.map(\.status.label) == ["violated", "violated", "holds"])
        #expect(merged.verdicts.map(\.isFailure) == [true, true, false])
        let lasso = try #require(merged["three"]?.counterexample)
        #expect(lasso.loopIndex == 1)
        #expect(lasso.states == [0, 1, 2, 1])
        #expect(merged["small"]?.counterexample?.length == 2)
        #expect(merged.statistics.distinctStates == 3)
        #expect(merged.statistics.transitions == max(safety.statistics.transitions, liveness.statistics.transitions))
        #expect(merged.statistics.stronglyConnectedComponents == liveness.statistics.stronglyConnectedComponents)
        #expect(merged.statistics.seconds >= liveness.statistics.seconds)
        #expect(merged.outcome == safety.outcome)
    }

    @Test func anIncompleteLivenessCheckMakesTheMergedOutcomeIncomplete() throws {
        let safety = Checker(Self.model()).run()
        let flag = CancellationFlag()
        flag.cancel()
        let liveness = try LivenessChecker(Self.model(), options: LivenessOptions(cancellation: flag)).check()
        let merged = safety.merging(liveness)
        #expect(merged.outcome == .interrupted)
        #expect(merged.verdicts.map(\.status.label) == ["violated", "unknown (interrupted)", "unknown (interrupted)"])
    }

    @Test func incompleteReasonFollowsTheOutcome() {
        #expect(IncompleteReason(.complete) == nil)
        #expect(IncompleteReason(.stoppedOnViolation) == nil)
        #expect(IncompleteReason(.stateLimitReached) == .stateLimit)
        #expect(IncompleteReason(.timeLimitReached) == .timeLimit)
        #expect(IncompleteReason(.memoryLimitReached) == .memoryLimit)
    }
}
