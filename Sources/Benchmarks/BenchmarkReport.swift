import Foundation
import ModelChecking

/// The outcome of one benchmark run, as `icmc bench` prints it (human-readable or JSON).
///
/// The first nine keys are the stable, tool-comparable figures; the rest describe the verdicts.
public struct BenchmarkReport: Sendable, Hashable, Codable {
    /// A violated invariant and its shortest counterexample.
    public struct Violation: Sendable, Hashable, Codable {
        public let property: String
        /// Steps of the counterexample (0: an initial state violates the property).
        public let steps: Int
        /// The actions of the counterexample, in order.
        public let actions: [String]
        /// The human-readable rendering of the counterexample (`Trace.render()`).
        public let trace: String
    }

    public let model: String
    public let distinct: Int
    public let transitions: Int
    public let terminal: Int
    public let maxDepth: Int
    public let seconds: Double
    public let statesPerSecond: Double
    public let peakMemoryBytes: Int
    public let workers: Int
    /// Batches run on all workers, and on one because that was faster on a busy machine
    /// (`WorkerPolicy.adaptive`); both 0 with one worker.
    public let parallelBatches: Int
    public let sequentialBatches: Int
    /// Why the search ended (`complete`, `stoppedOnViolation`, `interrupted`, …).
    public let outcome: String
    /// Every checked property with its status label (`holds`, `violated`, …), in model order.
    public let properties: [String: String]
    /// True when the search was complete and no property failed.
    public let invariantsHold: Bool
    public let violations: [Violation]

    /// Summarises a checker result.
    public init<System: TransitionSystem>(_ result: CheckResult<System>) {
        let statistics = result.statistics
        model = result.modelName
        distinct = statistics.distinctStates
        transitions = statistics.transitions
        terminal = statistics.terminalStates
        maxDepth = statistics.maxDepth
        seconds = statistics.seconds
        statesPerSecond = statistics.statesPerSecond
        peakMemoryBytes = statistics.peakMemoryBytes
        workers = statistics.workers
        parallelBatches = statistics.parallelBatches
        sequentialBatches = statistics.sequentialBatches
        outcome = result.outcome.rawValue
        var labels: [String: String] = [:]
        var violations: [Violation] = []
        for verdict in result.verdicts {
            labels[verdict.name] = verdict.status.label
            if verdict.isFailure, let trace = verdict.status.trace {
                violations.append(
                    Violation(
                        property: verdict.name,
                        steps: trace.length,
                        actions: trace.steps.map { String(describing: $0.action) },
                        trace: trace.render()
                    )
                )
            }
        }
        properties = labels
        self.violations = violations
        invariantsHold = violations.isEmpty && result.verdicts.allSatisfy { !$0.isFailure }
            && result.outcome == .complete
        propertyOrder = result.verdicts.map(\.name)
    }

    /// Property names in the model's order (for the human-readable listing).
    private let propertyOrder: [String]

    private enum CodingKeys: String, CodingKey {
        case model, distinct, transitions, terminal, maxDepth, seconds, statesPerSecond, peakMemoryBytes, workers
        case parallelBatches, sequentialBatches
        case outcome, properties, invariantsHold, violations
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        distinct = try container.decode(Int.self, forKey: .distinct)
        transitions = try container.decode(Int.self, forKey: .transitions)
        terminal = try container.decode(Int.self, forKey: .terminal)
        maxDepth = try container.decode(Int.self, forKey: .maxDepth)
        seconds = try container.decode(Double.self, forKey: .seconds)
        statesPerSecond = try container.decode(Double.self, forKey: .statesPerSecond)
        peakMemoryBytes = try container.decode(Int.self, forKey: .peakMemoryBytes)
        workers = try container.decode(Int.self, forKey: .workers)
        parallelBatches = try container.decodeIfPresent(Int.self, forKey: .parallelBatches) ?? 0
        sequentialBatches = try container.decodeIfPresent(Int.self, forKey: .sequentialBatches) ?? 0
        outcome = try container.decode(String.self, forKey: .outcome)
        properties = try container.decode([String: String].self, forKey: .properties)
        invariantsHold = try container.decode(Bool.self, forKey: .invariantsHold)
        violations = try container.decode([Violation].self, forKey: .violations)
        propertyOrder = properties.keys.sorted()
    }

    /// One JSON object, keys sorted, on one line.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The statistics block, the property verdicts and any counterexamples.
    public var humanReadable: String {
        var lines = [
            "model:        \(model)",
            "distinct:     \(Self.grouped(distinct))",
            "transitions:  \(Self.grouped(transitions))",
            "terminal:     \(Self.grouped(terminal))",
            "max depth:    \(maxDepth)",
            "seconds:      \(String(format: "%.3f", seconds))",
            "states/s:     \(Self.grouped(Int(statesPerSecond.rounded())))",
            "peak memory:  \(String(format: "%.1f", Double(peakMemoryBytes) / 1_048_576)) MiB",
            "workers:      \(workers)",
            "outcome:      \(outcome)",
        ]
        if parallelBatches + sequentialBatches > 0 {
            lines.insert("batches:      \(Self.grouped(parallelBatches)) on all workers, \(Self.grouped(sequentialBatches)) on one", at: 9)
        }
        for name in propertyOrder {
            lines.append("property \(name): \(properties[name] ?? "?")")
        }
        if !violations.isEmpty {
            lines.append("invariants VIOLATED: " + violations.map(\.property).joined(separator: ", "))
        } else {
            lines.append(invariantsHold ? "all invariants hold" : "invariants not established (search \(outcome))")
        }
        for violation in violations {
            lines.append("")
            lines.append("counterexample to \(violation.property) (\(violation.steps) steps):")
            lines.append(violation.trace)
        }
        return lines.joined(separator: "\n")
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String { CountFormat.grouped(value) }
}
