/// Whether a parallel breadth-first search runs each batch of a level on all its workers.
public enum WorkerPolicy: Sendable, Hashable {
    /// Time batches run on all workers and on one, and use the faster; the losing mode is
    /// timed again now and then (less often while it keeps losing). On an idle machine this
    /// is all workers; when other programs take the cores, waiting for a descheduled worker
    /// and contended memory can make two workers slower than one, and this falls back to one.
    case adaptive
    /// Always all workers (for measuring the parallel search itself).
    case fixed
    /// All workers and one worker, batch by batch: for tests, since results must not depend
    /// on the mode.
    case alternating
}

/// Picks, batch by batch, whether a parallel search expands on all its workers or on one
/// (`WorkerPolicy`). Only the timing depends on it: both modes accept exactly the same states
/// in the same order, so counts, verdicts and traces do not change.
@usableFromInline
struct WorkerGovernor {
    @usableFromInline let policy: WorkerPolicy
    /// Smoothed wall-clock nanoseconds per transition on one worker and on all; `nil` until timed.
    @usableFromInline var sequentialCost: Double?
    @usableFromInline var parallelCost: Double?
    @usableFromInline var batches = 0
    /// Batches until the mode not in use is timed again; doubles while the probes confirm
    /// the choice (up to `maxProbeInterval`), back to `minProbeInterval` when one overturns it.
    @usableFromInline var probeInterval = WorkerGovernor.minProbeInterval
    @usableFromInline var sinceProbe = 0
    /// Batches run on all workers and on one (for the statistics).
    @usableFromInline var parallelBatches = 0
    @usableFromInline var sequentialBatches = 0

    @usableFromInline static let minProbeInterval = 4
    @usableFromInline static let maxProbeInterval = 64
    /// Batches with fewer transitions are too short to time reliably and are not recorded.
    @usableFromInline static let minTimedTransitions = 256

    @inlinable init(policy: WorkerPolicy) { self.policy = policy }

    /// Whether the next batch runs on all workers.
    @inlinable
    mutating func nextBatchIsParallel() -> Bool {
        defer { batches += 1 }
        switch policy {
        case .fixed: return true
        case .alternating: return batches % 2 == 0
        case .adaptive:
            // All workers first, then one worker once, then the faster with a probe now and then.
            guard let preferred = preferredParallel else { return parallelCost == nil }
            if sinceProbe >= probeInterval {
                sinceProbe = 0
                return !preferred
            }
            sinceProbe += 1
            return preferred
        }
    }

    /// Records how long a batch took.
    @inlinable
    mutating func record(parallel: Bool, transitions: Int, duration: Duration) {
        if parallel { parallelBatches += 1 } else { sequentialBatches += 1 }
        guard policy == .adaptive, transitions >= Self.minTimedTransitions else { return }
        let measured = duration.seconds * 1e9 / Double(transitions)
        // Recent batches weigh most: the load of the machine changes while a search runs.
        func smoothed(_ cost: Double?) -> Double { cost.map { 0.5 * $0 + 0.5 * measured } ?? measured }
        let before = preferredParallel
        if parallel { parallelCost = smoothed(parallelCost) } else { sequentialCost = smoothed(sequentialCost) }
        // A probe of the mode not in use: back off while the choice holds.
        guard let before, let after = preferredParallel, parallel != before else { return }
        probeInterval = after == before ? min(probeInterval * 2, Self.maxProbeInterval) : Self.minProbeInterval
    }

    /// Whether all workers are currently the faster mode; `nil` until both are timed.
    @inlinable
    var preferredParallel: Bool? {
        guard let sequentialCost, let parallelCost else { return nil }
        return parallelCost <= sequentialCost
    }
}
