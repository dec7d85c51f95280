import Foundation
import ModelChecking
import Testing
@testable import Benchmarks

/// A fresh directory under the temporary directory, removed by the caller.
func scratchDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "/icmc-\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Options for a full search on `storage` with `workers` threads.
func storageOptions(_ storage: SearchStorage, workers: Int, stopOnViolation: Bool = false) -> CheckerOptions {
    var options = CheckerOptions(workers: workers, stopOnViolation: stopOnViolation, progressInterval: nil)
    options.storage = storage
    return options
}

/// The printed steps of a verdict's counterexample.
func traceSteps<System: TransitionSystem>(_ result: CheckResult<System>) -> [[String]] {
    result.verdicts.map { verdict in verdict.status.trace.map { $0.steps.map { "\($0.action)" } } ?? [] }
}

/// `--disk`: the disk-backed search gives the in-memory search's counts, depth, verdicts and
/// shortest traces, with a fingerprint budget small enough that the set really goes to its
/// file many times (and lookups batch against it), for 1 and 2 workers.
@Suite("Disk-backed search")
struct DiskSearchTests {
    @Test(arguments: [icRingRows[1], icRingRows[2]], [1, 2])
    func countsMatchInMemory(_ row: ICRingRow, workers: Int) throws {
        let directory = scratchDirectory("disk")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try ICRing(n: row.n, k: row.k, w: row.w)
        let memory = checkAll(model, workers: workers)
        let disk = Checker(model, options: storageOptions(.init(disk: DiskOptions(directory: directory, fingerprintBudget: 2000)), workers: workers)).run()
        #expect(disk.outcome == .complete)
        #expect(disk.statistics.distinctStates == row.distinct)
        #expect(disk.statistics.transitions == row.transitions)
        #expect(disk.statistics.terminalStates == row.terminal)
        #expect(disk.statistics.maxDepth == memory.statistics.maxDepth)
        #expect(labels(disk) == labels(memory))
        // The search's own files are gone afterwards.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test(arguments: [1, 2])
    func violationHasTheSameShortestTrace(workers: Int) throws {
        let directory = scratchDirectory("disk-trace")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try TwoPhase(resourceManagers: 3, abortAfterPrepare: true)
        for stop in [false, true] {
            let memory = Checker(model, options: CheckerOptions(workers: workers, stopOnViolation: stop, progressInterval: nil)).run()
            let disk = Checker(
                model, options: storageOptions(.init(disk: DiskOptions(directory: directory, fingerprintBudget: 16)), workers: workers,
                                               stopOnViolation: stop)).run()
            #expect(memory.verdicts.contains { $0.isFailure })
            #expect(labels(disk) == labels(memory))
            #expect(traceSteps(disk) == traceSteps(memory))
            #expect(disk.statistics.distinctStates == memory.statistics.distinctStates)
            #expect(disk.statistics.transitions == memory.statistics.transitions)
            #expect(disk.outcome == memory.outcome)
        }
    }

    @Test func stateAndDepthLimitsStopWhereTheInMemorySearchStops() throws {
        let directory = scratchDirectory("disk-limits")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try ICRing(n: 3, k: 2, w: 2)
        for (maxStates, maxDepth) in [(10_000, nil), (nil, 7)] as [(Int?, Int?)] {
            var memoryOptions = CheckerOptions(workers: 1, maxDepth: maxDepth, maxStates: maxStates, stopOnViolation: false, progressInterval: nil)
            let memory = Checker(model, options: memoryOptions).run()
            memoryOptions.storage = SearchStorage(disk: DiskOptions(directory: directory, fingerprintBudget: 500))
            let disk = Checker(model, options: memoryOptions).run()
            #expect(disk.outcome == memory.outcome)
            #expect(disk.statistics.distinctStates == memory.statistics.distinctStates)
            #expect(disk.statistics.transitions == memory.statistics.transitions)
        }
    }
}

/// `--checkpoint`/`--recover`: a checkpoint written mid-run and recovered gives the
/// uninterrupted run's final counts, verdicts and traces; a missing, corrupt or mismatched
/// checkpoint is refused with one line.
@Suite("Checkpoints")
struct CheckpointTests {
    @Test func recoveryGivesTheUninterruptedCounts() throws {
        let directory = scratchDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try ICRing(n: 3, k: 2, w: 2)
        let reference = checkAll(model, workers: 2)
        // Stopped after about half the levels, with a checkpoint every 4 levels.
        var options = storageOptions(
            .init(disk: DiskOptions(directory: directory, fingerprintBudget: 3000),
                  checkpoint: CheckpointOptions(directory: directory, everyLevels: 4)), workers: 1)
        options.maxDepth = reference.statistics.maxDepth / 2
        options.storage.checkpoint = CheckpointOptions(directory: directory, everyLevels: 4)
        _ = Checker(model, options: options).run()
        #expect(FileManager.default.fileExists(atPath: directory + "/icmc.checkpoint"))
        // maxDepth is part of the checkpoint's key: the recovery needs the original options.
        var mismatched = storageOptions(.init(recoverDirectory: directory), workers: 2)
        mismatched.maxDepth = 3
        #expect(Checker(model, options: mismatched).storageProblem()?.contains("another search") == true)
        // Same options but the depth bound: recovering the checkpoint of an unbounded run.
        let full = storageOptions(.init(checkpoint: CheckpointOptions(directory: directory, everyLevels: 5)), workers: 1)
        _ = Checker(model, options: full).run()
        for workers in [1, 2] {
            let recovering = storageOptions(.init(recoverDirectory: directory), workers: workers)
            #expect(Checker(model, options: recovering).storageProblem() == nil)
            let recovered = Checker(model, options: recovering).run()
            #expect(recovered.outcome == .complete)
            #expect(recovered.statistics.distinctStates == reference.statistics.distinctStates)
            #expect(recovered.statistics.transitions == reference.statistics.transitions)
            #expect(recovered.statistics.terminalStates == reference.statistics.terminalStates)
            #expect(recovered.statistics.maxDepth == reference.statistics.maxDepth)
            #expect(labels(recovered) == labels(reference))
        }
    }

    @Test func recoveryKeepsTheShortestTrace() throws {
        let directory = scratchDirectory("checkpoint-trace")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try TwoPhase(resourceManagers: 3, abortAfterPrepare: true)
        let reference = Checker(model, options: CheckerOptions(workers: 1, stopOnViolation: false, progressInterval: nil)).run()
        _ = Checker(model, options: storageOptions(.init(checkpoint: CheckpointOptions(directory: directory, everyLevels: 3)), workers: 1)).run()
        let recovered = Checker(model, options: storageOptions(.init(recoverDirectory: directory), workers: 2)).run()
        #expect(recovered.statistics.distinctStates == reference.statistics.distinctStates)
        #expect(labels(recovered) == labels(reference))
        #expect(traceSteps(recovered) == traceSteps(reference))
    }

    @Test func missingCorruptOrForeignCheckpointsAreRefused() throws {
        let directory = scratchDirectory("checkpoint-bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try ICRing(n: 2, k: 2, w: 1)
        let recovering = storageOptions(.init(recoverDirectory: directory), workers: 1)
        #expect(Checker(model, options: recovering).storageProblem()?.contains("no checkpoint") == true)
        _ = Checker(model, options: storageOptions(.init(checkpoint: CheckpointOptions(directory: directory, everyLevels: 2)), workers: 1)).run()
        #expect(Checker(model, options: recovering).storageProblem() == nil)
        // Another model, other parameters.
        #expect(Checker(try ICRing(n: 2, k: 2, w: 2), options: recovering).storageProblem()?.contains("another search") == true)
        // One byte changed.
        let path = directory + "/icmc.checkpoint"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let problem = Checker(model, options: recovering).storageProblem()
        #expect(problem?.contains("corrupt") == true)
        #expect(problem?.contains("\n") == false)
        // Truncated.
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: path))
        #expect(Checker(model, options: recovering).storageProblem()?.contains("corrupt") == true)
    }
}
