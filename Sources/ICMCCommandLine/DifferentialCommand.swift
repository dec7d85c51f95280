import ArgumentParser
import Foundation
import ICSpec

/// `icmc differential`: the model and the reference executor, compared step by step on random
/// walks that use every action kind.
struct DifferentialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "differential",
        abstract: "Random walks over the model, each step replayed on the reference executor and compared state by state.",
        discussion: """
            Example: swift run -c release icmc differential --seed 1 --runs 2000 --steps 50 --json
            Every action kind is enabled: each spec's environment is widened to every fault \
            (FaultSwitches.adversarial), every controller action (stop, start, upgrade, uninstall, install, reinstall) on \
            every canister (at most 3 per run), a clock of at least 2 s and at least 2 system tasks \
            (heartbeats, timer firings) per canister. Run r walks the spec --spec, \
            or else the catalogue's specs in turn (spec r mod count). A walk picks each step uniformly \
            among the model's enabled steps, has the executor perform it, and compares the two \
            observable states; it stops at the first divergence, whose trace is saved for `icmc replay`. \
            JSON keys: runs, steps (performed in total), divergences (run, spec, step, action, field: \
            the first differing state field, or "enabled" when the executor refused the step, \
            message, trace), actionsCovered (every action kind with its count). \
            Exit 0: no divergence; 1: divergences; 2: bad input; 3: incomplete (--time-limit reached, no divergence).
            """
    )

    @Option(parsing: .unconditional, help: "PRNG seed, 0...\(UInt64.max) (default: 0).", transform: NumericArgument.unsigned)
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Number of walks, 1...\(SimulateCommand.maxCount) (default: 100).",
            transform: { try NumericArgument.integer($0, in: 1...SimulateCommand.maxCount) })
    var runs: Int = 100

    @Option(parsing: .unconditional, help: "Maximum steps per walk, 1...\(SimulateCommand.maxCount) (default: 50); a walk also ends where no step is enabled.",
            transform: { try NumericArgument.integer($0, in: 1...SimulateCommand.maxCount) })
    var steps: Int = 50

    @Option(help: "Walk only this spec (default: every spec of the catalogue in turn).")
    var spec: String?

    @Option(help: "Directory for the traces of divergences.")
    var traces: String = "traces"

    @Option(
        name: .customLong("time-limit"), parsing: .unconditional,
        help: ArgumentHelp("Stop starting walks after DURATION (30s, 5m, 2h; a plain number is seconds); the result is then incomplete.",
                           valueName: "duration"),
        transform: LimitParsing.duration)
    var timeLimit: Duration?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let catalog = CurrentCatalog.value
        let specs: [Spec]
        if let spec {
            do {
                specs = [try catalog.requireEntry(named: spec).defaultSpec]
            } catch {
                throw badInput(error.description)
            }
        } else {
            specs = catalog.specs
        }
        guard !specs.isEmpty else { throw badInput("the catalogue has no specs") }
        let tester = DifferentialTester(models: specs.map(\.model))
        let deadline = timeLimit.map { Date().addingTimeInterval($0.seconds) }
        let progress = WalkProgress(phase: "differential", runs: runs, steps: steps, minimumSteps: 50_000)
        let report = tester.run(
            seed: seed, runs: runs, steps: steps, tracesDirectory: URL(fileURLWithPath: traces), deadline: deadline
        ) { run, partial in
            progress.report(run: run, steps: partial.steps, findings: "\(partial.divergences.count) divergences")
        }
        print(json ? try Terminal.json(report) : report.rendered)
        if !report.divergences.isEmpty { throw ExitCode(ExitStatus.unexpected) }
        if report.stoppedByTimeLimit { throw ExitCode(ExitStatus.incomplete) }
    }
}
