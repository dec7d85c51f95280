import Foundation
import ICCore
import ModelChecking
@testable import ReferenceExecutor
import Specs
import Testing

/// The retry-forever lasso, found with relative time and canonical call ids, replays in the
/// independent executor: every step matches and the lasso closes up to call numbers, a clock
/// shift and history the claim does not read; a lasso that does not close is refused.
@Suite struct RelativeTimeReplayTests {
    func retryForeverTrace() throws -> (Spec, TraceFile) {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "S4-retry-forever-cannot-stop"))
        let found = try #require(SpecRunner(workers: 2, traceDirectory: nil).check(spec).counterexample)
        return (spec, try TraceFile(jsonData: try SpecRunner.traceFile(for: found, of: spec).jsonData()))
    }

    @Test func retryForeverLassoReplays() throws {
        let (spec, file) = try retryForeverTrace()
        let loop = try #require(file.loopIndex)
        #expect(loop < file.states.count - 1)
        // Concretely the last state is not the loop state (new call numbers, longer history).
        #expect(Replayer.compare(file.states.last!, file.states[loop]) != nil)
        let report = Replayer(model: spec.model).replay(file)
        #expect(report.outcome == .reproduced, "\(report.rendered)")
    }

    @Test func aLassoThatDoesNotCloseIsRefused() throws {
        let (spec, file) = try retryForeverTrace()
        var broken = file
        let loop = try #require(file.loopIndex)
        broken.meta["loop"] = .int(loop - 1)
        let report = Replayer(model: spec.model).replay(broken)
        #expect(report.outcome == .diverged, "\(report.rendered)")
    }

    @Test func closureRenamesCallsAndShiftsTheClock() throws {
        func state(now: Int, sequence: Int, deadline: Int) -> [String: JSONValue] {
            let call: JSONValue = .object(["caller": .int(0), "sequence": .int(sequence)])
            return [
                "now": .int(now), "callbacks": .array([.object(["call": call, "deadline": .int(deadline), "expired": .bool(false)])]),
                "queues": .array([.object(["requests": .array([call])])]), "history": .object(["calls": .array([.object(["call": call])])]),
            ]
        }
        let early = state(now: 1, sequence: 0, deadline: 2)
        let later = state(now: 5, sequence: 3, deadline: 6)
        #expect(LassoClosure.closes(later, early, observes: .none, relativeTime: true))
        // Without relative time the clock must match; with calls observed, so must the history.
        #expect(!LassoClosure.closes(later, early, observes: .none, relativeTime: false))
        #expect(LassoClosure.closes(state(now: 1, sequence: 3, deadline: 2), early, observes: .calls, relativeTime: false))
        // A deadline that moved relative to now is a different state.
        #expect(!LassoClosure.closes(state(now: 5, sequence: 3, deadline: 7), early, observes: .none, relativeTime: true))
    }
}
