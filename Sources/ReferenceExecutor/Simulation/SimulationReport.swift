import ICCore

/// The summary of a simulation.
public struct SimulationReport: Sendable, Codable, Equatable {
    /// A property violation found by a run, saved as a replayable trace.
    public struct Violation: Sendable, Codable, Equatable {
        public let run: Int
        public let step: Int
        public let property: String
        /// Where the trace was written (nil when no directory was given or it was not saved).
        public let tracePath: String?
        /// The run's last actions before the violation (oldest first), at most `keepLast`.
        public var lastActions: [String] = []
        /// Why no trace was saved, when one could not be.
        public var note: String?
    }

    /// `runDigests` keeps the first this many runs (a billion runs must not keep a billion strings).
    public static let maxDigests = 10_000

    public let spec: String
    public let seed: UInt64
    public var runs = 0
    public var steps = 0
    /// Faults that actually fired (their step was performed), by kind (`FaultKind.description`).
    public var faults: [String: Int] = [:]
    /// The faults the simulation could inject (the spec's, or `--faults`), empty at rate 0.
    public var allowedFaults: [String] = []
    /// Runs that ended early without a violation, by reason ("no step enabled", "only the
    /// environment can act").
    public var endings: [String: Int] = [:]
    /// The limit that stopped the simulation ("time limit", "memory limit"), if one did.
    public var stoppedBy: String?
    public var violations: [Violation] = []
    /// Per run, a fingerprint of its actions: equal seeds give equal lists.
    public var runDigests: [String] = []

    public var rendered: String {
        var lines = ["simulated \(spec): \(runs) runs, \(steps) steps (seed \(seed))"]
        let faultList = faults.keys.sorted().map { "\($0)=\(faults[$0]!)" }.joined(separator: ", ")
        if let stoppedBy { lines.append("incomplete (\(stoppedBy)): stopped after \(runs) runs") }
        lines.append("faults allowed: " + (allowedFaults.isEmpty ? "none" : allowedFaults.joined(separator: ", ")))
        lines.append("faults fired: \(faults.values.reduce(0, +))" + (faultList.isEmpty ? "" : " (\(faultList))"))
        if !endings.isEmpty {
            lines.append("runs ended early: " + endings.keys.sorted().map { "\(endings[$0]!) \($0)" }.joined(separator: ", "))
        }
        lines.append("violations: \(violations.count)")
        for violation in violations {
            lines.append("  run \(violation.run), step \(violation.step): \(violation.property)"
                + (violation.tracePath.map { " → \($0)" } ?? ""))
            if let note = violation.note { lines.append("    \(note)") }
            if violation.tracePath == nil, !violation.lastActions.isEmpty {
                lines.append("    last \(violation.lastActions.count) actions: " + violation.lastActions.joined(separator: "; "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
