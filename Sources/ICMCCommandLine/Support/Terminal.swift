import Foundation

/// Terminal manners: colours and carriage-return status lines only when the stream is a
/// terminal, so logs and pipes get plain text.
enum Terminal {
    static let stderrIsTerminal = isatty(2) != 0
    static let stdoutIsTerminal = isatty(1) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    enum Colour: String {
        case green = "32", red = "31", yellow = "33", bold = "1", dim = "2"
    }

    /// `text` in `colour` when stdout is a terminal; plain otherwise.
    static func paint(_ text: String, _ colour: Colour) -> String {
        stdoutIsTerminal ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `value` as the JSON every command prints: sorted keys, indented, slashes unescaped.
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Progress of a command that makes many random walks (`simulate`, `differential`): a line on
/// stderr after every twentieth of the runs, and only for jobs of at least `minimumSteps` steps.
struct WalkProgress {
    let phase: String
    let runs: Int
    let enabled: Bool
    let start = Date()

    init(phase: String, runs: Int, steps: Int, minimumSteps: Int) {
        self.phase = phase
        self.runs = runs
        let (total, overflow) = runs.multipliedReportingOverflow(by: steps)
        enabled = overflow || total >= minimumSteps
    }

    /// After run `run` (0-based): `steps` so far and `findings` (e.g. "3 violations").
    func report(run: Int, steps: Int, findings: String) {
        guard enabled, (run + 1) % max(1, runs / 20) == 0 else { return }
        Terminal.writeError(
            String(format: "[%@ %6.1fs] run %d/%d, %d steps, %@\n", phase, Date().timeIntervalSince(start), run + 1, runs, steps, findings))
    }
}

/// A one-line status display on stderr for a long phase: rewritten in place on a terminal,
/// printed at most every few seconds otherwise.
final class StatusLine: @unchecked Sendable {
    private let phase: String
    private let start = Date()
    private var lastPrint = Date.distantPast
    private let lock = NSLock()
    private let quiet: Bool

    init(phase: String, quiet: Bool = false) {
        self.phase = phase
        self.quiet = quiet
    }

    var elapsed: Double { Date().timeIntervalSince(start) }

    /// Shows `message` (with the elapsed time) for this phase.
    func update(_ message: String, force: Bool = false) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let text = String(format: "[%@ %6.1fs] %@", phase, elapsed, message)
        if Terminal.stderrIsTerminal {
            Terminal.writeError("\r\u{1B}[2K" + text)
        } else if force || now.timeIntervalSince(lastPrint) >= 5 {
            Terminal.writeError(text + "\n")
            lastPrint = now
        }
    }

    /// Ends the phase with a final message on its own line.
    func finish(_ message: String) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        let text = String(format: "[%@ %6.1fs] %@\n", phase, elapsed, message)
        Terminal.writeError((Terminal.stderrIsTerminal ? "\r\u{1B}[2K" : "") + text)
    }
}
