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
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
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

    /// A checkpoint of an IC-model search written mid-run (every 2 levels) and recovered, with
    /// 1 or 2 workers on either side, gives the uninterrupted run's verdict, counts and
    /// shortest counterexample; with --stop-on-violation too.
    @Test(arguments: ["B4-retry-without-dedup-buggy", "R3-dedup-window-fixed"], [false, true])
    func checkpointRecoveryAgreesWithAnUninterruptedRun(name: String, stopAtFirstViolation: Bool) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        var plain = SpecRunner(workers: 1, traceDirectory: nil)
        plain.stopAtFirstViolation = stopAtFirstViolation
        let memory = plain.check(spec)
        #expect(memory.result.distinct > 50)
        for writers in [1, 2] {
            let directory = NSTemporaryDirectory() + "/icmc-checkpoint-spec-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var writer = plain
            writer.workers = writers
            writer.storage = SearchStorage(checkpoint: CheckpointOptions(directory: directory, everyLevels: 2))
            #expect(writer.storageProblem(for: spec) == nil)
            let written = writer.check(spec)
            #expect(written.result.distinct == memory.result.distinct)
            #expect(FileManager.default.fileExists(atPath: directory + "/icmc.checkpoint"))
            for workers in [1, 2] {
                var reader = plain
                reader.workers = workers
                reader.storage = SearchStorage(recoverDirectory: directory)
                #expect(reader.storageProblem(for: spec) == nil)
                let recovered = reader.check(spec)
                #expect(recovered.result.verdict == memory.result.verdict)
                #expect(recovered.result.distinct == memory.result.distinct)
                #expect(recovered.result.transitions == memory.result.transitions)
                #expect(recovered.result.traceLength == memory.result.traceLength)
                #expect(
                    recovered.counterexample?.trace.steps.map { "\($0.action)" } == memory.counterexample?.trace.steps.map { "\($0.action)" })
                #expect(recovered.counterexample?.trace.finalState == memory.counterexample?.trace.finalState)
            }
        }
    }

    /// A checkpoint is refused, with one line, by another spec, other options, or when altered.
    @Test func foreignOrCorruptCheckpointsAreRefused() throws {
        let directory = NSTemporaryDirectory() + "/icmc-checkpoint-spec-bad-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "R3-dedup-window-fixed"))
        let other = try #require(SpecCatalog.builtInSmall.spec(named: "B1-reentrancy-fixed"))
        var writer = SpecRunner(workers: 1, traceDirectory: nil)
        writer.storage = SearchStorage(checkpoint: CheckpointOptions(directory: directory, everyLevels: 3))
        _ = writer.check(spec)
        var reader = SpecRunner(workers: 1, traceDirectory: nil)
        reader.storage = SearchStorage(recoverDirectory: directory)
        #expect(reader.storageProblem(for: spec) == nil)
        #expect(reader.storageProblem(for: other)?.contains("another search") == true)
        var bounded = reader
        bounded.maxStatesOverride = 1000
        #expect(bounded.storageProblem(for: spec)?.contains("another search") == true)
        var stopping = reader
        stopping.stopAtFirstViolation = true
        #expect(stopping.storageProblem(for: spec)?.contains("another search") == true)
        let path = directory + "/icmc.checkpoint"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let problem = try #require(reader.storageProblem(for: spec))
        #expect(problem.contains("corrupt") && !problem.contains("\n"))
    }

    /// A distributed IC-model search (2 ranks as threads) checkpointed every 2 levels and
    /// recovered on 2 ranks of 2 threads each gives the single-process verdict, counts and shortest trace.
    @Test(arguments: ["B4-retry-without-dedup-buggy", "R3-dedup-window-fixed"])
    func distributedCheckpointRecovery(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        let memory = SpecRunner(workers: 1, traceDirectory: nil).check(spec)
        let directory = NSTemporaryDirectory() + "/icmc-checkpoint-spec-ranks-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for storage in [
            SearchStorage(checkpoint: CheckpointOptions(directory: directory, everyLevels: 2)), SearchStorage(recoverDirectory: directory),
        ] {
            let results = ThreadCommunicatorGroup(size: 2).run { communicator in
                // Threads within the ranks for the recovery (--distributed --workers 2).
                var runner = SpecRunner(workers: storage.recoverDirectory == nil ? 1 : 2, traceDirectory: nil)
                runner.communicator = communicator
                runner.storage = storage
                let problem = runner.storageProblem(for: spec)
                let checked = runner.check(spec)
                return (
                    problem, checked.result.verdict.description, checked.result.distinct, checked.result.transitions, checked.result.traceLength,
                    checked.counterexample?.trace.steps.map { "\($0.action)" }
                )
            }
            for result in results {
                #expect(result.0 == nil)
                #expect(result.1 == memory.result.verdict.description)
                #expect(result.2 == memory.result.distinct)
                #expect(result.3 == memory.result.transitions)
                #expect(result.4 == memory.result.traceLength)
                #expect(result.5 == memory.counterexample?.trace.steps.map { "\($0.action)" })
            }
            #expect(FileManager.default.fileExists(atPath: directory + "/icmc.checkpoint.rank-1"))
        }
    }
}
