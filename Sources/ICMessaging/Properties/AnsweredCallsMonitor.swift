import ICCore
import ModelChecking

/// P5's monitor: how many calls a canister's own code has answered (the ghost history's
/// `calleeResponse` records of calls to it, counted).
///
/// The callee's code answers a call in one of its executions, and the answer goes in flight in
/// that step; the system's answers for it (a starved context, a rejected or dropped request)
/// come in other steps. So the monitor counts, in each execution of the callee, the responses
/// it put in flight for calls whose request or context was the callee's. A count names no call,
/// so symmetry and canonical call ids stay available.
///
/// Partial-order reduction: only the callee's executions are visible, each judged by the
/// responses it produced and the callee's own requests and contexts.
public struct AnsweredCallsMonitor: IdentityFreeMonitor, PartialOrderMonitor {
    /// The canister whose answers are counted: a constant of the property (which names it in
    /// `mentions`), not part of the observation.
    public let callee: CanisterId
    /// The calls its code has answered so far.
    public private(set) var answered = 0

    public init(callee: CanisterId) { self.callee = callee }

    public func mayChange(on action: ICAction) -> Bool { isVisible(action) }

    public func isVisible(_ action: ICAction) -> Bool { action.executingCanister == callee }

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        guard action.executingCanister == callee else { return }
        var earlier = before.pendingResponses.map(\.call)
        for response in after.pendingResponses {
            // A response in flight before the step (say a SYS_UNKNOWN notice) is not new.
            if let kept = earlier.firstIndex(of: response.call) {
                earlier.remove(at: kept)
                continue
            }
            let ours = before.hasPendingRequest(response.call, from: response.call.caller, to: callee)
                || before.contextView(of: .call(response.call))?.canister == callee
            if ours { answered += 1 }
        }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(callee)
        hasher.combine(answered)
    }
}
