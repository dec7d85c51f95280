/// A named integer constant of a spec, as a TLA+ `CONSTANT` set from TLC's configuration: the
/// size of a workload (clients, events, retries) that a user picks on the command line with
/// `--param NAME=VALUE` instead of editing the spec.
///
/// The range is closed and small on purpose: every value in it must give a finite state space
/// that the checker can explore, and the default is the size the catalogue's verdict is about.
public struct SpecParameter: Sendable, Hashable {
    /// The key of `--param KEY=VALUE`.
    public let name: String
    /// What the parameter counts, in a few words (shown by `icmc list`).
    public let summary: String
    /// The values the spec accepts; others are bad input (exit status 2).
    public let range: ClosedRange<Int>
    /// The value when `--param` does not set it: the size the catalogue's verdict is about.
    public let defaultValue: Int

    /// - Precondition: `defaultValue` lies in `range` (a spec author's mistake, not bad input).
    public init(_ name: String, summary: String, range: ClosedRange<Int>, default defaultValue: Int) {
        precondition(range.contains(defaultValue), "parameter \(name): default \(defaultValue) outside \(range)")
        self.name = name
        self.summary = summary
        self.range = range
        self.defaultValue = defaultValue
    }

    /// `name=default (lo...hi)`, as `icmc list` shows it.
    public var description: String { "\(name)=\(defaultValue) (\(range.lowerBound)...\(range.upperBound))" }
}

/// A `--param` that names no parameter of the spec, or whose value is outside its range.
public struct SpecParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Array where Element == SpecParameter {
    /// Every parameter's value: the defaults, overridden by `assignments` after checking that
    /// each names a parameter and lies in its range.
    public func resolve(_ assignments: [String: Int], spec: String) throws(SpecParameterError) -> [String: Int] {
        var values: [String: Int] = [:]
        for parameter in self { values[parameter.name] = parameter.defaultValue }
        for (name, value) in assignments.sorted(by: { $0.key < $1.key }) {
            guard let parameter = first(where: { $0.name == name }) else {
                let known = isEmpty ? "it has no parameters" : "its parameters: " + map(\.description).joined(separator: ", ")
                throw SpecParameterError("unknown parameter '\(name)' for spec \(spec) (\(known))")
            }
            guard parameter.range.contains(value) else {
                throw SpecParameterError(
                    "parameter \(name)=\(value) of spec \(spec) is outside \(parameter.range.lowerBound)...\(parameter.range.upperBound)")
            }
            values[name] = value
        }
        return values
    }
}
