import ModelChecking

/// Two-phase commit with `resourceManagers` RMs, exactly as `shared/bench/TwoPhase.tla`
/// (messages are never removed; no symmetry reduction). `TypeOK` holds by construction of the
/// packed state; `Consistent` is checked as an invariant.
public struct TwoPhase: TransitionSystem {
    public typealias State = TwoPhaseState
    public typealias Action = TwoPhaseAction

    /// Number of resource managers.
    public let resourceManagers: Int
    /// When true, RMChooseToAbort is also enabled for prepared RMs: a deliberate fault that
    /// breaks `Consistent` (for demonstrating counterexamples).
    public let abortAfterPrepare: Bool

    /// Largest supported number of resource managers.
    public static let maxResourceManagers = TwoPhaseBits.maxResourceManagers

    /// Throws `BenchmarkParameterError` for a count the packed state cannot represent.
    public init(resourceManagers: Int, abortAfterPrepare: Bool = false) throws {
        guard (1...Self.maxResourceManagers).contains(resourceManagers) else {
            throw BenchmarkParameterError(
                "TwoPhase: the number of resource managers must be between 1 and \(Self.maxResourceManagers), got \(resourceManagers)"
            )
        }
        self.resourceManagers = resourceManagers
        self.abortAfterPrepare = abortAfterPrepare
    }

    public var name: String {
        "two-phase(\(resourceManagers))" + (abortAfterPrepare ? "[abort-after-prepare]" : "")
    }

    public var initialStates: [TwoPhaseState] { [TwoPhaseState(bits: 0)] }

    @inlinable
    public func forEachSuccessor(of state: TwoPhaseState, _ body: (TwoPhaseAction, TwoPhaseState) -> Void) {
        let bits = state.bits
        let count = resourceManagers
        let allRMs = (UInt64(1) &<< UInt64(count)) &- 1
        let tmInit = bits & TwoPhaseBits.tmDone == 0

        if tmInit {
            // TMCommit: every RM is prepared.
            if (bits &>> TwoPhaseBits.tmPreparedShift) & allRMs == allRMs {
                body(.tmCommit, TwoPhaseState(bits: bits | TwoPhaseBits.tmDone | TwoPhaseBits.commitMsg))
            }
            // TMAbort
            body(.tmAbort, TwoPhaseState(bits: bits | TwoPhaseBits.tmDone | TwoPhaseBits.abortMsg))
        }
        let commitSent = bits & TwoPhaseBits.commitMsg != 0
        let abortSent = bits & TwoPhaseBits.abortMsg != 0
        for r in 0..<count {
            let rm = UInt8(truncatingIfNeeded: r)
            let index = UInt64(r)
            let stateShift = 2 &* index
            let rmState = (bits &>> stateShift) & 3
            let cleared = bits & ~(UInt64(3) &<< stateShift)

            // TMRcvPrepared(r)
            if tmInit && bits & (UInt64(1) &<< (TwoPhaseBits.preparedMsgShift &+ index)) != 0 {
                body(.tmRcvPrepared(rm: rm), TwoPhaseState(bits: bits | (UInt64(1) &<< (TwoPhaseBits.tmPreparedShift &+ index))))
            }
            if rmState == TwoPhaseBits.working {
                // RMPrepare(r)
                let prepared = cleared | (TwoPhaseBits.prepared &<< stateShift)
                    | (UInt64(1) &<< (TwoPhaseBits.preparedMsgShift &+ index))
                body(.rmPrepare(rm: rm), TwoPhaseState(bits: prepared))
            }
            if rmState == TwoPhaseBits.working || (abortAfterPrepare && rmState == TwoPhaseBits.prepared) {
                // RMChooseToAbort(r)
                body(.rmChooseToAbort(rm: rm), TwoPhaseState(bits: cleared | (TwoPhaseBits.aborted &<< stateShift)))
            }
            // RMRcvCommitMsg(r)
            if commitSent {
                body(.rmRcvCommitMsg(rm: rm), TwoPhaseState(bits: cleared | (TwoPhaseBits.committed &<< stateShift)))
            }
            // RMRcvAbortMsg(r)
            if abortSent {
                body(.rmRcvAbortMsg(rm: rm), TwoPhaseState(bits: cleared | (TwoPhaseBits.aborted &<< stateShift)))
            }
        }
    }

    public var properties: [Property<TwoPhaseState>] {
        [.always("Consistent") { state in Self.isConsistent(state) }]
    }

    /// Consistent: no RM has committed while another has aborted.
    @inlinable
    public static func isConsistent(_ state: TwoPhaseState) -> Bool {
        let states = state.bits & ((UInt64(1) &<< 30) &- 1)
        let high = (states &>> 1) & 0x1555_5555
        let low = states & 0x1555_5555
        let aborted = high & low
        let committed = high & ~low
        return aborted == 0 || committed == 0
    }
}
