import ArgumentParser
import Foundation
import ReferenceExecutor
import ICSpec

/// `icmc replay TRACE.json`: replays a trace on the independent reference executor.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a counterexample trace on the reference executor and compare every state.",
        discussion: """
            Example:
              swift run -c release icmc check B2-lock-after-trap-buggy
              swift run -c release icmc replay traces/B2-lock-after-trap-buggy.json
            The trace's #meta names the spec and its parameter values; the spec is rebuilt from the \
            catalogue with them. Exit 0: reproduced; 1: the executor diverged from the trace; 2: invalid input \
            (not JSON: line and column; a field missing or of the wrong type: its JSON path).
            """
    )

    @Argument(help: "The trace file (ITF JSON, see docs/trace-format.md).")
    var trace: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: trace) else {
            FileHandle.standardError.write(Data("error: cannot read trace file \(trace)\n".utf8))
            throw ExitCode(2)
        }
        let catalog = CurrentCatalog.value
        let report = Replayer.replay(data: data) { name, parameters in
            try catalog.requireEntry(named: name).spec(with: parameters).model
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else if report.outcome == .invalid {
            FileHandle.standardError.write(Data("error: \(report.message)\n".utf8))
        } else {
            print(report.rendered)
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
