import ArgumentParser
import Foundation

/// The icmc command-line tool: model checking, proofs and replay for IC inter-canister messaging.
@main
struct ICMC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icmc",
        abstract: "A model checker and specification library for Internet Computer inter-canister messaging.",
        discussion: """
            Start with `swift run -c release icmc verify`: every spec checked, every proof run, every
            counterexample replayed, and the guarantees matrix. Exit codes: 0 as expected, 1 a verdict
            not as expected, 2 bad input.
            """,
        subcommands: [
            VerifyCommand.self,
            CheckCommand.self,
            ListCommand.self,
            ProveCommand.self,
            ReplayCommand.self,
            SimulateCommand.self,
            BenchCommand.self,
            CLIReferenceCommand.self,
        ]
    )

    /// Parses and runs a command. Bad input (an unknown flag, a malformed value, a failed
    /// validation) prints one clear line and exits 2, the project's code for bad input, instead
    /// of ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileHandle.standardError.write(Data("error: \(message.replacingOccurrences(of: "Error: ", with: "")) (see `icmc help`)\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
