import ArgumentParser
import Foundation
import Testing
@testable import ICMCCommandLine

/// `simulate`'s numbers are typed options: the transforms parse them, `validate()` checks their
/// ranges (as swift-argument-parser intends), and a refused value is one line, exit 2.
@Suite("simulate: typed options and validate()")
struct SimulateValidationTests {
    static let spec = "B1-reentrancy-buggy"

    @Test func defaultsAndInRangeValuesPass() throws {
        let command = try SimulateCommand.parse([Self.spec, "--runs", "1000000000", "--steps", "1", "--fault-rate", "1",
                                                 "--keep-last", "0", "--max-trace", "1000000", "--seed", "18446744073709551615"])
        #expect(command.runs == 1_000_000_000 && command.steps == 1 && command.faultRate == 1)
        #expect(command.keepLast == 0 && command.maxTrace == 1_000_000 && command.seed == .max)
        try SimulateCommand.parse([Self.spec]).validate()
    }

    /// The range checks are `validate()`'s: a parsed command whose value is moved out of range
    /// fails validation, naming the flag and its range.
    @Test(arguments: [
        ("runs", "expected an integer in 1...1000000000"), ("steps", "expected an integer in 1...1000000000"),
        ("keep-last", "expected an integer in 0...100000"), ("max-trace", "expected an integer in 1...1000000"),
        ("fault-rate", "expected a number in [0, 1]"),
    ])
    func validateRefusesOutOfRangeValues(flag: String, range: String) throws {
        var command = try SimulateCommand.parse([Self.spec])
        switch flag {
        case "runs": command.runs = 0
        case "steps": command.steps = -5
        case "keep-last": command.keepLast = 100_001
        case "max-trace": command.maxTrace = 0
        default: command.faultRate = 1.5
        }
        do {
            try command.validate()
            Issue.record("--\(flag) out of range passed validate()")
        } catch let error as ValidationError {
            #expect(error.message.contains("'--\(flag) <\(flag)>'") && error.message.hasSuffix(range), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
    }

    /// Through ArgumentParser: out of range (validate) and unparsable (transform) values are
    /// both errors whose first line names the flag; the binary prints that line and exits 2
    /// (see `badParametersAndBoundsExitTwoWithOneLine`).
    @Test(arguments: [["--runs", "0"], ["--steps", "-1"], ["--fault-rate", "2"], ["--keep-last", "-1"],
                      ["--max-trace", "1000001"], ["--runs", "abc"], ["--fault-rate", "nan"], ["--seed", "-1"]])
    func parseAsRootRefusesWithOneLineNamingTheFlag(arguments: [String]) throws {
        do {
            _ = try ICMCCommand.parseAsRoot(["simulate", Self.spec] + arguments)
            Issue.record("\(arguments) accepted")
        } catch {
            #expect(ICMCCommand.exitCode(for: error) == .validationFailure)
            let first = ICMCCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.contains("'\(arguments[0]) <"), "\(first)")
        }
    }
}
