import ArgumentParser
import Foundation
import ICSpec

/// The icmc tool as a library: a package that depends on icmc writes its own executable whose
/// whole `main.swift` is `ICMC.main(catalog: .builtIn + MyProtocol.catalog)`, and gets every
/// command (list, check, verify, replay, simulate, prove, bench) on its own specs.
public enum ICMC {
    /// Parses the process's arguments and runs the command on `catalog`; exits the process.
    /// Bad input (an unknown flag, spec or parameter, a malformed value) prints one line on
    /// stderr and exits 2; a verdict not as expected exits 1; a search cut short by a limit
    /// exits 3.
    public static func main(catalog: SpecCatalog) -> Never {
        let duplicates = catalog.duplicateNames
        guard duplicates.isEmpty else {
            Terminal.writeError("error: the spec catalogue names more than one spec \(duplicates.joined(separator: ", "))\n")
            exit(2)
        }
        CurrentCatalog.set(catalog)
        ICMCCommand.main()
        exit(0)
    }
}

/// The catalogue the commands of this process work on (set once by `ICMC.main(catalog:)`
/// before parsing; ArgumentParser instantiates the commands itself, so it cannot be passed).
enum CurrentCatalog {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var stored = SpecCatalog([])

    static func set(_ catalog: SpecCatalog) {
        lock.lock()
        defer { lock.unlock() }
        stored = catalog
    }

    static var value: SpecCatalog {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// The root command: model checking, proofs and replay for IC inter-canister messaging.
struct ICMCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icmc",
        abstract: "A model checker and specification library for Internet Computer inter-canister messaging.",
        discussion: """
            Start with `swift run -c release icmc verify`: every spec checked, every proof run, every
            counterexample replayed, and the guarantees matrix. Exit codes: 0 as expected, 1 a verdict
            not as expected, 2 bad input, 3 incomplete (a limit of states, depth, time or memory
            reached: every search command takes --memory-limit, default 70 % of physical memory,
            and --time-limit).
            """,
        subcommands: [
            VerifyCommand.self,
            CheckCommand.self,
            ListCommand.self,
            ProveCommand.self,
            ReplayCommand.self,
            SimulateCommand.self,
            SwarmCommand.self,
            DifferentialCommand.self,
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
