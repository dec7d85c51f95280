import ArgumentParser
import Benchmarks
import Foundation
import ICSpec
import ModelChecking

/// `icmc bench`: runs a benchmark model through the checker and reports the figures other
/// checkers report (distinct states, transitions, time, memory), so runs can be compared.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark model (IC-Ring, TwoPhase, any spec) and report state counts, speed and memory.",
        discussion: """
            Example:
              swift run -c release icmc bench ic-ring --n 3 --k 3 --w 2 --workers 2
              swift run -c release icmc bench two-phase --rm 9 --json
              swift run -c release icmc bench spec bench-pubsub --param subscribers=3 --json
              mpirun -np 16 --hostfile hosts .build/release/icmc bench ic-ring --n 3 --k 3 --w 2 --distributed
            With --distributed (under mpirun; a host file lists the nodes, one `NAME slots=CORES` a \
            line) the search runs on the job's ranks, rank 0 reports, and the figures are those of \
            one process.
            """,
        subcommands: [ICRingBench.self, TwoPhaseBench.self, SpecBench.self]
    )
}

/// Options shared by the benchmark subcommands.
struct BenchRunOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Worker threads for the breadth-first search, 1...4×cores (default: all cores).",
            transform: NumericArgument.workers)
    var workers: Int?

    @Flag(help: "Print one JSON object instead of the human-readable report.")
    var json = false

    @Flag(help: ArgumentHelp(
        "Run every batch on all workers, even when one worker is faster (a busy machine).",
        discussion: "By default a search with several workers times batches on all workers and on one and uses the faster; results never depend on it."))
    var fixedWorkers = false

    @Flag(name: .customLong("warm-up"), help: ArgumentHelp(
        "Run the search once unmeasured, then measure a second run in the same process.",
        discussion: "A process's first search also pays one-time costs: the Swift runtime instantiates generic type "
            + "metadata and looks up protocol conformances (tens of milliseconds), which dominate small specs. The "
            + "figures then show the steady rate; memory is measured from the second run's start (Linux resets the peak)."))
    var warmUp = false

    @OptionGroup var limits: LimitOptions
    @OptionGroup var distribution: DistributedOptions
    @OptionGroup var diskOption: DiskOption
    @OptionGroup var checkpoints: CheckpointOptionGroup

    /// Reports a bad parameter as one line on stderr and exits with status 2.
    static func reject(_ message: String) -> ExitCode { badInput(message) }

    /// Checks `system` exhaustively, prints the report, and exits 1 if an invariant failed, 3 if
    /// the search stopped at the time or memory limit, 130 if interrupted.
    func run<System: TransitionSystem>(_ system: System) throws {
        let result = try search(system)
        let report = BenchmarkReport(result)
        print(json ? try report.jsonLine() : report.humanReadable)
        if !report.violations.isEmpty { throw ExitCode(1) }
        if let status = Self.status(of: result.outcome) { throw ExitCode(status) }
    }

    /// 130 for Ctrl-C, 3 for any other search cut short, nil for a finished one.
    static func status(of outcome: CheckOutcome) -> Int32? {
        switch outcome {
        case .interrupted: 130
        case .memoryLimitReached, .timeLimitReached, .stateLimitReached, .depthLimitReached: ExitStatus.incomplete
        case .complete, .stoppedOnViolation, .simulationFinished: nil
        }
    }

    /// The exit statuses of the bench commands, for their `--help`.
    static let exitHelp = "Exit status: 0 the invariants hold (as the spec expects, for bench spec), 1 a verdict not as expected, "
        + "2 bad input, 3 incomplete (time or memory limit reached), 130 interrupted."

    /// Breadth-first search of `system` on the chosen workers, with progress on stderr and
    /// Ctrl-C stopping it (the result is then `.interrupted`).
    func search<System: TransitionSystem>(
        _ system: System, maxDepth: Int? = nil, maxStates: Int? = nil, beforeMeasuring: () -> Void = {}
    ) throws -> CheckResult<System> {
        if warmUp {
            if distribution.distributed || checkpoints.checkpoint != nil || checkpoints.recover != nil {
                throw badInput("--warm-up runs the search twice in one process: not with --distributed, --checkpoint or --recover")
            }
            let warmUpResult = try searchOnce(system, maxDepth: maxDepth, maxStates: maxStates)
            if warmUpResult.outcome == .interrupted { return warmUpResult }
            resetPeakMemory()
        }
        beforeMeasuring()
        return try searchOnce(system, maxDepth: maxDepth, maxStates: maxStates)
    }

    private func searchOnce<System: TransitionSystem>(_ system: System, maxDepth: Int?, maxStates: Int?) throws -> CheckResult<System> {
        var storage = diskOption.storage
        checkpoints.apply(to: &storage)
        if distribution.distributed, storage.disk != nil { throw badInput(StorageRefusal.distributed) }
        let communicator = try distribution.communicator()
        var options = CheckerOptions(
            workers: workers ?? CheckerOptions.defaultWorkers,
            stopOnViolation: true,
            progressInterval: .seconds(5),
            memoryLimit: limits.effectiveMemoryLimit,
            timeLimit: limits.timeLimit
        )
        options.maxDepth = maxDepth
        options.maxStates = maxStates
        if let communicator {
            options.workers = workers ?? 1
            options.communicator = communicator
        }
        let cancellation = CancellationFlag()
        // The engine reads the memory every few thousand states; the watchdog every 20 ms.
        let watchdog = MemoryWatchdog(limit: options.memoryLimit, forward: cancellation)
        defer { watchdog.stop() }
        var checkerOptions = options
        checkerOptions.cancellation = watchdog.flag
        checkerOptions.workerPolicy = fixedWorkers ? .fixed : .adaptive
        checkerOptions.storage = storage
        let checker = Checker(system, options: checkerOptions)
        try checker.requireStorageSupport()
        InterruptHandler.install(cancelling: cancellation)
        let progress = DistributedOptions.reports(communicator) ? ProgressReport.printToStandardError : nil
        let result = checker.run(progress: progress)
        InterruptHandler.uninstall()
        // Under --distributed every rank reports the same outcome, whichever rank's watchdog tripped.
        let tripped = communicator.map { $0.reduce([watchdog.tripped ? 1 : 0], .maximum)[0] == 1 } ?? watchdog.tripped
        guard result.outcome == .interrupted, tripped else { return result }
        // Stopped by the watchdog: report the memory limit, not an interruption.
        let verdicts = result.verdicts.map { verdict in
            guard case .incomplete(.interrupted) = verdict.status else { return verdict }
            return PropertyVerdict<System>(name: verdict.name, expectation: verdict.expectation, status: .incomplete(.memoryLimit))
        }
        return CheckResult(modelName: result.modelName, outcome: .memoryLimitReached, statistics: result.statistics,
                           verdicts: verdicts, warnings: result.warnings)
    }
}

/// `icmc bench ic-ring --n N --k K --w W`.
struct ICRingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ic-ring",
        abstract: "IC-Ring(N, K, W): N canisters in a ring, K calls each, window W (shared/bench/ic-ring.md).",
        discussion: """
            Example:
              swift run -c release icmc bench ic-ring --n 2 --k 4 --w 2 --json
            \(BenchRunOptions.exitHelp)
            """
    )

    @Option(parsing: .unconditional, help: "Canisters (1...\(ICRing.maxCanisters)).",
            transform: { try NumericArgument.integer($0, in: 1...ICRing.maxCanisters) })
    var n: Int

    @Option(parsing: .unconditional, help: "Calls per canister (1...\(ICRing.maxCalls)).",
            transform: { try NumericArgument.integer($0, in: 1...ICRing.maxCalls) })
    var k: Int

    @Option(parsing: .unconditional, help: "Backpressure window: open calls per canister (at least 1).",
            transform: { try NumericArgument.integer($0, in: 1...Int.max) })
    var w: Int

    @Option(parsing: .unconditional, help: .hidden, transform: { try NumericArgument.integer($0, in: 0...Int.max) })
    var rejectRefund = 2

    @OptionGroup var options: BenchRunOptions

    func validate() throws {
        do {
            _ = try ICRing(n: n, k: k, w: w, rejectRefund: rejectRefund)
        } catch let error as BenchmarkParameterError {
            throw BenchRunOptions.reject(error.message)
        }
    }

    func run() throws {
        try options.run(try ICRing(n: n, k: k, w: w, rejectRefund: rejectRefund))
    }
}

/// `icmc bench two-phase --rm n`.
struct TwoPhaseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "two-phase",
        abstract: "Two-phase commit with n resource managers (shared/bench/TwoPhase.tla).",
        discussion: """
            Example:
              swift run -c release icmc bench two-phase --rm 7 --workers 1
            \(BenchRunOptions.exitHelp)
            """
    )

    @Option(name: .customLong("rm"), parsing: .unconditional, help: "Resource managers (1...\(TwoPhase.maxResourceManagers)).",
            transform: { try NumericArgument.integer($0, in: 1...TwoPhase.maxResourceManagers) })
    var resourceManagers: Int

    @Flag(help: .hidden)
    var abortAfterPrepare = false

    @OptionGroup var options: BenchRunOptions

    func validate() throws {
        do {
            _ = try TwoPhase(resourceManagers: resourceManagers, abortAfterPrepare: abortAfterPrepare)
        } catch let error as BenchmarkParameterError {
            throw BenchRunOptions.reject(error.message)
        }
    }

    func run() throws {
        try options.run(try TwoPhase(resourceManagers: resourceManagers, abortAfterPrepare: abortAfterPrepare))
    }
}
