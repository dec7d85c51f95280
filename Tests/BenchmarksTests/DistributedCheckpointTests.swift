import Foundation
import ModelChecking
import Testing
@testable import Benchmarks

/// `--checkpoint`/`--recover` under `--distributed` (ranks as threads): every rank writes its
/// part at the same level boundary; recovering under the same number of ranks gives the
/// single-process search's counts, verdicts and shortest traces; another number of ranks, a
/// corrupt part or parts of two levels are refused with the same line on every rank.
@Suite("Distributed checkpoints (ranks as threads)")
struct DistributedCheckpointTests {
    /// Every rank's result of `system` on `ranks` ranks with `storage`.
    func runRanks<System: TransitionSystem>(_ system: System, ranks: Int, storage: SearchStorage, stop: Bool = false) -> [CheckResult<System>] {
        ThreadCommunicatorGroup(size: ranks).run { communicator in
            var options = CheckerOptions(workers: 1, stopOnViolation: stop, progressInterval: nil)
            options.communicator = communicator
            options.storage = storage
            return Checker(system, options: options).run()
        }
    }

    /// Every rank's `storageProblem()` (a collective).
    func problems<System: TransitionSystem>(_ system: System, ranks: Int, storage: SearchStorage, stop: Bool = false) -> [String?] {
        ThreadCommunicatorGroup(size: ranks).run { communicator in
            var options = CheckerOptions(workers: 1, stopOnViolation: stop, progressInterval: nil)
            options.communicator = communicator
            options.storage = storage
            return Checker(system, options: options).storageProblem()
        }
    }

    @Test(arguments: [1, 2, 3])
    func recoveryUnderTheSameRanksGivesTheSingleProcessSearch(ranks: Int) throws {
        let directory = scratchDirectory("distributed-checkpoint")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for stop in [false, true] {
            let ring = try ICRing(n: 3, k: 2, w: 2, rejectRefund: 1)
            let reference = Checker(ring, options: CheckerOptions(workers: 1, stopOnViolation: stop, progressInterval: nil)).run()
            #expect(reference.statistics.maxDepth > 4)
            let written = runRanks(ring, ranks: ranks, storage: .init(checkpoint: CheckpointOptions(directory: directory, everyLevels: 4)), stop: stop)
            for result in written { expectSameSearch(result, reference) }
            for rank in 0..<ranks { #expect(FileManager.default.fileExists(atPath: "\(directory)/icmc.checkpoint.rank-\(rank)")) }
            let found = problems(ring, ranks: ranks, storage: .init(recoverDirectory: directory), stop: stop)
            #expect(found.allSatisfy { $0 == nil }, "\(found)")
            let recovered = runRanks(ring, ranks: ranks, storage: .init(recoverDirectory: directory), stop: stop)
            for result in recovered { expectSameSearch(result, reference) }
        }
    }

    @Test func otherRanksCorruptPartsAndMixedLevelsAreRefused() throws {
        let directory = scratchDirectory("distributed-checkpoint-bad")
        let other = scratchDirectory("distributed-checkpoint-other")
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: other)
        }
        let ring = try ICRing(n: 3, k: 2, w: 2)
        _ = runRanks(ring, ranks: 2, storage: .init(checkpoint: CheckpointOptions(directory: directory, everyLevels: 4)))
        _ = runRanks(ring, ranks: 2, storage: .init(checkpoint: CheckpointOptions(directory: other, everyLevels: 7)))
        let recovering = SearchStorage(recoverDirectory: directory)
        for ranks in [1, 3] {
            let found = problems(ring, ranks: ranks, storage: recovering)
            #expect(found.allSatisfy { $0 == found[0] && $0?.contains("another search") == true && $0?.contains("ranks") == true }, "\(found)")
        }
        // A single-process recovery does not take a distributed checkpoint.
        #expect(Checker(ring, options: storageOptions(recovering, workers: 1)).storageProblem()?.contains("no checkpoint") == true)
        // Rank 1's part from another level.
        let part = "\(directory)/icmc.checkpoint.rank-1"
        let original = try Data(contentsOf: URL(fileURLWithPath: part))
        try FileManager.default.removeItem(atPath: part)
        try FileManager.default.copyItem(atPath: "\(other)/icmc.checkpoint.rank-1", toPath: part)
        let mixed = problems(ring, ranks: 2, storage: recovering)
        #expect(mixed.allSatisfy { $0 == mixed[0] && $0?.contains("different levels") == true }, "\(mixed)")
        // Rank 1's part altered.
        var bytes = [UInt8](original)
        bytes[bytes.count / 2] ^= 0x04
        try Data(bytes).write(to: URL(fileURLWithPath: part))
        let corrupt = problems(ring, ranks: 2, storage: recovering)
        #expect(corrupt.allSatisfy { $0 == corrupt[0] && $0?.hasPrefix("--recover: rank 1:") == true && $0?.contains("corrupt") == true }, "\(corrupt)")
        // --disk is still refused under --distributed.
        let disk = problems(ring, ranks: 2, storage: .init(disk: DiskOptions(directory: directory)))
        #expect(disk.allSatisfy { $0?.contains("--disk") == true })
    }
}
