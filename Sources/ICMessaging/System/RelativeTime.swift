import ICCore
import ModelChecking

// Relative time (issue "State-space reduction", item 3).
//
// The rules read times only against each other: a callback expires once `now >= deadline`, time
// does not pass an unexpired callback with `deadline <= now`, a new call's deadline is
// `now + timeout`; the eager schedule asks only whether the clock has ticked (`now > 0`). So two
// states that differ by a shift of every time (now and every deadline by the same amount) have
// the same future up to that shift, and a deadline already passed by more than one tick behaves
// like one passed by exactly one (every comparison with `now`, now and later, comes out the
// same). With both facts the state need not carry the absolute clock: `withRelativeTime()` keeps
// `now` at 0 before the first tick and at 1 after it, every deadline as `now` plus its remaining
// time, and a passed deadline at `now - 1`. The space is then finite without a clock bound, and a
// run that repeats itself (retry, expire, retry) is a cycle.
//
// Sound for programs and properties that compare times only with each other (a program that
// stores `now`, or acts on its value, is not time-shift invariant). `RelativeTimeTests` checks on
// the library's specs that the normalisation commutes with every step.

extension ICState {
    /// The state with its clock made relative (see above): `now` is 0 or 1, every deadline is
    /// `now` plus the time it had left, and a passed deadline is `now - 1`. The state itself if
    /// it is already so (the clock has ticked at most once).
    public func withRelativeTime() -> ICState {
        guard now > 1 else { return self }
        let shift = now - 1
        func moved(_ deadline: Time?) -> Time? { deadline.map { max($0, now - 1) - shift } }
        var relative = self
        relative.now = 1
        if queues.contains(where: { $0.contains { $0.deadline != nil } }) {
            relative.queues = queues.map { queue in
                queue.map {
                    QueuedRequest(call: $0.call, callee: $0.callee, method: $0.method, arguments: $0.arguments, cycles: $0.cycles,
                                  kind: $0.kind, deadline: moved($0.deadline), deliveries: $0.deliveries)
                }
            }
        }
        if callContexts.contains(where: { $0.deadline != nil }) {
            relative.callContexts = callContexts.map {
                CallContext(id: $0.id, canister: $0.canister, needsToRespond: $0.needsToRespond, deleted: $0.deleted,
                            availableCycles: $0.availableCycles, deadline: moved($0.deadline))
            }
        }
        if openCallbacks.contains(where: { $0.deadline != nil }) {
            relative.openCallbacks = openCallbacks.map {
                Callback(call: $0.call, callerContext: $0.callerContext, callee: $0.callee, continuation: $0.continuation,
                         kind: $0.kind, attachedCycles: $0.attachedCycles, deadline: moved($0.deadline), expired: $0.expired,
                         hasCleanup: $0.hasCleanup)
            }
        }
        let history = self.history
        if history.calls.values.contains(where: { $0.deadline != nil }) {
            var shifted = history
            shifted.calls = history.calls.mapValues { $0.relabelled(callee: $0.callee, deadline: moved($0.deadline)) }
            relative.history = shifted
        }
        return relative
    }
}
