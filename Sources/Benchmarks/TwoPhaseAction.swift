/// One action instance of TwoPhase.tla; `rm` is the resource manager's index.
public enum TwoPhaseAction: Hashable, Sendable, CustomStringConvertible {
    case tmCommit
    case tmAbort
    case tmRcvPrepared(rm: UInt8)
    case rmPrepare(rm: UInt8)
    case rmChooseToAbort(rm: UInt8)
    case rmRcvCommitMsg(rm: UInt8)
    case rmRcvAbortMsg(rm: UInt8)

    public var description: String {
        switch self {
        case .tmCommit: return "TMCommit"
        case .tmAbort: return "TMAbort"
        case .tmRcvPrepared(let rm): return "TMRcvPrepared(\(rm))"
        case .rmPrepare(let rm): return "RMPrepare(\(rm))"
        case .rmChooseToAbort(let rm): return "RMChooseToAbort(\(rm))"
        case .rmRcvCommitMsg(let rm): return "RMRcvCommitMsg(\(rm))"
        case .rmRcvAbortMsg(let rm): return "RMRcvAbortMsg(\(rm))"
        }
    }
}
