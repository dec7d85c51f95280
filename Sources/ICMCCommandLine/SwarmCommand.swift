import ArgumentParser
import Foundation
import ICSpec
import ModelChecking

/// `icmc swarm SPEC`: many independent random searches of the model, for spaces too large to
/// exhaust (`Swarm`).
struct SwarmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swarm",
        abstract: "Search a spec's model with a swarm of independent random searches (for spaces too large to exhaust).",
        discussion: """
            Example: swift run -c release icmc swarm B4-retry-without-dedup-buggy --members 32 --seed 1
            Member i walks the model (not the executor) from its own seed, with the full --depth, a half or a \
            quarter of it in turn. The violation reported is the one of the lowest-numbered member that found \
            one, whatever the number of workers, with the member's seed; its trace is saved like a check's and \
            replays with `icmc replay`. Finding nothing proves nothing: use `icmc check` for a proof. Exit 0: \
            no violation found; 1: a violation; 2: bad input; 3: incomplete (--time-limit or --memory-limit \
            reached before every member finished, no violation).
            """
    )

    @Argument(help: "The spec name (see `icmc list`).")
    var spec: String

    @OptionGroup var parameterOptions: ParameterOptions

    @Option(parsing: .unconditional, help: "Independent searches, 1...\(Self.maxCount) (default: 64).",
            transform: { try NumericArgument.integer($0, in: 1...SwarmCommand.maxCount) })
    var members = 64

    @Option(parsing: .unconditional, help: "Random walks per member, 1...\(Self.maxCount) (default: 50).",
            transform: { try NumericArgument.integer($0, in: 1...SwarmCommand.maxCount) })
    var walks = 50

    @Option(parsing: .unconditional, help: "The longest walk in steps, 1...\(Self.maxCount) (default: 100).",
            transform: { try NumericArgument.integer($0, in: 1...SwarmCommand.maxCount) })
    var depth = 100

    @Option(parsing: .unconditional, help: "Seed of the swarm, 0...\(UInt64.max) (default: 0).", transform: NumericArgument.unsigned)
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Threads running members, 1...4×cores (default: all cores).",
            transform: NumericArgument.workers)
    var workers: Int?

    @Option(help: "Directory for the violation's trace (default: traces).")
    var traces: String = "traces"

    @OptionGroup var limits: LimitOptions

    @Flag(help: "Print the summary as JSON.")
    var json = false

    static let maxCount = 1_000_000_000

    func run() throws {
        let found = try parameterOptions.spec(named: spec, in: CurrentCatalog.value)
        let system = SpecSystem(spec: found)
        let cancellation = CancellationFlag()
        let watchdog = MemoryWatchdog(limit: limits.effectiveMemoryLimit, forward: cancellation)
        defer { watchdog.stop() }
        InterruptHandler.install(cancelling: cancellation)
        defer { InterruptHandler.uninstall() }
        let configuration = SwarmConfiguration(
            members: members, walksPerMember: walks, depth: depth, seed: seed,
            workers: workers ?? CheckerOptions.defaultWorkers, cancellation: watchdog.flag,
            memoryLimit: limits.effectiveMemoryLimit, timeLimit: limits.timeLimit)
        let members = self.members
        let result = Swarm(system, configuration: configuration).run { finished in
            if finished % max(1, members / 10) == 0 {
                FileHandle.standardError.write(Data("swarm: \(finished) of \(members) members finished\n".utf8))
            }
        }
        var summary: [String: Any] = [
            "spec": found.name, "seed": seed, "members": members, "finishedMembers": result.finishedMembers,
            "transitions": result.transitions, "visitedStates": result.visitedStates, "seconds": result.seconds,
        ]
        var lines = [
            "swarm of \(members) members (seed \(seed)) on \(configuration.workers) workers: \(result.finishedMembers) finished, "
                + "\(CountFormat.grouped(result.transitions)) transitions, \(CountFormat.grouped(result.visitedStates)) states visited, "
                + String(format: "%.2f s", result.seconds),
        ]
        if let finding = result.finding, let verdict = finding.result.verdicts.first(where: \.isFailure),
           let trace = verdict.status.trace {
            let counterexample = SpecRunner.Counterexample(property: verdict.name, trace: trace)
            let path = try SpecRunner.saveTrace(counterexample, of: found, in: traces)
            summary["violation"] = [
                "property": verdict.name, "member": finding.member.index, "memberSeed": finding.member.seed,
                "walks": finding.member.walks, "depth": finding.member.depth, "traceLength": trace.length, "trace": path,
            ] as [String: Any]
            lines.append("\(verdict.name) violated, found by \(finding.member): \(trace.length) steps, trace \(path)")
        } else {
            lines.append(result.finishedMembers == members
                ? "no violation found (a swarm proves nothing: `icmc check` does)"
                : "no violation found before the search stopped (\(result.finishedMembers) of \(members) members finished)")
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(lines.joined(separator: "\n"))
        }
        if result.finding != nil { throw ExitCode(ExitStatus.unexpected) }
        if result.finishedMembers < members { throw ExitCode(ExitStatus.incomplete) }
    }
}
