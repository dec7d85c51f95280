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

    /// The largest trace file read (a counterexample of a million steps is far smaller): a
    /// larger file is refused before it is read, so that a wrong path cannot exhaust memory.
    static let maxTraceBytes = 512 << 20

    func run() throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: trace)[.size] as? Int) ?? nil
        if let size, size > Self.maxTraceBytes {
            throw badInput("trace file \(trace) has \(size >> 20) MiB; traces larger than \(Self.maxTraceBytes >> 20) MiB are refused")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: trace, isDirectory: &isDirectory), isDirectory.boolValue {
            throw badInput("\(trace) is a directory, not a trace file")
        }
        guard let data = FileManager.default.contents(atPath: trace) else {
            throw badInput("cannot read trace file \(trace) (no such file, or not readable)")
        }
        let catalog = CurrentCatalog.value
        let report = Replayer.replay(data: data) { name, parameters in
            try catalog.requireEntry(named: name).spec(with: parameters).model
        }
        if json {
            print(try Terminal.json(report))
        } else if report.outcome == .invalid {
            FileHandle.standardError.write(Data("error: \(report.message)\n".utf8))
        } else {
            print(report.rendered)
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
