import ArgumentParser
import Benchmarks
import Foundation
import ICSpec
import ModelChecking

/// `icmc bench spec NAME`: any catalogue spec's safety check as a benchmark, so that a change
/// to the IC model's speed or memory is measured on the workloads users check, not only on the
/// hand-packed IC-Ring and TwoPhase models.
struct SpecBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Benchmark the safety check of any catalogue spec (the IC model, as users check it).",
        discussion: """
            Example:
              swift run -c release icmc bench spec bench-pubsub --param subscribers=3 --workers 1 --json
            Prints the keys of the other bench commands plus bytesPerState: (peak RSS − RSS when the \
            search started) / distinct states. \(BenchRunOptions.exitHelp)
            """
    )

    @Argument(help: "The spec name (see `icmc list`).")
    var name: String

    @OptionGroup var parameterOptions: ParameterOptions

    @OptionGroup var options: BenchRunOptions

    @OptionGroup var reductions: ReductionOptions

    @OptionGroup var bounds: BoundOptions

    func run() throws {
        let spec = bounds.apply(to: try reductions.apply(to: try parameterOptions.spec(named: name, in: CurrentCatalog.value)))
        if let problem = spec.partialOrderProblem { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
        var startRSS = 0
        // The spec's own depth bound and state limit (or `--max-depth` / `--max-states`), as `check` uses them.
        let result = try options.search(SpecSystem(spec: spec), maxDepth: spec.maxDepth, maxStates: spec.maxStates) {
            startRSS = residentMemoryBytes()
        }
        let report = BenchmarkReport(result)
        let bytesPerState = Double(max(0, report.peakMemoryBytes - startRSS)) / Double(max(1, report.distinct))
        if options.json {
            guard var object = try JSONSerialization.jsonObject(with: Data(try report.jsonLine().utf8)) as? [String: Any] else {
                throw ExitCode(1)
            }
            object["bytesPerState"] = (bytesPerState * 10).rounded() / 10
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(report.humanReadable)
            print(String(format: "bytes/state:  %.1f (peak RSS above the RSS at the search's start)", bytesPerState))
        }
        if result.outcome == .interrupted { throw ExitCode(130) }
        // A search cut short that found no violation is incomplete (3), whatever the spec expects.
        if report.violations.isEmpty, let status = BenchRunOptions.status(of: result.outcome) { throw ExitCode(status) }
        if !Self.asExpected(report, spec: spec) { throw ExitCode(1) }
    }

    /// Whether the safety check found what the spec expects: the expected safety property
    /// violated, or (when the spec holds, or its expected violation is a liveness one that this
    /// search does not judge) no safety property violated and, for `holds`, a complete search.
    static func asExpected(_ report: BenchmarkReport, spec: Spec) -> Bool {
        let violated = Set(report.violations.map(\.property))
        if let expected = spec.expectation.violatedProperty, spec.properties.contains(where: { $0.name == expected }) {
            return violated.contains(expected)
        }
        guard violated.isEmpty else { return false }
        return spec.expectation != .holds || report.outcome == CheckOutcome.complete.rawValue
    }
}

/// The resident set size of this process now (`VmRSS` on Linux; the peak elsewhere, which makes
/// `bytesPerState` an underestimate there).
func residentMemoryBytes() -> Int {
    #if os(Linux)
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            if let kilobytes = Int(line.dropFirst("VmRSS:".count).filter(\.isNumber)) { return kilobytes * 1024 }
        }
    }
    #endif
    return peakMemoryBytes()
}

/// Resets the process's peak resident memory (Linux: `VmHWM`, through `/proc/self/clear_refs`),
/// so that a second search's peak is its own.
func resetPeakMemory() {
    #if os(Linux)
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    #endif
}
