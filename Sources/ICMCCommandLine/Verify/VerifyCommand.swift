import ArgumentParser
import Foundation
import ModelChecking
import ICSpec

/// `icmc verify`: the main job. Checks every spec, runs every Z3 proof, replays every
/// counterexample in the reference executor, and prints the guarantees matrix.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the whole spec catalogue: explicit checks, Z3 proofs, replays; print the guarantees matrix.",
        discussion: """
            Example:
              swift run -c release icmc verify
              swift run -c release icmc verify --write-docs      # also regenerate docs/guarantees.md and docs/performance.md
              swift run -c release icmc verify --json > verdicts.json

            Benchmark specs (category Benchmarks) are checked only when named with --only.
            Specs are checked several at once (one search per worker thread; results do not
            depend on it), and specs that share a workload (e.g. the P specs on the mixed
            workload) by one search over all their properties; a spec whose property fails there
            is checked again alone, so verdicts and shortest traces are those of the spec alone.
            A spec checked jointly reports the joint search's states (`jointlyWith` in --json).
            Exit status: 0 when every verdict is as the library expects (every proof proved, every
            counterexample reproduced by the executor), 1 a verdict not as expected, 2 bad input,
            3 incomplete (a check stopped at a limit of states, depth, time or memory, or interrupted).
            """
    )

    @Flag(help: "Print the results as JSON (the matrix, per-spec results, proofs) instead of the table.")
    var json = false

    @Flag(help: "Write the guarantees document (default path docs/guarantees.md) and, next to it, the timings (performance.md).")
    var writeDocs = false

    @Option(help: "Where --write-docs writes the document.")
    var docsPath = "docs/guarantees.md"

    @Option(help: "Directory for counterexample traces.")
    var traces = "traces"

    @Option(parsing: .unconditional, help: "Worker threads for the explicit checks, 1...4×cores (default: all cores).",
            transform: NumericArgument.workers)
    var workers: Int = CheckerOptions.defaultWorkers

    @Option(parsing: .unconditional, help: "Per-query Z3 timeout in seconds, 0.001...86400 (default: 60).",
            transform: { try NumericArgument.number($0, in: 0.001...86400) })
    var proofTimeout: Double = 60

    @OptionGroup var limits: LimitOptions

    @Option(help: "Verify only these specs (comma-separated names); proofs still run.")
    var only: String?

    @Flag(help: "No progress display on stderr.")
    var quiet = false

    func validate() throws {
        if let only {
            let catalog = CurrentCatalog.value
            do {
                try catalog.requireNames(only.split(separator: ",").map(String.init))
            } catch {
                throw badInput(error.description)
            }
        }
    }

    func run() throws {
        let cancellation = CancellationFlag()
        InterruptHandler.install(cancelling: cancellation)
        defer { InterruptHandler.uninstall() }
        let catalog = CurrentCatalog.value
        var specs = catalog.specs.filter { $0.category != .benchmark }
        if let only {
            let names = Set(only.split(separator: ",").map(String.init))
            specs = catalog.specs.filter { names.contains($0.name) }
        }
        var verification = Verification(
            specs: specs, workers: workers, traceDirectory: traces, proofTimeout: proofTimeout, quiet: quiet || json)
        verification.cancellation = cancellation
        verification.memoryLimit = limits.effectiveMemoryLimit
        verification.timeLimit = limits.timeLimit
        let report = verification.run()
        let matrix = GuaranteesMatrix(report: report)

        if json {
            print(try Self.json(report: report, matrix: matrix))
        } else {
            print(matrix.renderTable())
            print(summary(report))
        }
        if writeDocs {
            // In icmc's own repository the document records the fingerprint of its sources (a test
            // keeps it current); elsewhere (a user's package) there is nothing to fingerprint.
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let fingerprint = InputsFingerprint.compute(root: root)
            let directory = (docsPath as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            let document = GuaranteesDocument(report: report, matrix: matrix, inputsFingerprint: fingerprint).render()
            try document.write(toFile: docsPath, atomically: true, encoding: .utf8)
            let performancePath = PerformanceDocument.path(besides: docsPath)
            try PerformanceDocument(report: report, workers: workers).render().write(toFile: performancePath, atomically: true, encoding: .utf8)
            if !json { print("wrote \(docsPath) and \(performancePath)") }
        }
        if report.exitStatus != ExitStatus.success { throw ExitCode(report.exitStatus) }
    }

    private func summary(_ report: VerificationReport) -> String {
        let unexpected = report.specs.filter { !$0.asExpected }
        let proved = report.proofs.filter { $0.outcome == .proved }.count
        let replays = report.specs.compactMap(\.replay)
        let reproduced = replays.filter { $0.outcome == .reproduced }.count
        var lines = [""]
        lines.append(String(format: "%d specs checked, %d as expected; %d/%d proof obligations proved; %d/%d counterexamples replayed; %.1f s",
                            report.specs.count, report.specs.count - unexpected.count, proved, report.proofs.count,
                            reproduced, replays.count, report.seconds))
        let slowest = PerformanceDocument.slowest(report, count: 5)
        if !slowest.isEmpty {
            lines.append("slowest: " + slowest.map { "\($0.spec.name) " + String(format: "%.1f s", $0.result.seconds) }.joined(separator: ", "))
        }
        for outcome in unexpected {
            lines.append(Terminal.paint("NOT AS EXPECTED: \(outcome.spec.name): expected \(outcome.spec.expectation), found \(outcome.result.verdict)"
                + (outcome.replay.map { $0.outcome == .reproduced ? "" : "; replay \($0.outcome.rawValue): \($0.message)" } ?? ""), .red))
        }
        if let error = report.proofError { lines.append(Terminal.paint("proofs failed to run: \(error)", .red)) }
        for row in report.proofs where row.outcome != .proved {
            lines.append(Terminal.paint("PROOF \(row.outcome.name): \(row.property) under \(row.rule)", .red))
        }
        if report.interrupted { lines.append("interrupted: the results above are partial") }
        lines.append(report.allAsExpected ? Terminal.paint("every verdict is as the library expects", .green)
                                          : Terminal.paint("some verdicts are not as expected", .red))
        return lines.joined(separator: "\n")
    }

    static func json(report: VerificationReport, matrix: GuaranteesMatrix) throws -> String {
        struct SpecJSON: Encodable {
            let name: String, expected: String, verdict: String, distinct: Int, transitions: Int, seconds: Double
            let traceLength: Int?, trace: String?, replay: String?, asExpected: Bool
            /// The other specs checked by the same search (empty: checked alone).
            let jointlyWith: [String]

            // Absent values are written as null, as `icmc check --json` does, not left out.
            enum CodingKeys: String, CodingKey {
                case name, expected, verdict, distinct, transitions, seconds, traceLength, trace, replay, asExpected, jointlyWith
            }

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(name, forKey: .name)
                try container.encode(expected, forKey: .expected)
                try container.encode(verdict, forKey: .verdict)
                try container.encode(distinct, forKey: .distinct)
                try container.encode(transitions, forKey: .transitions)
                try container.encode(seconds, forKey: .seconds)
                try container.encode(traceLength, forKey: .traceLength)
                try container.encode(trace, forKey: .trace)
                try container.encode(replay, forKey: .replay)
                try container.encode(asExpected, forKey: .asExpected)
                try container.encode(jointlyWith, forKey: .jointlyWith)
            }
        }
        struct ProofJSON: Encodable { let property: String, rule: String, result: String, seconds: Double }
        struct Document: Encodable {
            let asExpected: Bool, seconds: Double, matrix: [GuaranteesMatrix.Row], specs: [SpecJSON], proofs: [ProofJSON]
        }
        let document = Document(
            asExpected: report.allAsExpected, seconds: report.seconds, matrix: matrix.rows,
            specs: report.specs.map {
                SpecJSON(name: $0.spec.name, expected: $0.spec.expectation.description, verdict: $0.result.verdict.description,
                         distinct: $0.result.distinct, transitions: $0.result.transitions, seconds: $0.result.seconds,
                         traceLength: $0.result.traceLength, trace: $0.result.tracePath, replay: $0.replay?.outcome.rawValue,
                         asExpected: $0.asExpected, jointlyWith: $0.result.jointlyWith)
            },
            proofs: report.proofs.map { ProofJSON(property: $0.property, rule: $0.rule, result: $0.outcome.name, seconds: $0.seconds) }
        )
        return try Terminal.json(document)
    }
}
