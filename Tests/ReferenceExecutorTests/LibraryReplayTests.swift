import Foundation
import ICCore
import ModelChecking
import ReferenceExecutor
import Specs
import Testing

/// Every counterexample the spec library's checker produces replays on the independent
/// executor: same states after every step, and the property violated by the executor's state.
/// About 9 s in a debug build on an idle machine (the violated specs are small). The limit only
/// guards against a hang: `swift test` starts the tests together on two cores, so a test's
/// elapsed time approaches the whole run's (745-769 s in the fresh-clone CI, the run 830-845 s),
/// whatever its own work; a limit below the run's length fails it at random.
@Test(.timeLimit(.minutes(20)))
func everyLibraryCounterexampleReplays() throws {
    let runner = SpecRunner(workers: 2, traceDirectory: nil)
    var replayed = 0
    for spec in SpecCatalog.builtInSmall.specs {
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
