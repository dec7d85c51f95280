import Foundation

/// What checking one spec found.
public struct SpecResult: Sendable {
    /// The checker's conclusion.
    public enum Verdict: Sendable, Equatable, CustomStringConvertible {
        /// Every property held on the whole bounded state space.
        case holds
        /// A property was violated (the first one found, safety before liveness).
        case violated(property: String)
        /// The search was cut short (`maxStates`, interruption): never evidence of "holds".
        case incomplete(String)
        /// The check could not run (e.g. the liveness graph exceeded its limit).
        case error(String)

        public var description: String {
            switch self {
            case .holds: "holds"
            case .violated(let property): "violated (\(property))"
            case .incomplete(let reason): "incomplete (\(reason))"
            case .error(let message): "error (\(message))"
            }
        }
    }

    /// The reason of `incomplete (memory limit)`: the search stopped at `SpecRunner.memoryLimit`.
    public static let memoryLimitReason = "memory limit"
    /// The reason of `incomplete (time limit)`: the search stopped at `SpecRunner.timeLimit`.
    public static let timeLimitReason = "time limit"

    public let name: String
    public let expected: Spec.Expectation
    public let verdict: Verdict
    /// Distinct states explored (the liveness graph's states when liveness was checked too).
    public let distinct: Int
    public let transitions: Int
    public let seconds: Double
    /// Steps of the counterexample (for a lasso: stem + cycle); `nil` when nothing was violated.
    public let traceLength: Int?
    /// Where the ITF trace was saved; `nil` when nothing was violated or saving was off.
    public let tracePath: String?
    /// The numbered counterexample steps, for human output.
    public let traceText: String?
    /// Every violated property, in the spec's order (the verdict names the first).
    public let violatedProperties: [String]
    /// The specs whose properties the same search checked (`SpecRunner.checkJointly(_:)`): then
    /// `distinct`, `transitions` and `seconds` are that joint search's. Empty: checked alone.
    public var jointlyWith: [String] = []

    /// Whether the verdict is the one the spec expects: nothing violated for `holds`; the named
    /// property violated (others may fail too, e.g. a bug that breaks two invariants at once).
    public var asExpected: Bool {
        switch (expected, verdict) {
        case (.holds, .holds): true
        case (.violated(let wanted), .violated(let found)): found == wanted
        default: false
        }
    }

    /// Whether the search was cut short by a limit (states, depth, time, memory, interruption):
    /// the command line's exit status 3 when no verdict contradicts the expected one.
    public var isIncomplete: Bool {
        if case .incomplete = verdict { return true }
        return false
    }

    /// The `--json` object: exactly name, expected, verdict, distinct, transitions, seconds,
    /// traceLength, trace.
    public var json: [String: Any] {
        [
            "name": name, "expected": expected.description, "verdict": verdict.description,
            "distinct": distinct, "transitions": transitions, "seconds": (seconds * 1000).rounded() / 1000,
            "traceLength": traceLength.map { $0 as Any } ?? NSNull(), "trace": tracePath.map { $0 as Any } ?? NSNull(),
        ]
    }
}
