import ArgumentParser
import Foundation
import ModelChecking

/// `--memory-limit` and `--time-limit`, shared by every searching command: a search that
/// meets one stops cleanly with what it found (outcome `incomplete (memory limit)` /
/// `incomplete (time limit)`, exit 3) instead of taking the machine down or running for ever.
struct LimitOptions: ParsableArguments {
    @Option(
        name: .customLong("memory-limit"), parsing: .unconditional,
        help: ArgumentHelp(
            "Stop the search when the process's resident memory reaches SIZE (512MB, 2GiB, 1500000000); the verdict is then incomplete. Default: 70 % of physical memory.",
            valueName: "size"),
        transform: LimitParsing.bytes)
    var memoryLimit: Int?

    @Option(
        name: .customLong("time-limit"), parsing: .unconditional,
        help: ArgumentHelp("Stop the search after DURATION (30s, 5m, 2h, 1.5s; a plain number is seconds); the verdict is then incomplete.",
                           valueName: "duration"),
        transform: LimitParsing.duration)
    var timeLimit: Duration?

    /// The memory limit in effect: the flag's, else 70 % of physical memory.
    var effectiveMemoryLimit: Int { memoryLimit ?? CheckerOptions.defaultMemoryLimit }
}

/// Parsing of sizes and durations, with the accepted forms in the error.
enum LimitParsing {
    /// The smallest memory limit: below it, the process's own code and libraries would trip it.
    static let minimumBytes = 16 << 20

    private static let units: [(suffix: String, factor: Double)] = [
        ("kib", 0x1p10), ("mib", 0x1p20), ("gib", 0x1p30), ("tib", 0x1p40),
        ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12), ("k", 0x1p10), ("m", 0x1p20), ("g", 0x1p30), ("b", 1),
    ]

    /// A size: a number of bytes, or a number with a unit (KB, MB, GB, TB decimal; KiB, MiB, GiB,
    /// TiB, K, M, G binary), from 16 MiB to 1 EiB (beyond, the byte count would not fit an `Int`).
    static func bytes(_ text: String) throws -> Int {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        let unit = units.first { lowered.hasSuffix($0.suffix) }
        let number = unit.map { String(lowered.dropLast($0.suffix.count)) } ?? lowered
        let form = "expected a size such as 512MB, 2GiB or a number of bytes, at least 16MiB"
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0 else {
            throw NumericArgumentError(description: form)
        }
        let bytes = value * (unit?.factor ?? 1)
        guard bytes <= 0x1p60 else { throw NumericArgumentError(description: "\(form), at most 1EiB") }
        guard Int(bytes) >= minimumBytes else { throw NumericArgumentError(description: form) }
        return Int(bytes)
    }

    /// A duration: a number with `ms`, `s`, `m`, `h` or `d`, or a plain number of seconds;
    /// more than 0 and at most 365 days.
    static func duration(_ text: String) throws -> Duration {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        let unit = units.first { lowered.hasSuffix($0.0) }
        let number = unit.map { String(lowered.dropLast($0.0.count)) } ?? lowered
        let form = "expected a duration such as 30s, 5m or 2h (a plain number is seconds), more than 0 and at most 365d"
        guard let value = Double(number), value.isFinite, value > 0 else { throw NumericArgumentError(description: form) }
        let seconds = value * (unit?.1 ?? 1)
        guard seconds <= 365 * 86400 else { throw NumericArgumentError(description: form) }
        return .milliseconds(Int64(max(1, (seconds * 1000).rounded())))
    }
}
