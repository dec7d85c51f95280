import ArgumentParser
import Foundation

/// docs/cli.md, generated from the commands' own `--help`, so the reference cannot drift from
/// the tool: a test compares the committed file with a fresh rendering.
enum CLIReference {
    static func render() -> String {
        var out = [
            "# icmc command-line reference",
            "",
            "_Generated from `--help` by `swift run icmc cli-reference --write docs/cli.md`; a test fails when it is stale._",
            "",
            "Exit codes, for every command: **0** success (every verdict as expected), **1** a verdict not as",
            "expected (a property violated that should hold, a proof not proved, a replay that diverged),",
            "**2** bad input (an unknown flag or name, a malformed file). Colours appear only on a terminal;",
            "progress goes to stderr; `--json` output goes to stdout.",
            "",
        ]
        out.append("## icmc")
        out.append("")
        out.append("```")
        out.append(ICMCCommand.helpMessage(columns: 100).trimmingCharacters(in: .whitespacesAndNewlines))
        out.append("```")
        out.append("")
        for command in ICMCCommand.configuration.subcommands where command.configuration.shouldDisplay {
            let name = command.configuration.commandName ?? String(describing: command)
            out.append("## icmc \(name)")
            out.append("")
            out.append("```")
            out.append(ICMCCommand.helpMessage(for: command, columns: 100).trimmingCharacters(in: .whitespacesAndNewlines))
            out.append("```")
            out.append("")
            for sub in command.configuration.subcommands where sub.configuration.shouldDisplay {
                let subName = sub.configuration.commandName ?? String(describing: sub)
                out.append("### icmc \(name) \(subName)")
                out.append("")
                out.append("```")
                out.append(ICMCCommand.helpMessage(for: sub, columns: 100).trimmingCharacters(in: .whitespacesAndNewlines))
                out.append("```")
                out.append("")
            }
        }
        return out.joined(separator: "\n")
    }
}

/// `icmc cli-reference`: prints (or writes) the CLI reference. Hidden: a maintenance command.
struct CLIReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cli-reference",
        abstract: "Print the command-line reference (docs/cli.md) generated from --help.",
        shouldDisplay: false
    )

    @Option(help: "Write to this file instead of stdout.")
    var write: String?

    func run() throws {
        let text = CLIReference.render()
        if let write {
            try text.write(toFile: write, atomically: true, encoding: .utf8)
        } else {
            print(text)
        }
    }
}
