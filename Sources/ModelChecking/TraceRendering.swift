import Foundation

extension Trace {
    /// A numbered, human-readable listing: the initial state in full, then per step its action
    /// and the trace-state fields it changed (`field: old -> new`). A trace state that is not a
    /// JSON object is printed whole at every step.
    public func render() -> String {
        let values = states.map { TraceJSON.value(system.traceState(of: $0)) }
        var lines: [String] = []
        lines.append("0. initial state")
        lines.append(contentsOf: Self.fullLines(values[0]))
        for (index, step) in steps.enumerated() {
            let marker = loopIndex.map { $0 == index + 1 ? "  (loop starts here)" : "" } ?? ""
            lines.append("\(index + 1). \(step.action)\(marker)")
            lines.append(contentsOf: Self.diffLines(from: values[index], to: values[index + 1]))
        }
        if let loopIndex {
            lines.append("-> back to state \(loopIndex)")
        }
        return lines.joined(separator: "\n")
    }

    static func fullLines(_ value: JSONValue) -> [String] {
        if case .object(let fields) = value {
            return fields.keys.sorted().map { "   \($0) = \(TraceJSON.compact(fields[$0]!))" }
        }
        return ["   \(TraceJSON.compact(value))"]
    }

    static func diffLines(from old: JSONValue, to new: JSONValue) -> [String] {
        guard case .object(let before) = old, case .object(let after) = new else {
            return old == new ? ["   (no change)"] : ["   \(TraceJSON.compact(new))"]
        }
        var lines: [String] = []
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            let was = before[key].map(TraceJSON.compact) ?? "(absent)"
            let now = after[key].map(TraceJSON.compact) ?? "(absent)"
            lines.append("   \(key): \(was) -> \(now)")
        }
        return lines.isEmpty ? ["   (no change)"] : lines
    }
}

/// Converting trace values to `JSONValue`.
enum TraceJSON {
    /// The JSON form of an `Encodable` value; a value that fails to encode becomes its
    /// description, so rendering never fails.
    static func value(_ value: some Encodable) -> JSONValue {
        JSONValue(encoding: value)
    }

    static func encode(_ value: some Encodable) throws -> JSONValue {
        let data = try JSONEncoder().encode(value)
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// The JSON of an action when it is `Encodable`, else its description.
    static func action(_ action: some CustomStringConvertible) -> JSONValue {
        if let encodable = action as? any Encodable, let json = try? encode(encodable) {
            return json
        }
        return .string(action.description)
    }

    /// Single-line JSON with sorted keys.
    static func compact(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            return "\(value)"
        }
        return text
    }
}
