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
            Each fault the spec allows (synchronous failure, spontaneous reject, drop, early expiry, trap, \
            stop of the caller) hits each call with probability --fault-rate; --faults replaces the \
            spec's set. The report lists the faults that fired. Runs record no states: a violation's trace \
            is rebuilt by re-running its seed and saved (up to --max-trace steps). Exit 0: no violation; \
            1: violations; 2: bad input; 3: incomplete (--time-limit or --memory-limit reached, no violation).
            """
    )

    @Argument(help: "The spec name (see `icmc list`).")
    var spec: String

    @OptionGroup var parameterOptions: ParameterOptions

    // Numbers are parsed by their transforms (`parsing: .unconditional`, so that `-1` is read as
    // a value) and range-checked in `validate()`.
    @Option(parsing: .unconditional, help: "PRNG seed, 0...\(UInt64.max) (default: 0).", transform: NumericArgument.unsigned)
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Number of runs, \(NumericArgument.describe(Self.runsRange)) (default: 100).",
            transform: { try NumericArgument.integer($0) })
    var runs: Int = 100

    @Option(parsing: .unconditional, help: "Maximum steps per run, \(NumericArgument.describe(Self.stepsRange)) (default: 200); a run also ends when no step is enabled or only ticks are left.",
            transform: { try NumericArgument.integer($0) })
    var steps: Int = 200

    @Option(name: .customLong("fault-rate"), parsing: .unconditional,
            help: "Probability, in \(NumericArgument.describe(Self.faultRateRange)), that each fault the spec allows hits each call (default: 0).",
            transform: { try NumericArgument.number($0) })
    var faultRate: Double = 0

    @Option(help: "Faults to inject instead of the spec's own: benign, lossy or adversarial (every fault, and stops of any caller).")
    var faults: FaultPreset?

    @Option(name: .customLong("keep-last"), parsing: .unconditional,
            help: "Actions kept per run and shown with a violation whose trace is not saved, \(NumericArgument.describe(Self.keepLastRange)) (default: 20).",
            transform: { try NumericArgument.integer($0) })
    var keepLast: Int = 20

    @Option(name: .customLong("max-trace"), parsing: .unconditional,
            help: "Longest violation trace rebuilt (by re-running its seed) and saved, \(NumericArgument.describe(Self.maxTraceRange)) steps (default: 10000).",
            transform: { try NumericArgument.integer($0) })
    var maxTrace: Int = 10_000

    @Option(help: "Directory for violation traces.")
    var traces: String = "traces"

    @OptionGroup var limits: LimitOptions

    @Flag(help: "Print the summary as JSON.")
    var json = false

    /// The largest --runs and --steps (a billion: with --time-limit, more is never needed).
    static let maxCount = 1_000_000_000
    static let runsRange = 1...maxCount
    static let stepsRange = 1...maxCount
    static let faultRateRange: ClosedRange<Double> = 0...1
    static let keepLastRange = 0...100_000
    static let maxTraceRange = 1...1_000_000

    /// Range checks of the parsed numbers: one line naming the flag and its range, exit 2.
    func validate() throws {
        try NumericArgument.require(runs, in: Self.runsRange, flag: "runs")
        try NumericArgument.require(steps, in: Self.stepsRange, flag: "steps")
        try NumericArgument.require(faultRate, in: Self.faultRateRange, flag: "fault-rate")
        try NumericArgument.require(keepLast, in: Self.keepLastRange, flag: "keep-last")
        try NumericArgument.require(maxTrace, in: Self.maxTraceRange, flag: "max-trace")
    }

    func run() throws {
        let found = try parameterOptions.spec(named: spec, in: CurrentCatalog.value)
        let simulator = Simulator(model: found.model, faults: faults?.switches)
        let progress = WalkProgress(phase: "simulate", runs: runs, steps: steps, minimumSteps: 20_000)
        let bounds = SimulationBounds(keepLast: keepLast, maxTraceSteps: maxTrace, timeLimit: limits.timeLimit,
                                      memoryLimit: limits.effectiveMemoryLimit)
        let report = simulator.simulate(
            seed: seed, runs: runs, steps: steps, faultRate: faultRate,
            tracesDirectory: URL(fileURLWithPath: traces), bounds: bounds
        ) { run, partial in
            progress.report(run: run, steps: partial.steps, findings: "\(partial.violations.count) violations")
        }
        print(json ? try Terminal.json(report) : report.rendered)
        if !report.violations.isEmpty { throw ExitCode(ExitStatus.unexpected) }
        if report.stoppedBy != nil { throw ExitCode(ExitStatus.incomplete) }
    }
}
