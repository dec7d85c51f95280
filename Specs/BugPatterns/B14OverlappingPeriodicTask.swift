import ICCore
import ICSpec

/// B14: a periodic task that calls another canister. A heartbeat (or a timer re-armed before the
/// call) runs again while the previous run still awaits its response, so jobs overlap; re-arming
/// a one-shot timer in the callback runs one job at a time.
public struct PeriodicJob: CanisterProgram {
    public struct State: CanisterState {
        /// Jobs whose responses arrived.
        public var completed = 0
    }
    public enum Continuation: ContinuationValue { case job }

    public let callee: CanisterId
    public var callees: Set<CanisterId>? { [callee] }
    /// `true`: the job runs from `canister_heartbeat`; `false`: from the global timer, armed by
    /// `start` and re-armed in the job's callback.
    public let usesHeartbeat: Bool

    public init(callee: CanisterId, usesHeartbeat: Bool) {
        self.callee = callee
        self.usesHeartbeat = usesHeartbeat
    }

    public var name: String { usesHeartbeat ? "heartbeat-job" : "timer-job" }
    public var initialState: State { State() }
    public var exportsHeartbeat: Bool { usesHeartbeat }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        if !usesHeartbeat { execution.setTimer(after: 1) }
        try execution.reply()
    }

    public func handleSystemTask(_ task: SystemTask, in execution: inout Execution<State, Continuation>) throws {
        _ = try execution.call(callee, "work", then: .job)
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        execution.state.completed += 1
        if !usesHeartbeat { execution.setTimer(after: 1) }
    }
}

enum B14 {
    static let noOverlap = ICProperty(
        name: "jobs-do-not-overlap", statement: "C0 awaits at most one job call at a time.",
        observes: .none, mentions: .only([0]), observesContextRemoval: false, reads: .canisters(fields: [], callbacks: [0])
    ) { view in view.openCallbacks(of: 0).count <= 1 }

    static func configuration(usesHeartbeat: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(PeriodicJob(callee: 1, usesHeartbeat: usesHeartbeat), maxSystemTasks: 2),
                CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false)),
            ],
            ingress: [IngressMessage(to: 0, "start")], limits: MessagingLimits(maxTime: 3))
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B14-overlapping-periodic-task", callKinds: [.guaranteed], properties: [noOverlap], violates: "jobs-do-not-overlap",
            buggy: .init(
                summary: "A heartbeat that calls another canister runs again while the last call still awaits its response.",
                details: "Bug B14 (AB `Heartbeat`; the IC's timers guide: guard against overlapping runs). C0's `canister_heartbeat` calls C1 (guaranteed) on every beat, with no guard: a heartbeat is a system task with its own call context, and the next one runs whether or not the previous call was answered. Claim: C0 awaits at most one job call at a time. Bounds: 2 system tasks for C0, clock up to 3 s. Environment: no faults. Expected: violated (jobs-do-not-overlap).",
                configuration: configuration(usesHeartbeat: true)),
            fixed: .init(
                summary: "Re-arm a one-shot global timer in the job's callback: the next job starts only after the last one ended.",
                details: "Fix of B14: `start` arms C0's global timer (`ic0.global_timer_set`, 1 s ahead); the timer task calls C1 and the callback re-arms the timer. A timer fires once and is deactivated, so a job starts only after the previous one's response. Claim: C0 awaits at most one job call at a time. Bounds: 2 system tasks for C0, clock up to 3 s. Environment: no faults. Expected: holds.",
                configuration: configuration(usesHeartbeat: false))
        )
    }
}
