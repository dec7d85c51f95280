import ArgumentParser
import Foundation

/// Why a numeric flag's value was refused; its description is the part of the one-line error
/// after "The value 'X' is invalid for '--flag <flag>': ".
struct NumericArgumentError: Error, CustomStringConvertible {
    let description: String
}

/// Parsing of every numeric flag, used as `@Option(transform:)`, and range checks for
/// `validate()`: a value out of range, too large for a 64-bit integer, negative or not a number
/// gets one line that states the accepted range, instead of an overflow crash later or ArgumentParser's "Missing value"
/// for a negative number (numeric options are declared with `parsing: .unconditional`, so that
/// `-1` is read as a value and refused here).
enum NumericArgument {
    /// The largest `--workers`: four threads per core (more only adds contention).
    static var maxWorkers: Int { 4 * max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// An integer in `range` (any integer when `nil`); the error names the range and why the
    /// text is not in it.
    static func integer(_ text: String, in range: ClosedRange<Int>? = nil) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expected = range.map { "expected an integer in \(describe($0))" } ?? "expected an integer"
        guard let value = Int(trimmed) else {
            let digits = trimmed.drop { $0 == "-" || $0 == "+" }
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
                throw NumericArgumentError(description: "\(expected); the number is beyond 64-bit integers")
            }
            throw NumericArgumentError(description: "\(expected); not an integer")
        }
        if let range, !range.contains(value) { throw NumericArgumentError(description: expected) }
        return value
    }

    /// An unsigned 64-bit integer (a PRNG seed).
    static func unsigned(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw NumericArgumentError(description: "expected an unsigned integer in 0...\(UInt64.max)")
        }
        return value
    }

    /// A finite number in `range` (any finite number when `nil`).
    static func number(_ text: String, in range: ClosedRange<Double>? = nil) throws -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range?.contains(value) ?? true else {
            throw NumericArgumentError(description: range.map { "expected a number in \(describe($0))" } ?? "expected a finite number")
        }
        return value
    }

    /// For `validate()`: refuses a parsed `value` of `--flag` outside `range`, in the words
    /// ArgumentParser uses for a value its transform refuses.
    static func require(_ value: Int, in range: ClosedRange<Int>, flag: String) throws {
        guard range.contains(value) else {
            throw ValidationError("The value '\(value)' is invalid for '--\(flag) <\(flag)>': expected an integer in \(describe(range))")
        }
    }

    /// For `validate()`: refuses a parsed `value` of `--flag` outside `range`.
    static func require(_ value: Double, in range: ClosedRange<Double>, flag: String) throws {
        guard range.contains(value) else {
            throw ValidationError("The value '\(format(value))' is invalid for '--\(flag) <\(flag)>': expected a number in \(describe(range))")
        }
    }

    /// `[0, 1]`.
    static func describe(_ range: ClosedRange<Double>) -> String {
        "[\(format(range.lowerBound)), \(format(range.upperBound))]"
    }

    /// `1...8`, `1...` for an open upper end.
    static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "\(range.lowerBound)...\(Int.max)" : "\(range.lowerBound)...\(range.upperBound)"
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// `--workers`: 1…(4 × cores).
    static func workers(_ text: String) throws -> Int { try integer(text, in: 1...maxWorkers) }
}
