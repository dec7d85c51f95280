import Foundation
import ICCore
import ModelChecking
import ReferenceExecutor
import Specs
import Testing

/// Every counterexample the spec library's checker produces replays on the independent
/// executor: same states after every step, and the property violated by the executor's state.
/// About 9 s in a debug build on an idle machine (the violated specs are small). One worker:
/// the test is about replay, and inside the parallel test run a two-worker search hands every
/// level to Dispatch's shared worker threads, which the other tests' searches hold (with two
/// workers it took 745-769 s there, against its 10-minute limit; alone it takes the same 9 s).
@Test(.timeLimit(.minutes(10)))
func everyLibraryCounterexampleReplays() throws {
    let runner = SpecRunner(workers: 1, traceDirectory: nil)
    var replayed = 0
    for spec in SpecCatalog.builtIn.specs {
        guard case .violated = spec.expectation else { continue }
        let (_, counterexample) = runner.check(spec)
        let found = try #require(counterexample, "\(spec.name): the checker found no counterexample")
        let file = try SpecRunner.traceFile(for: found, of: spec)
        let report = Replayer(model: spec.model).replay(try TraceFile(jsonData: try file.jsonData()))
        #expect(report.outcome == .reproduced, "\(spec.name): \(report.rendered)")
        replayed += 1
    }
    #expect(replayed > 0)
}
