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
            "**2** bad input (an unknown flag or name, a malformed file, a number out of its range),",
            "**3** incomplete (a search stopped at a limit of states, depth, time or memory, or by Ctrl-C, with",
            "no verdict contradicting the expected one; `bench` exits 130 on Ctrl-C). Colours appear only on a",
            "terminal; progress goes to stderr; `--json` output goes to stdout.",
            "",
            "Limits: every searching command (`check`, `verify`, `bench`, `simulate`) takes `--memory-limit SIZE`",
            "(`512MB`, `2GiB`, plain bytes; default 70 % of physical memory) and `--time-limit DURATION` (`30s`,",
            "`5m`, `2h`). At a limit the search stops with `incomplete (memory limit)` / `incomplete (time limit)`,",
            "its statistics and what it found so far; no violation found so far is never reported as holds.",
            "Numeric flags state their range in the error (`--workers` 1…4 × cores).",
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
