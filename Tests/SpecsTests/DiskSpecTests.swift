import Foundation
import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import Specs

/// `--disk` on catalogue specs (the IC model, whose frontier entries are indices into
/// in-memory component tables): same verdict, counts and shortest counterexample as in memory,
/// with a fingerprint budget so small that the set goes to disk again and again.
@Suite struct DiskSpecTests {
    @Test(arguments: ["B4-retry-without-dedup-buggy", "B1-reentrancy-fixed"], [1, 2])
    func diskSearchAgreesWithMemory(name: String, workers: Int) throws {
        let directory = NSTemporaryDirectory() + "/icmc-disk-spec-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = try #require(SpecCatalog.builtIn.spec(named: name))
        let memory = SpecRunner(workers: workers, traceDirectory: nil).check(spec)
        var runner = SpecRunner(workers: workers, traceDirectory: nil)
        runner.storage = SearchStorage(disk: DiskOptions(directory: directory, fingerprintBudget: 64))
        let disk = runner.check(spec)
        #expect(disk.result.verdict == memory.result.verdict)
        #expect(disk.result.distinct == memory.result.distinct)
        #expect(disk.result.transitions == memory.result.transitions)
        #expect(disk.result.traceLength == memory.result.traceLength)
        #expect(disk.counterexample?.trace.steps.map { "\($0.action)" } == memory.counterexample?.trace.steps.map { "\($0.action)" })
    }

    @Test func theICModelCannotBeCheckpointed() throws {
        let spec = try #require(SpecCatalog.builtIn.spec(named: "B1-reentrancy-fixed"))
        var options = CheckerOptions(workers: 1, progressInterval: nil)
        options.storage = SearchStorage(checkpoint: CheckpointOptions(directory: NSTemporaryDirectory(), everyLevels: 1))
        let problem = try #require(Checker(SpecSystem(spec: spec), options: options).storageProblem())
        #expect(problem.contains("cannot be checkpointed"))
    }
}
