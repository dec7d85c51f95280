import ICCore
import ICSpec
import ModelChecking

/// Counts the executions a canister runs while it is stopping: a safety form of "instant stop
/// stops within a bounded number of the canister's own executions" (an `ICMonitor`, since
/// programs cannot see their own status).
public struct ExecutionsWhileStoppingMonitor: IdentityFreeMonitor {
    /// The canister watched: a constant the property names in `mentions`.
    public let canister: CanisterId
    /// Executions of `canister` (callbacks, methods, system tasks) begun while it was stopping.
    public private(set) var executions = 0

    public init(canister: CanisterId) { self.canister = canister }

    public func mayChange(on action: ICAction) -> Bool { action.executingCanister == canister }

    public mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
        guard case .stopping = before.status(of: canister), action.executingCanister == canister else { return }
        executions += 1
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(canister)
        hasher.combine(executions)
    }
}

extension ScalableMessagingSpecs {
    /// "C0 runs at most `bound` executions after it starts stopping".
    static func executionsWhileStopping(atMost bound: Int) -> ICProperty {
        ICProperty(
            name: "bounded-executions-while-stopping",
            statement: "Once C0 starts stopping, it runs at most \(bound) more execution(s) of its own.",
            mentions: .only([0]), observesContextRemoval: false, monitor: ExecutionsWhileStoppingMonitor(canister: 0)
        ) { _, monitor in
            monitor.executions <= bound
        }
    }

    /// S9: instant stop bounds the stopping canister's own work; the IC's stop does not.
    static var instantStopBoundSpecs: [Spec] {
        let caller = StoppableCaller(callee: 1, kind: .bestEffort, maxRetries: nil)
        let environment = "Environment: no faults; the callee C1 never answers; the user call and the controller's stop happen before the clock first ticks, and the clock ticks only when no system step is enabled. Checked form: safety, with a monitor counting C0's executions (callbacks, methods, system tasks) that begin while C0 is stopping (`ExecutionsWhileStoppingMonitor`); the property keeps no call history. Bounds: clock up to 3 s, timeout 1 s."
        return [
            Spec(
                name: "S9-instant-stop-bounded-executions",
                summary: "In instant-stop mode a stopping canister runs at most one more execution, whatever its callee does.",
                details: "Claim (the forum's instant-stop proposal, `CanisterSetup.instantStop`): once a canister in instant-stop mode starts stopping, it runs at most one more execution of its own: the callback of its outstanding best-effort call, which gets SYS_UNKNOWN at once; its retry's `call_perform` fails, so it gives up and stops. C0 retries timed-out calls without limit. \(environment) Expected: holds (S9-stop-without-instant-mode-unbounded, the same canister without the mode: violated).",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: instantStop(stopConfiguration(caller, maxTime: 3)),
                properties: [executionsWhileStopping(atMost: 1)], silentCanisters: [1], eagerSchedule: true, expectation: .holds),
            Spec(
                name: "S9-stop-without-instant-mode-unbounded",
                summary: "Without instant stop, a stopping canister that retries runs one more execution per timed-out retry.",
                details: "Claim refuted: 'a stopping canister soon stops running code'. Without instant stop, C0's outstanding best-effort call times out while C0 is stopping, its callback runs and retries, and every retry times out again: one execution per retry for as long as the clock runs (S4-retry-forever-cannot-stop is the liveness form). \(environment) Expected: violated (bounded-executions-while-stopping): a second execution after the stop.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort],
                configuration: stopConfiguration(caller, maxTime: 3),
                properties: [executionsWhileStopping(atMost: 1)], silentCanisters: [1], eagerSchedule: true,
                expectation: .violated(property: "bounded-executions-while-stopping")),
        ]
    }
}
