import ArgumentParser
import Foundation
import ICSpec
import ModelChecking

/// `icmc check`: checks specs of the library against their expected verdicts.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check specs of the catalogue (BFS, shortest counterexamples; liveness under weak fairness).",
        discussion: """
            Example:
              swift run -c release icmc check B4-retry-without-dedup-buggy
              swift run -c release icmc check bench-pubsub --param subscribers=3 --max-states 100000
              swift run -c release icmc check --all --json
              mpirun -np 8 --hostfile hosts .build/release/icmc check P1-atomic-execution --distributed
              swift run -c release icmc check bench-pubsub --param subscribers=4 --checkpoint ckpt
              swift run -c release icmc check bench-pubsub --param subscribers=4 --recover ckpt
            Violations are saved as ITF traces under traces/<spec>.json; the trace records the spec's \
            name, parameters and environment, so `icmc replay` rebuilds the same configuration. A search \
            cut short by --max-states, --max-depth, --time-limit, --memory-limit or Ctrl-C is reported as \
            incomplete, with the states explored so far, never as holds. \(ExitStatus.help)
            """
    )

    @Argument(help: "Spec names (see `icmc list`).")
    var names: [String] = []

    @Flag(help: "Check every spec of the catalogue.")
    var all = false

    @Flag(help: "Print a JSON list with, per spec: name, expected, verdict, distinct, transitions, seconds, traceLength, trace.")
    var json = false

    @Option(parsing: .unconditional, help: "Worker threads for the search, 1...4×cores (default: all cores).",
            transform: NumericArgument.workers)
    var workers: Int?

    @Option(help: "Directory for counterexample traces (default: traces).")
    var traces: String = "traces"

    @Flag(help: "Stop at the first violated property, with its shortest trace (default: decide every property).")
    var stopOnViolation = false

    @OptionGroup var parameterOptions: ParameterOptions
    @OptionGroup var bounds: BoundOptions
    @OptionGroup var reductions: ReductionOptions
    @OptionGroup var limits: LimitOptions
    @OptionGroup var distribution: DistributedOptions
    @OptionGroup var diskOption: DiskOption
    @OptionGroup var checkpoints: CheckpointOptionGroup

    func run() throws {
        guard all || !names.isEmpty else { throw badInput("name a spec (see `icmc list`) or pass --all") }
        if all, !names.isEmpty { throw badInput("pass either spec names or --all, not both") }
        if !parameterOptions.parameters.isEmpty, names.count != 1 { throw badInput("--param applies to one spec: name exactly one") }
        let catalog = CurrentCatalog.value
        var specs: [Spec] = []
        if all {
            specs = catalog.specs.map(bounds.apply(to:))
        } else {
            do {
                try catalog.requireNames(names)
            } catch {
                throw badInput(error.description)
            }
            for name in names { specs.append(bounds.apply(to: try parameterOptions.spec(named: name, in: catalog))) }
        }
        specs = try specs.map(reductions.apply(to:))
        var storage = diskOption.storage
        checkpoints.apply(to: &storage)
        if storage.checkpoint != nil || storage.recoverDirectory != nil, specs.count != 1 {
            throw badInput("--checkpoint and --recover save or resume one search: name exactly one spec")
        }
        if distribution.distributed, storage.disk != nil { throw badInput(StorageRefusal.distributed) }
        let communicator = try distribution.communicator()
        let reports = DistributedOptions.reports(communicator)
        var runner = SpecRunner(
            workers: workers ?? (communicator == nil ? SpecRunnerDefaults.workers : 1), traceDirectory: reports ? traces : nil)
        runner.communicator = communicator
        runner.stopAtFirstViolation = stopOnViolation
        runner.memoryLimit = limits.effectiveMemoryLimit
        runner.timeLimit = limits.timeLimit
        runner.storage = storage
        if reports { runner.progress = { FileHandle.standardError.write(Data("  \($0.line)\n".utf8)) } }
        if let spec = specs.first, let problem = runner.storageProblem(for: spec) { throw badInput(problem) }
        let cancellation = CancellationFlag()
        runner.cancellation = cancellation
        InterruptHandler.install(cancelling: cancellation)
        defer { InterruptHandler.uninstall() }
        var results: [SpecResult] = []
        for spec in specs {
            if !json, reports { FileHandle.standardError.write(Data("checking \(spec.name)...\n".utf8)) }
            if reports, let problem = spec.partialOrderProblem { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
            results.append(runner.run(spec))
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: results.map(\.json), options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(Self.table(results))
        }
        if let status = Self.exitStatus(results) { throw ExitCode(status) }
    }

    /// 1 when a decided verdict is not the expected one; else 3 when a search was cut short by
    /// a limit (states, depth, time, memory, Ctrl-C); else nil (exit 0).
    static func exitStatus(_ results: [SpecResult]) -> Int32? {
        if results.contains(where: { !$0.asExpected && !$0.isIncomplete }) { return 1 }
        if results.contains(where: \.isIncomplete) { return ExitStatus.incomplete }
        return nil
    }

    static func table(_ results: [SpecResult]) -> String {
        let headers = ["spec", "expected", "verdict", "ok", "states", "transitions", "seconds", "trace"]
        let rows = results.map { result in
            [
                result.name, result.expected.description, result.verdict.description, result.asExpected ? "yes" : result.isIncomplete ? "?" : "NO",
                String(result.distinct), String(result.transitions), String(format: "%.2f", result.seconds),
                result.traceLength.map { "\($0) steps" } ?? "-",
            ]
        }
        let widths = headers.indices.map { column in ([headers] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        var lines = [line(headers)] + rows.map(line)
        for result in results where result.isIncomplete {
            lines.append("")
            lines.append("\(result.name): \(result.verdict): stopped after \(result.distinct) states and \(result.transitions) "
                + "transitions in \(String(format: "%.1f", result.seconds)) s, peak memory \(peakMemoryBytes() >> 20) MiB; "
                + "no violation found so far, which is not evidence that the spec holds")
        }
        for result in results {
            guard let text = result.traceText else { continue }
            lines.append("")
            lines.append("\(result.name): \(text)")
            if let path = result.tracePath { lines.append("  trace saved to \(path)") }
        }
        let matching = results.filter(\.asExpected).count
        let seconds = results.reduce(0) { $0 + $1.seconds }
        lines.append("")
        let incomplete = results.filter(\.isIncomplete).count
        lines.append("\(matching)/\(results.count) specs as expected" + (incomplete > 0 ? ", \(incomplete) incomplete" : "")
            + ", \(results.reduce(0) { $0 + $1.distinct }) states, \(String(format: "%.1f", seconds)) s")
        return lines.joined(separator: "\n")
    }
}

/// Defaults shared by the spec commands.
enum SpecRunnerDefaults {
    static var workers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
