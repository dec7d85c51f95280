import ICCore
import ModelChecking

/// The result of replaying a trace on the reference executor.
public struct ReplayReport: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// Every step matched and the property is violated at the end (and the loop closes).
        case reproduced
        /// The executor and the trace disagree.
        case diverged
        /// The trace cannot be replayed: malformed, unknown action, unknown spec, another model.
        case invalid
    }

    /// One top-level state field that differs.
    public struct FieldDifference: Sendable, Codable, Equatable {
        public let field: String
        /// Paths inside the field where the values differ, e.g. `canisters[1].balance`.
        public let paths: [String]
        public let executor: JSONValue
        public let trace: JSONValue
    }

    public let outcome: Outcome
    /// What happened, in one line naming the step.
    public let message: String
    public let spec: String?
    public let property: String?
    /// Steps in the trace (states − 1).
    public let steps: Int
    /// Steps performed and matched before the end or the divergence.
    public let matchedSteps: Int
    /// The diverging or invalid step (0 = the initial state), if any.
    public let step: Int?
    /// The action of that step, as text.
    public let action: String?
    public let differences: [FieldDifference]

    /// 0 reproduced, 1 diverged, 2 invalid.
    public var exitCode: Int32 {
        switch outcome {
        case .reproduced: 0
        case .diverged: 1
        case .invalid: 2
        }
    }

    /// A human-readable report: the verdict, and for a divergence the differing fields side by side.
    public var rendered: String {
        var lines = ["\(outcome.rawValue.uppercased()): \(message)"]
        if let spec { lines.append("  spec: \(spec)" + (property.map { ", property: \($0)" } ?? "")) }
        lines.append("  steps matched: \(matchedSteps) of \(steps)")
        if let step, outcome == .diverged {
            lines.append("  step \(step): \(action ?? (step == 0 ? "(initial state)" : "(action not recorded)"))")
        }
        if !differences.isEmpty {
            lines.append("  differing fields (≠ executor | trace):")
            for difference in differences {
                lines.append("  ≠ \(difference.field)  at \(difference.paths.joined(separator: ", "))")
                lines.append("      executor: \(difference.executor.compactDescription)")
                lines.append("      trace:    \(difference.trace.compactDescription)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
