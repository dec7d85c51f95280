import ICCore

extension ICSystem {
    /// `tick` — T16, simplified to one global clock: `now + 1` while `now < limits.maxTime`.
    ///
    /// Expiry is urgent: time does not advance while a best-effort callback whose deadline has
    /// come (`deadline ≤ now`) is still unexpired and has no SYS_UNKNOWN notice in flight (the IC
    /// expires callbacks in the round their deadline passes).
    func tick(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        guard state.now < configuration.limits.maxTime, !hasOverdueCallback(state) else { return }
        var next = state
        next.now += 1
        body(.tick, next)
        next.recycle()
    }

    func hasOverdueCallback(_ state: ICState) -> Bool {
        state.openCallbacks.contains { callback in
            guard callback.kind.isBestEffort, !callback.expired, let deadline = callback.deadline, deadline <= state.now else { return false }
            return !state.responses.contains { $0.call == callback.call && $0.isSystemNotice }
        }
    }
}
