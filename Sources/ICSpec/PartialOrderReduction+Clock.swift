import ICCore
import ICMessaging

/// C1 against the clock without a clock bound (docs/architecture.md, "Partial-order reduction",
/// "The clock"). A tick is global: it advances `now`, which every execution may read, makes
/// deadlines and timers fall due, and is held back by an overdue callback. Under relative time
/// (no bound) it is possible in almost every state. It is independent of the steps of canister
/// *c* (both orders reach the same state, neither disables the other, in every state reachable
/// without a step of *c*) when:
/// - no step of the set runs code that reads the clock (`ClockReadProbe` records, per expansion,
///   which canisters' executions did; the caller leaves such a canister out), so an execution of
///   *c* does the same at any `now`: whether it reads the clock depends only on *c*'s part of
///   the state, which no tick and no other canister's step changes;
/// - no step of the set makes a deadline or sets a timer (a call's deadline is `now + timeout`:
///   made before or after the tick, it differs);
/// - *c* has no callback that a tick could make expirable or that holds the clock back (an
///   unexpired best-effort callback without a SYS_UNKNOWN notice) and no timer that a tick could
///   make fire. Only *c*'s own steps make callbacks and timers of *c*, so this stays so until
///   *c* acts, however many ticks and other steps come first. Under early expiry, safety
///   checks allow such callbacks: their expiry is enabled before and after a tick, a tick
///   disables nothing, and while one is overdue no tick can come before *c* acts (only *c*'s
///   steps may then enable the tick, which safety allows; liveness does not, since the tick's
///   fairness class would be enabled where the full run had it disabled);
/// - no monitor of a checked property sees a tick (none in the library does), so moving a step
///   of *c* before a tick changes no monitor's judgement of the tick;
/// - the schedule is not eager: there a tick disables users and controllers, and a step that
///   enables a system step disables the tick.
/// Then a tick neither enables nor disables a step of *c*, nor the other way round (only
/// overdue callbacks and the bound hold the clock back, and *c* neither has nor makes one), so
/// the tick can be postponed past the set like a step of another canister. Under liveness the
/// tick's fairness class is reported as enabled in the reduced state (a left-out step), and
/// since no step of *c* changes whether the clock may tick, moving *c*'s steps forward keeps
/// every run's tick class enabled and disabled as before (the LF/LQ argument is unchanged).
extension PartialOrderReduction {
    /// Whether the steps of `canister` in `state` commute with every tick that can come before
    /// them (see above).
    func isClockFree(
        _ canister: CanisterId, in state: ICState, successors: [(action: ICAction, concrete: ICState, stored: ICState)],
        owners: [CanisterId?]
    ) -> Bool {
        guard !eagerSchedule, !(monitorStepsAreVisible && state.monitors.isVisible(.tick)) else { return false }
        if let timer = state[canister: canister].globalTimer, timer > state.now { return false }
        if checksLiveness || !expiresEarly {
            for callback in state.openCallbacks where callback.call.caller == canister && mayExpireLater(callback, in: state) { return false }
        }
        let firstNewCall = state[canister: canister].nextCallSequence
        for (index, successor) in successors.enumerated() where owners[index] == canister {
            let next = successor.concrete
            if next[canister: canister].globalTimer != state[canister: canister].globalTimer { return false }
            let madeDeadline = next.openCallbacks.contains {
                $0.call.caller == canister && $0.call.sequence >= firstNewCall && $0.deadline != nil
            }
            if madeDeadline { return false }
        }
        return true
    }

    /// Whether a tick may make `callback` expirable, or `callback` holds the clock back: it has a
    /// deadline, has not expired and has no SYS_UNKNOWN notice in flight.
    private func mayExpireLater(_ callback: Callback, in state: ICState) -> Bool {
        guard callback.deadline != nil, !callback.expired else { return false }
        return !state.responses.contains { $0.call == callback.call && $0.isSystemNotice }
    }
}
