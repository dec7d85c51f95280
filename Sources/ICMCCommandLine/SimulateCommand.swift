import ArgumentParser
import Foundation
import ReferenceExecutor
import ICSpec

/// `icmc simulate SPEC`: random runs of a spec's programs on the reference executor with faults.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a spec on the reference executor with random scheduling and fault injection.",
        discussion: """
            Example: swift run -c release icmc simulate B4-retry-without-dedup-buggy --seed 1 --runs 200 --steps 50 --fault-rate 0.3
            A --fault-rate fraction of calls meets a fault of a random kind (synchronous failure, \
            spontaneous reject with each code, drop, early expiry, trap, stop of the caller). \
            Violations are saved as replayable traces. Exit 0: no violation; 1: violations; 2: bad input.
            """
    )

    @Argument(help: "The spec name (see `icmc list`).")
    var spec: String

    @OptionGroup var parameterOptions: ParameterOptions

    @Option(help: "PRNG seed (an unsigned integer).")
    var seed: UInt64 = 0

    @Option(help: "Number of runs.")
    var runs: Int = 100

    @Option(help: "Maximum steps per run.")
    var steps: Int = 200

    @Option(name: .customLong("fault-rate"), help: "Fraction of calls that meet a fault, in [0, 1].")
    var faultRate: Double = 0

    @Option(help: "Directory for violation traces.")
    var traces: String = "traces"

    @Flag(help: "Print the summary as JSON.")
    var json = false

    /// Malformed numbers are refused by ArgumentParser itself; these are the ranges.
    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be a positive integer, got \(runs)") }
        guard steps >= 1 else { throw ValidationError("--steps must be a positive integer, got \(steps)") }
        guard faultRate >= 0, faultRate <= 1 else { throw ValidationError("--fault-rate must be a number in [0, 1], got \(faultRate)") }
    }

    func run() throws {
        let found = try parameterOptions.spec(named: spec, in: CurrentCatalog.value)
        let simulator = Simulator(model: found.model)
        let start = Date()
        let showProgress = runs * steps >= 20_000
        let report = simulator.simulate(
            seed: seed, runs: runs, steps: steps, faultRate: faultRate,
            tracesDirectory: URL(fileURLWithPath: traces)
        ) { run, partial in
            guard showProgress, (run + 1) % max(1, runs / 20) == 0 else { return }
            let line = String(format: "[simulate %6.1fs] run %d/%d, %d steps, %d violations\n",
                              Date().timeIntervalSince(start), run + 1, runs, partial.steps, partial.violations.count)
            FileHandle.standardError.write(Data(line.utf8))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.rendered)
        }
        if !report.violations.isEmpty { throw ExitCode(1) }
    }
}
