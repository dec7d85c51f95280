import ArgumentParser
import Foundation
import ModelChecking

/// `--disk DIR`: the visited set, the queue and the parent links of the breadth-first search
/// on disk, for state spaces beyond RAM (same counts, verdicts and traces).
struct DiskOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Keep the visited set, the queue and the parent links in DIR (created if missing): memory stays bounded, counts and traces are identical.",
            discussion: "Fingerprints beyond an in-memory table (1 Mi fingerprints, 16 MiB) are merged into a sorted file, as TLC's DiskFPSet; "
                + "frontier states are written per level. IC-model specs keep their shared component tables in memory.",
            valueName: "dir"))
    var disk: String?

    /// Fingerprints held in memory before a merge into the file (tests set it small).
    @Option(name: .customLong("disk-fingerprint-budget"), parsing: .unconditional, help: .hidden,
            transform: { try NumericArgument.integer($0, in: 16...(1 << 40)) })
    var fingerprintBudget: Int = DiskOptions.defaultFingerprintBudget

    var storage: SearchStorage {
        SearchStorage(disk: disk.map { DiskOptions(directory: $0, fingerprintBudget: fingerprintBudget) })
    }

    func validate() throws {
        if let disk, disk.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--disk needs a directory") }
    }
}

/// `--checkpoint DIR --checkpoint-every MIN` and `--recover DIR`, for long breadth-first searches.
struct CheckpointOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Save the search to DIR/icmc.checkpoint at level boundaries, every --checkpoint-every minutes (written atomically).",
        discussion: "The search then runs on disk-backed storage. Packed states (ic-ring, two-phase) are saved as bytes; "
            + "IC-model specs save each state's successor index, and recovery re-executes the frontier's paths. "
            + "With `check`, only the safety search is saved (liveness is checked afresh after it).",
        valueName: "dir"))
    var checkpoint: String?

    @Option(name: .customLong("checkpoint-every"), parsing: .unconditional,
            help: ArgumentHelp("Minutes between checkpoints (default 10; a fraction is allowed).", valueName: "min"),
            transform: { try NumericArgument.number($0, in: 0.001...525_600) })
    var checkpointEvery: Double?

    /// Checkpoint every N levels (tests).
    @Option(name: .customLong("checkpoint-every-levels"), parsing: .unconditional, help: .hidden,
            transform: { try NumericArgument.integer($0, in: 1...Int.max) })
    var checkpointEveryLevels: Int?

    @Option(help: ArgumentHelp(
        "Resume the search saved in DIR/icmc.checkpoint (same model and options); final counts, verdicts and traces are those of an uninterrupted run.",
        valueName: "dir"))
    var recover: String?

    func validate() throws {
        if checkpoint == nil, checkpointEvery != nil || checkpointEveryLevels != nil {
            throw ValidationError("--checkpoint-every needs --checkpoint DIR")
        }
    }

    /// Adds the checkpoint settings to `storage`.
    func apply(to storage: inout SearchStorage) {
        if let checkpoint {
            let minutes = checkpointEvery ?? (checkpointEveryLevels == nil ? 10 : nil)
            storage.checkpoint = CheckpointOptions(
                directory: checkpoint, interval: minutes.map { .milliseconds(Int64($0 * 60_000)) }, everyLevels: checkpointEveryLevels)
        }
        storage.recoverDirectory = recover
    }
}

extension Checker {
    /// Refuses, with one line and exit status 2, a storage setting this search cannot use.
    func requireStorageSupport() throws {
        if let problem = storageProblem() { throw badInput(problem) }
    }
}

/// The one-line refusals of storage settings the command line checks itself.
enum StorageRefusal {
    static let distributed = "--disk does not combine with --distributed yet (--checkpoint and --recover do)"
}
