/// The exit statuses every command shares, so that scripts and CI can tell "wrong" from
/// "unfinished": a search cut short by a limit is never success and never a failed verdict.
enum ExitStatus {
    /// Success: every verdict as expected.
    static let success: Int32 = 0
    /// A verdict not as expected, a replay that diverged, a violation found by simulation.
    static let unexpected: Int32 = 1
    /// Bad input: an unknown flag or name, a malformed value or file.
    static let badInput: Int32 = 2
    /// Incomplete: a search stopped at a limit (states, depth, time, memory) or by Ctrl-C
    /// before deciding, with no verdict contradicting the expected one.
    static let incomplete: Int32 = 3

    /// The sentence every `--help` ends with.
    static let help = "Exit status: 0 every verdict as expected, 1 a verdict not as expected, 2 bad input, "
        + "3 incomplete (a limit of states, depth, time or memory reached, or interrupted)."
}
