extension Property {
    /// `premise` leads to `goal` within `ticks` clock ticks, as a safety property (`always`).
    ///
    /// A bounded response claim is not a liveness claim: its violation is a finite prefix (the
    /// premise held `ticks + 1` ticks ago and the goal has not yet held), so the ordinary safety
    /// search decides it, with shortest counterexamples and without fairness.
    ///
    /// A state alone cannot tell how long the premise has been pending, so the model must record
    /// it. The idiom: keep in the state the clock value at which the *current* pending premise
    /// became true (`pendingSince`), set when the premise turns true while none is pending and
    /// cleared (`nil`) when the goal holds. Then, with `clock` the model's current time:
    ///
    ///     struct S { var now: Int; var pendingSince: Int?; ... }
    ///     // in the transition relation:
    ///     //   if next.goal { next.pendingSince = nil }
    ///     //   else if next.premise && next.pendingSince == nil { next.pendingSince = next.now }
    ///     Property<S>.within("reply within 5", ticks: 5,
    ///                        premise: \.premise, goal: \.goal,
    ///                        clock: \.now, pendingSince: \.pendingSince)
    ///
    /// The claim checked in every state is: unless the goal holds, a recorded start satisfies
    /// `clock - pendingSince <= ticks`, and the premise never holds without a recorded start.
    /// (Clear `pendingSince` also when the obligation is legitimately dropped, e.g. a cancelled
    /// request; otherwise the clock keeps counting against it.) Recording the *first* pending time is essential:
    /// refreshing it whenever the premise holds again would hide a request that waits forever
    /// behind repeated requests. The clock must not run backwards; if the model's clock is
    /// bounded (e.g. wraps), the claim is only meaningful before it wraps.
    public static func within(
        _ name: String,
        ticks: Int,
        premise: @escaping @Sendable (State) -> Bool,
        goal: @escaping @Sendable (State) -> Bool,
        clock: @escaping @Sendable (State) -> Int,
        pendingSince: @escaping @Sendable (State) -> Int?
    ) -> Self {
        .always(name) { state in
            if goal(state) { return true }
            guard let since = pendingSince(state) else {
                // A premise holding with no recorded start is a modelling error (the model
                // forgot to record it); the claim fails rather than passing vacuously.
                return !premise(state)
            }
            return clock(state) - since <= ticks
        }
    }
}
