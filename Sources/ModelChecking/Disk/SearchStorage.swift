/// Where a breadth-first search keeps what does not fit in memory, and whether it saves or
/// resumes checkpoints. The default (all `nil`) is the in-memory search.
///
/// Any of the three runs the disk-backed search (`DiskBreadthFirstSearch`): same counts,
/// verdicts and shortest traces as the in-memory one, for any number of workers.
public struct SearchStorage: Sendable, Hashable {
    /// Keep the visited set, the queue and the parent links in a directory (`--disk DIR`).
    public var disk: DiskOptions?
    /// Save the search at level boundaries (`--checkpoint DIR --checkpoint-every MIN`).
    public var checkpoint: CheckpointOptions?
    /// Resume from the checkpoint in this directory (`--recover DIR`).
    public var recoverDirectory: String?

    public init(disk: DiskOptions? = nil, checkpoint: CheckpointOptions? = nil, recoverDirectory: String? = nil) {
        self.disk = disk
        self.checkpoint = checkpoint
        self.recoverDirectory = recoverDirectory
    }

    /// Whether the disk-backed search runs.
    public var isActive: Bool { disk != nil || checkpoint != nil || recoverDirectory != nil }
}

/// The disk-backed visited set and queue: TLC's DiskFPSet, in short. Fingerprints go to an
/// in-memory table until `fingerprintBudget` of them are there; the table is then sorted and
/// merged into a sorted file, which lookups of new states consult in sorted batches through a
/// small in-memory index of its pages. Frontier states are written to per-level files as bytes.
public struct DiskOptions: Sendable, Hashable {
    /// Where the files go (created if missing; the search's files are removed at its end).
    public var directory: String
    /// Fingerprints held in memory before they are merged into the file (10 bytes each).
    public var fingerprintBudget: Int

    /// 16 MiB of table by default: with the I/O buffers, IC-Ring(3,3,2) runs in under 64 MiB.
    public static let defaultFingerprintBudget = 1 << 20

    public init(directory: String, fingerprintBudget: Int = DiskOptions.defaultFingerprintBudget) {
        self.directory = directory
        self.fingerprintBudget = max(16, fingerprintBudget)
    }
}

/// When a search writes checkpoints: at the first BFS level boundary after `interval` since
/// the last one, or (for tests) every `everyLevels` levels.
public struct CheckpointOptions: Sendable, Hashable {
    public var directory: String
    public var interval: Duration?
    public var everyLevels: Int?

    public init(directory: String, interval: Duration? = nil, everyLevels: Int? = nil) {
        self.directory = directory
        self.interval = interval
        self.everyLevels = everyLevels
    }
}
