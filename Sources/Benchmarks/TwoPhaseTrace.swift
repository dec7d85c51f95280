/// A readable TwoPhase state for counterexamples, with the TLA+ variable names and values.
public struct TwoPhaseTraceState: Hashable, Sendable, Codable {
    /// `rmState[r]` for r = 0, 1, …: "working", "prepared", "committed" or "aborted".
    public let rmState: [String]
    /// "init" or "done".
    public let tmState: String
    /// Indices of the RMs the TM has received "Prepared" from, ascending.
    public let tmPrepared: [Int]
    /// The messages sent so far: "Prepared(r)", "Commit", "Abort".
    public let msgs: [String]
}

extension TwoPhase {
    /// The readable form of a packed state.
    public func traceState(of state: TwoPhaseState) -> TwoPhaseTraceState {
        let names = ["working", "prepared", "committed", "aborted"]
        let bits = state.bits
        var rmState: [String] = []
        var tmPrepared: [Int] = []
        var msgs: [String] = []
        for r in 0..<resourceManagers {
            rmState.append(names[Int((bits >> UInt64(2 * r)) & 3)])
            if bits & (1 << (TwoPhaseBits.tmPreparedShift + UInt64(r))) != 0 { tmPrepared.append(r) }
            if bits & (1 << (TwoPhaseBits.preparedMsgShift + UInt64(r))) != 0 { msgs.append("Prepared(\(r))") }
        }
        if bits & TwoPhaseBits.commitMsg != 0 { msgs.append("Commit") }
        if bits & TwoPhaseBits.abortMsg != 0 { msgs.append("Abort") }
        return TwoPhaseTraceState(
            rmState: rmState,
            tmState: bits & TwoPhaseBits.tmDone != 0 ? "done" : "init",
            tmPrepared: tmPrepared,
            msgs: msgs
        )
    }
}
