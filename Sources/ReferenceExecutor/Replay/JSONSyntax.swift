import Foundation

/// A JSON syntax check that says where a document goes wrong (line and column) and refuses
/// nesting deeper than `maxDepth` before any recursive decoder sees it. Foundation's decoder
/// reports neither position nor depth on Linux, so a user with a hand-edited or truncated trace
/// would otherwise get "The given data was not valid JSON." with no place to look.
///
/// Iterative (an explicit stack), so a document of a million `[` costs memory, not the stack.
public enum JSONSyntax {
    /// The deepest nesting of arrays and objects accepted; IC traces nest about ten levels.
    public static let maxDepth = 256

    /// Where and why a document is not JSON.
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        /// 1-based line and column (in bytes) of the offending character or of the end.
        public let line: Int
        public let column: Int
        public let message: String

        public var description: String { "line \(line), column \(column): \(message)" }
    }

    private enum Expect { case value, valueOrClose, key, keyOrClose, colon, commaOrClose, end }

    /// The first syntax error of `data`, or `nil` if it is one well-formed JSON value.
    public static func firstError(in data: Data) -> SyntaxError? {
        let bytes = [UInt8](data)
        var scanner = Scanner(bytes: bytes)
        guard let (offset, message) = scanner.run() else { return nil }
        return locate(offset, in: bytes, message)
    }

    private static func locate(_ offset: Int, in bytes: [UInt8], _ message: String) -> SyntaxError {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return SyntaxError(line: line, column: offset - lineStart + 1, message: message)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var stack: [UInt8] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// The offset and message of the first error, or nil.
        mutating func run() -> (Int, String)? {
            var expect = Expect.value
            while true {
                while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
                guard index < bytes.count else {
                    return expect == .end ? nil : (index, bytes.isEmpty ? "the file is empty" : "unexpected end of the document")
                }
                let byte = bytes[index]
                switch expect {
                case .end:
                    return (index, "unexpected \(show(byte)) after the end of the document")
                case .colon:
                    guard byte == UInt8(ascii: ":") else { return (index, "expected ':' after an object key, found \(show(byte))") }
                    index += 1
                    expect = .value
                case .commaOrClose:
                    if byte == UInt8(ascii: ",") {
                        index += 1
                        expect = stack.last == UInt8(ascii: "{") ? .key : .value
                    } else if byte == closing(stack.last) {
                        index += 1
                        stack.removeLast()
                        expect = stack.isEmpty ? .end : .commaOrClose
                    } else {
                        return (index, "expected ',' or '\(Character(UnicodeScalar(closing(stack.last))))', found \(show(byte))")
                    }
                case .key, .keyOrClose:
                    if expect == .keyOrClose, byte == UInt8(ascii: "}") {
                        index += 1
                        stack.removeLast()
                        expect = stack.isEmpty ? .end : .commaOrClose
                    } else if byte == UInt8(ascii: "\"") {
                        if let error = string() { return error }
                        expect = .colon
                    } else {
                        return (index, "expected a string key, found \(show(byte))")
                    }
                case .value, .valueOrClose:
                    if expect == .valueOrClose, byte == UInt8(ascii: "]") {
                        index += 1
                        stack.removeLast()
                        expect = stack.isEmpty ? .end : .commaOrClose
                    } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                        guard stack.count < JSONSyntax.maxDepth else {
                            return (index, "nesting deeper than \(JSONSyntax.maxDepth) levels")
                        }
                        stack.append(byte)
                        index += 1
                        expect = byte == UInt8(ascii: "[") ? .valueOrClose : .keyOrClose
                    } else {
                        if let error = scalar(byte) { return error }
                        expect = stack.isEmpty ? .end : .commaOrClose
                    }
                }
            }
        }

        func closing(_ opening: UInt8?) -> UInt8 { opening == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]") }

        func show(_ byte: UInt8) -> String {
            (0x21..<0x7F).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : String(format: "byte 0x%02X", byte)
        }

        /// A string, number or literal starting at `index`.
        mutating func scalar(_ byte: UInt8) -> (Int, String)? {
            if byte == UInt8(ascii: "\"") { return string() }
            if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { return number() }
            for literal in ["true", "false", "null"] {
                let utf8 = Array(literal.utf8)
                if bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 {
                    index += utf8.count
                    return nil
                }
            }
            return (index, "unexpected \(show(byte)), expected a value")
        }

        mutating func string() -> (Int, String)? {
            let start = index
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return nil
                }
                if byte < 0x20 { return (index, "control character \(show(byte)) inside a string") }
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count else { break }
                    let escaped = bytes[index + 1]
                    if escaped == UInt8(ascii: "u") {
                        let hex = bytes[min(index + 2, bytes.count)..<min(index + 6, bytes.count)]
                        guard hex.count == 4, hex.allSatisfy({ Character(UnicodeScalar($0)).isHexDigit }) else {
                            return (index, "malformed \\u escape in a string")
                        }
                        index += 6
                        continue
                    }
                    guard Array("\"\\/bfnrt".utf8).contains(escaped) else { return (index, "unknown escape \\\(show(escaped)) in a string") }
                    index += 2
                    continue
                }
                index += 1
            }
            return (start, "string not closed before the end of the document")
        }

        mutating func number() -> (Int, String)? {
            let start = index
            func digits() -> Int {
                let from = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - from
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return (start, "malformed number") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { return (start, "malformed number") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { return (start, "malformed number") }
            }
            return nil
        }
    }
}
