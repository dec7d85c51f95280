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

    /// In place: `contains` copied every callback (its continuation: a retain and a release).
    func hasOverdueCallback(_ state: ICState) -> Bool {
        let now = state.now
        return state.storage.callbacks.value.withUnsafeBufferPointer { callbacks in
            for index in callbacks.indices {
                guard callbacks[index].kind.isBestEffort, !callbacks[index].expired, let deadline = callbacks[index].deadline, deadline <= now
                else { continue }
                if !state.hasSystemNotice(for: callbacks[index].call) { return true }
            }
            return false
        }
    }
}
