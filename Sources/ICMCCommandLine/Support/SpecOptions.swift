import ArgumentParser
import Foundation
import ICCore
import ICSpec

/// Bad input: one line on stderr, exit status 2.
func badInput(_ message: String) -> ExitCode {
    Terminal.writeError("error: \(message)\n")
    return ExitCode(2)
}

/// The fault environments a user can pick with `--faults` (`FaultSwitches`' presets).
enum FaultPreset: String, CaseIterable, ExpressibleByArgument {
    case benign, lossy, adversarial

    var switches: FaultSwitches {
        switch self {
        case .benign: .benign
        case .lossy: .lossy
        case .adversarial: .adversarial
        }
    }
}

/// How a command picks a spec's size, as TLC's constants: `--param KEY=VALUE` for each of the
/// spec's declared parameters (`icmc list` shows them with their ranges).
struct ParameterOptions: ParsableArguments {
    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Set a spec parameter, KEY=VALUE (repeatable; `icmc list` shows each spec's parameters and ranges).",
        valueName: "key=value"))
    var parameters: [String] = []

    /// The `--param` assignments, checked for form (`KEY=INTEGER`, each key once).
    func assignments() throws -> [String: Int] {
        var values: [String: Int] = [:]
        for text in parameters {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw badInput("--param must be KEY=INTEGER, got '\(text)'") }
            guard let value = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
                let digits = parts[1].trimmingCharacters(in: .whitespaces).drop { $0 == "-" || $0 == "+" }
                if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                    throw badInput("--param \(parts[0]): \(parts[1]) is beyond 64-bit integers (see `icmc list` for the range)")
                }
                throw badInput("--param must be KEY=INTEGER, got '\(text)'")
            }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            guard values[key] == nil else { throw badInput("--param \(key) is given twice") }
            values[key] = value
        }
        return values
    }

    /// The spec called `name` in `catalog`, built with the `--param` values; bad input (an
    /// unknown name or parameter, a value out of range) exits 2 with one line.
    func spec(named name: String, in catalog: SpecCatalog) throws -> Spec {
        let entry: SpecCatalog.Entry
        do {
            entry = try catalog.requireEntry(named: name)
        } catch {
            throw badInput(error.description)
        }
        do {
            return try entry.spec(with: try assignments())
        } catch let error as SpecParameterError {
            throw badInput(error.message)
        }
    }
}

/// The exploration's bounds and environment, as TLC's limits: a state limit, a depth bound and
/// the fault environment, each overriding the spec's own.
struct BoundOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Stop after this many distinct states (1...\(Self.maxStatesBound)); the verdict is then incomplete, never holds.",
            transform: { try NumericArgument.integer($0, in: 1...BoundOptions.maxStatesBound) })
    var maxStates: Int?

    @Option(parsing: .unconditional, help: "Do not expand states deeper than this many steps (0...\(Self.maxDepthBound)); the verdict is then incomplete if states were cut off.",
            transform: { try NumericArgument.integer($0, in: 0...BoundOptions.maxDepthBound) })
    var maxDepth: Int?

    /// The largest `--max-states` (far beyond any memory) and `--max-depth` (far beyond any
    /// trace): bounds that keep the engine's arithmetic on them from overflowing.
    static let maxStatesBound = 1_000_000_000_000
    static let maxDepthBound = 1_000_000_000

    @Option(help: "Fault environment: benign, lossy (best-effort drops, early expiry) or adversarial (every fault); default: the spec's own.")
    var faults: FaultPreset?

    /// `spec` with `--faults`, `--max-states` and `--max-depth` applied.
    func apply(to spec: Spec) -> Spec {
        var spec = spec
        // Another environment has another state space: the spec's floor then reads `nil`.
        if let faults { spec.configuration.faults = faults.switches }
        if let maxStates { spec.maxStates = maxStates }
        if let maxDepth { spec.maxDepth = maxDepth }
        return spec
    }
}
