import Foundation

/// A `DecodingError` as one line naming the JSON path of the offending value (e.g.
/// `states[3].action.deliverRequest.from: expected an integer`), so that a hand-edited trace
/// says where to look instead of printing the error's raw dump.
enum DecodingErrorPath {
    /// `prefix` (the path of the decoded value in the document) followed by the error's path.
    static func describe(_ error: Error, at prefix: String) -> String {
        guard let error = error as? DecodingError else { return "\(prefix): \(error)" }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(prefix, context.codingPath)): expected \(expected(type))"
        case .valueNotFound(let type, let context):
            return "\(path(prefix, context.codingPath)): expected \(expected(type)), found null"
        case .keyNotFound(let key, let context):
            return "\(path(prefix, context.codingPath)): missing key \"\(key.stringValue)\""
        case .dataCorrupted(let context):
            return "\(path(prefix, context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(prefix): \(error)"
        }
    }

    static func path(_ prefix: String, _ codingPath: [any CodingKey]) -> String {
        codingPath.reduce(prefix) { path, key in
            if let index = key.intValue { return "\(path)[\(index)]" }
            return path.isEmpty ? key.stringValue : "\(path).\(key.stringValue)"
        }
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is any BinaryInteger.Type: "an integer"
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is any BinaryFloatingPoint.Type: "a number"
        default: "a value of type \(type)"
        }
    }
}
