import ICCore
import ModelChecking

/// P3's and P6's monitor: whether a request ever started executing a second time.
///
/// A `deliverRequest(from:to:)` step starts the oldest request of the pair (the head of its
/// queue), so with FIFO queues the one way to break request order (P3: the started calls
/// follow the send order strictly) or at-most-once execution (P6) is to start a call that had
/// already started. The step shows it without remembering any call: a first execution creates
/// the call's context, which either still has to respond afterwards or has answered (its
/// response is then in flight); a call whose context already existed before the step, or whose
/// step leaves neither trace, had started before. The ghost history's verdicts (`started` in
/// send order; `executions` ≤ 1) become true and false at the same steps.
///
/// Partial-order reduction: only `deliverRequest` steps are visible. The step is judged by the
/// head call of its pair's queue, that call's context at the callee (written by the callee's
/// steps only) and that call's responses in flight: a queued call has none unless it had
/// started (they come from its context or from removing its request, both the callee's
/// steps), so no step of another canister changes the judgement.
public struct RequestStartMonitor: IdentityFreeMonitor, PartialOrderMonitor {
    /// Some request started executing a second time.
    public private(set) var startedTwice = false

    public init() {}

    public func mayChange(on action: ICAction) -> Bool { !startedTwice && isVisible(action) }

    public func isVisible(_ action: ICAction) -> Bool {
        if case .deliverRequest = action { return true }
        return false
    }

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        guard !startedTwice, case .deliverRequest(let from, let to, _, _) = action,
            let started = before.pendingRequests(from: from, to: to).first?.call
        else { return }
        startedTwice = Self.hadStarted(started, before: before, after: after)
    }

    /// Whether the step that started `call` was not its first start.
    static func hadStarted(_ call: CallId, before: any ICView, after: any ICView) -> Bool {
        let context = ContextId.call(call)
        if before.contexts.contains(where: { $0.id == context }) { return true }
        if after.contexts.contains(where: { $0.id == context && $0.needsToRespond }) { return false }
        let answeredBefore = before.pendingResponses.lazy.filter { $0.call == call }.count
        let answeredAfter = after.pendingResponses.lazy.filter { $0.call == call }.count
        return answeredAfter <= answeredBefore
    }

    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(startedTwice) }
}
