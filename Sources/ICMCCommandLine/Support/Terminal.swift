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
