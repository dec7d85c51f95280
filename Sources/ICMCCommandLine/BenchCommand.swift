import ArgumentParser
import Benchmarks
import Foundation
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
            """,
        subcommands: [ICRingBench.self, TwoPhaseBench.self, SpecBench.self]
    )
}

/// Options shared by the benchmark subcommands.
struct BenchRunOptions: ParsableArguments {
    @Option(help: "Worker threads for the breadth-first search (default: all cores).")
    var workers: Int?

    @Flag(help: "Print one JSON object instead of the human-readable report.")
    var json = false

    /// Reports a bad parameter as one line on stderr and exits with status 2.
    static func reject(_ message: String) -> ExitCode { badInput(message) }

    func validateWorkers() throws {
        if let workers, workers < 1 {
            throw Self.reject("--workers must be at least 1, got \(workers)")
        }
    }

    /// Checks `system` exhaustively, prints the report, and exits 1 if an invariant failed.
    func run<System: TransitionSystem>(_ system: System) throws {
        let result = search(system)
        let report = BenchmarkReport(result)
        print(json ? try report.jsonLine() : report.humanReadable)
        if !report.violations.isEmpty { throw ExitCode(1) }
        if result.outcome == .interrupted { throw ExitCode(130) }
    }

    /// Breadth-first search of `system` on the chosen workers, with progress on stderr and
    /// Ctrl-C stopping it (the result is then `.interrupted`).
    func search<System: TransitionSystem>(_ system: System) -> CheckResult<System> {
        let options = CheckerOptions(
            workers: workers ?? CheckerOptions.defaultWorkers,
            stopOnViolation: true,
            progressInterval: .seconds(5)
        )
        let cancellation = CancellationFlag()
        var checkerOptions = options
        checkerOptions.cancellation = cancellation
        InterruptHandler.install(cancelling: cancellation)
        let result = Checker(system, options: checkerOptions).run(progress: ProgressReport.printToStandardError)
        InterruptHandler.uninstall()
        return result
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
            Exit status: 0 all invariants hold, 1 an invariant is violated, 2 bad input.
            """
    )

    @Option(help: "Canisters (1...\(ICRing.maxCanisters)).")
    var n: Int

    @Option(help: "Calls per canister (1...\(ICRing.maxCalls)).")
    var k: Int

    @Option(help: "Backpressure window: open calls per canister (at least 1).")
    var w: Int

    @Option(help: .hidden)
    var rejectRefund = 2

    @OptionGroup var options: BenchRunOptions

    func validate() throws {
        do {
            _ = try ICRing(n: n, k: k, w: w, rejectRefund: rejectRefund)
        } catch let error as BenchmarkParameterError {
            throw BenchRunOptions.reject(error.message)
        }
        try options.validateWorkers()
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
            Exit status: 0 the invariant holds, 1 it is violated, 2 bad input.
            """
    )

    @Option(name: .customLong("rm"), help: "Resource managers (1...\(TwoPhase.maxResourceManagers)).")
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
        try options.validateWorkers()
    }

    func run() throws {
        try options.run(try TwoPhase(resourceManagers: resourceManagers, abortAfterPrepare: abortAfterPrepare))
    }
}
