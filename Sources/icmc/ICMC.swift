import ArgumentParser

/// The icmc command-line tool: model checking, proofs and replay for IC inter-canister messaging.
@main
struct ICMC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icmc",
        abstract: "A model checker and specification library for Internet Computer inter-canister messaging.",
        subcommands: [
            VerifyCommand.self,
            CheckCommand.self,
            ListCommand.self,
            BenchCommand.self,
            ProveCommand.self,
            ReplayCommand.self,
            CLIReferenceCommand.self,
            SimulateCommand.self,
        ]
    )
}
