import ICCore

/// The summary of a simulation.
public struct SimulationReport: Sendable, Codable, Equatable {
    /// A property violation found by a run, saved as a replayable trace.
    public struct Violation: Sendable, Codable, Equatable {
        public let run: Int
        public let step: Int
        public let property: String
        /// Where the trace was written (nil when no directory was given).
        public let tracePath: String?
    }

    public let spec: String
    public let seed: UInt64
    public var runs = 0
    public var steps = 0
    /// Faults injected, by kind (`FaultKind.description`).
    public var faults: [String: Int] = [:]
    public var violations: [Violation] = []
    /// Per run, a fingerprint of its actions: equal seeds give equal lists.
    public var runDigests: [String] = []

    public var rendered: String {
        var lines = ["simulated \(spec): \(runs) runs, \(steps) steps (seed \(seed))"]
        let faultList = faults.keys.sorted().map { "\($0)=\(faults[$0]!)" }.joined(separator: ", ")
        lines.append("faults injected: \(faults.values.reduce(0, +))" + (faultList.isEmpty ? "" : " (\(faultList))"))
        lines.append("violations: \(violations.count)")
        for violation in violations {
            lines.append("  run \(violation.run), step \(violation.step): \(violation.property)"
                + (violation.tracePath.map { " → \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
