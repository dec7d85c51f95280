import Foundation

/// A JSON value as plain data: the lingua franca of traces, so that a trace written by one
/// component (checker, Z3 bounded model checking, executor) can be read and compared by another
/// without knowing the writer's Swift types.
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

extension JSONValue: Fingerprintable {
    public func fingerprint(into hasher: inout FingerprintHasher) {
        switch self {
        case .null: hasher.combine(UInt64(0))
        case .bool(let value): hasher.combine(UInt64(1)); hasher.combine(value)
        case .int(let value): hasher.combine(UInt64(2)); hasher.combine(value)
        case .double(let value): hasher.combine(UInt64(3)); hasher.combine(value.bitPattern)
        case .string(let value): hasher.combine(UInt64(4)); hasher.combine(value)
        case .array(let value): hasher.combine(UInt64(5)); hasher.combine(value)
        case .object(let value): hasher.combine(UInt64(6)); hasher.combine(value)
        }
    }
}

extension JSONValue {
    /// Encodes any `Encodable` value into plain JSON data (sorted keys, deterministic).
    public init(encoding value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(value), let decoded = try? JSONDecoder().decode(JSONValue.self, from: data) {
            self = decoded
        } else {
            self = .string(String(describing: value))
        }
    }

    /// A one-line rendering with sorted keys, for traces and diffs.
    public var compactDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        case .array(let values): return "[" + values.map(\.compactDescription).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { "\($0): \(members[$0]!.compactDescription)" }.joined(separator: ", ") + "}"
        }
    }
}
