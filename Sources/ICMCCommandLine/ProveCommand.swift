import ArgumentParser
import Foundation
import ICProofs

/// `icmc prove`: proves the IC messaging invariants inductive with Z3, one query per
/// (invariant, rule), and prints each result with its time.
struct ProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Prove IC messaging properties (cycle conservation, P3 ordering, P6/P7 at-most-once, P8/P10/P11) by induction with Z3.",
        discussion: "Example: swift run -c release icmc prove --property conservation --json. Properties: \(InductiveProperties.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")). "
            + "A property's dependencies are proved with it. Exit status: 0 all proved, 1 some refuted or unknown, 2 bad input."
    )

    @Option(name: .customLong("property"), help: "Property to prove (repeatable or comma-separated; default: all).")
    var properties: [String] = []

    @Flag(help: "Print a JSON list of {property, rule, result, seconds}.")
    var json = false

    @Option(help: "Per-query Z3 timeout in seconds (default 60).")
    var timeout: String?

    static func reject(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(2)
    }

    func run() throws {
        var seconds = 60.0
        if let timeout {
            guard let t = Double(timeout), t.isFinite, t > 0 else {
                throw Self.reject("--timeout must be a positive number of seconds, got '\(timeout)'")
            }
            seconds = t
        }
        let names = properties.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let prover = ICProver(timeout: seconds)
        do { _ = try prover.select(names.isEmpty ? nil : names) } catch { throw Self.reject(error.description) }
        let rows = try prover.run(properties: names.isEmpty ? nil : names)
        if json {
            print(try Self.json(rows))
        } else {
            print(Self.table(rows))
        }
        if rows.contains(where: { $0.outcome != .proved }) { throw ExitCode(1) }
    }

    struct JSONRow: Encodable {
        let property: String
        let rule: String
        let result: String
        let seconds: Double
    }

    static func json(_ rows: [ProofRow]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(rows.map {
            JSONRow(property: $0.property, rule: $0.rule, result: $0.outcome.name, seconds: ($0.seconds * 1e4).rounded() / 1e4)
        })
        return String(decoding: data, as: UTF8.self)
    }

    static func table(_ rows: [ProofRow]) -> String {
        let pw = max(8, rows.map(\.property.count).max() ?? 0)
        let rw = max(4, rows.map(\.rule.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        var out = [pad("property", pw) + "  " + pad("rule", rw) + "  result    seconds"]
        var details: [String] = []
        for r in rows {
            out.append(pad(r.property, pw) + "  " + pad(r.rule, rw) + "  " + pad(r.outcome.name, 8) + "  "
                       + String(format: "%.4f", r.seconds))
            switch r.outcome {
            case .proved: break
            case let .refuted(cti): details.append(cti)
            case let .unknown(reason): details.append("\(r.property) under \(r.rule): unknown (\(reason))")
            }
        }
        let proved = rows.filter { $0.outcome == .proved }.count
        let total = rows.reduce(0) { $0 + $1.seconds }
        out.append("\(proved)/\(rows.count) obligations proved in \(String(format: "%.2f", total)) s")
        return (out + details).joined(separator: "\n")
    }
}
