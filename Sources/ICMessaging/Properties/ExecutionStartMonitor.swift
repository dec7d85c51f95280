import ICCore
import ModelChecking

/// P1's monitor: whether a call ever started executing while its request was still queued.
///
/// A request starts executing in a `deliverRequest` step (the head of its queue); P1 then
/// says that it has left the queue. The monitor is one flag, so a check of P1 keeps no call
/// history at all.
public struct ExecutionStartMonitor: IdentityFreeMonitor {
    /// A call started while its request was still queued.
    public private(set) var startedWhileQueued = false

    public init() {}

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        guard !startedWhileQueued, case .deliverRequest(let from, let to, _, _) = action,
              let started = before.pendingRequests(from: from, to: to).first
        else { return }
        startedWhileQueued = after.allPendingRequests.contains { $0.call == started.call }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(startedWhileQueued) }
}
