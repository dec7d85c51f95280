import ICCore
import ModelChecking

/// P1's monitor: whether a call ever started executing while its request was still queued.
///
/// A request starts executing in a `deliverRequest` step (the head of its queue); P1 then
/// says that it has left the queue. That step is also the only one that creates a call's
/// context, so it is where "no context exists for a queued request" could first fail. The
/// monitor is one flag, so a check of P1 keeps no call history at all.
///
/// Partial-order reduction: only `deliverRequest` steps are visible. The step is judged by the
/// head of its pair's queue before it and whether that request is still queued after it; only
/// the callee's own steps remove a queue's head, and another canister's append changes the head
/// of an empty queue only, which has no delivery step.
public struct ExecutionStartMonitor: IdentityFreeMonitor, PartialOrderMonitor {
    /// A call started while its request was still queued.
    public private(set) var startedWhileQueued = false

    public init() {}

    public func mayChange(on action: ICAction) -> Bool {
        guard !startedWhileQueued, case .deliverRequest = action else { return false }
        return true
    }

    public func isVisible(_ action: ICAction) -> Bool {
        if case .deliverRequest = action { return true }
        return false
    }

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        guard !startedWhileQueued, case .deliverRequest(let from, let to, _, _) = action,
              let started = before.oldestPendingRequest(from: from, to: to)
        else { return }
        // A request only ever waits in its own pair's queue.
        startedWhileQueued = after.hasPendingRequest(started.call, from: from, to: to)
    }

    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(startedWhileQueued) }
}
