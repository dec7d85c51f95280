import ICCore
import ICSpec

/// B2 and B11: a canister that takes a lock before calling out and releases it in the callback.
/// The lock leaks if the callback traps (B2, fixed by a cleanup handler) or if the call fails
/// synchronously and no callback will ever run (B11, fixed by releasing it on failure).
public struct LockingService: CanisterProgram {
    public struct State: CanisterState {
        public var locked = false
        public var completed = 0
    }

    public enum Continuation: ContinuationValue { case done }

    public let callee: CanisterId
    public var callees: Set<CanisterId>? { [callee] }
    /// Register a cleanup handler that releases the lock (the B2 fix).
    public let cleanupReleases: Bool
    /// Release the lock when `call_perform` fails (the B11 fix).
    public let releaseOnSyncFailure: Bool
    /// The callback's bug: it traps on a reject (e.g. an `unwrap` of the result).
    public let callbackTrapsOnReject: Bool

    public var name: String { "locking-service" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        if execution.state.locked {
            try execution.reject("busy")
            return
        }
        execution.state.locked = true
        let result = try execution.call(callee, "work", then: .done, cleanup: cleanupReleases)
        if !result.succeeded {
            if releaseOnSyncFailure { execution.state.locked = false }
            try execution.reject("call failed")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        execution.state.locked = false
        if !response.isReply, callbackTrapsOnReject { try execution.trap("unexpected reject") }
        execution.state.completed += 1
        if response.isReply { try execution.reply() } else { try execution.reject("failed") }
    }

    public func cleanup(after continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {
        execution.state.locked = false
    }
}

enum B02 {
    /// The lock is held only while a call that will release it is outstanding.
    static let lockReleased = ICProperty(
        name: "lock-released", statement: "Whenever C0 holds its lock, C0 has a call outstanding whose callback will release it."
    , observes: .none, observesContextRemoval: false, reads: .canisters(fields: [0], callbacks: [0])) { view in
        guard let state = view.programState(of: 0, as: LockingService.State.self) else { return false }
        return !state.locked || !view.openCallbacks(of: 0).isEmpty
    }

    static func configuration(_ program: LockingService, faults: FaultSwitches) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(program), CanisterSetup(ServerProgram(mayReject: true, choosesAcceptance: false))],
            ingress: [IngressMessage(to: 0, "op"), IngressMessage(to: 0, "op")], faults: faults)
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B2-lock-after-trap", callKinds: [.guaranteed], properties: [lockReleased], violates: "lock-released",
            buggy: .init(
                summary: "A trapping callback rolls back its own lock release: the lock is held forever.",
                details: "Bug B2. C0 takes a lock, calls C1, and releases the lock in the callback, which then traps on a reject. The trap discards the whole callback execution (P5), including the release: the lock stays taken with no call outstanding, and every later request is refused. Claim: the lock is held only while a call that will release it is outstanding. No faults (C1 may reject by itself); two requests. Expected: violated (lock-released).",
                configuration: configuration(
                    LockingService(callee: 1, cleanupReleases: false, releaseOnSyncFailure: true, callbackTrapsOnReject: true), faults: .benign)),
            fixed: .init(
                summary: "A cleanup handler (ic0.call_on_cleanup) releases the lock when the callback traps.",
                details: "Fix of B2: the call registers a cleanup handler that releases the lock; it runs on the pre-callback state when the callback traps. Claim: the lock is held only while a call is outstanding. Environment: no faults besides C1's own rejects (an injected trap in the cleanup handler itself would leak the lock again: the IC gives no further chance). Bounds: two requests. Expected: holds.",
                configuration: configuration(
                    LockingService(callee: 1, cleanupReleases: true, releaseOnSyncFailure: true, callbackTrapsOnReject: true), faults: .benign))
        ) + Spec.bugPattern(
            "B11-sync-failure-leak", callKinds: [.guaranteed], properties: [lockReleased], violates: "lock-released",
            buggy: .init(
                summary: "A call that fails synchronously has no callback: a lock taken before it leaks.",
                details: "Bug B11. C0 takes a lock and calls C1; when `call_perform` fails synchronously (queue full, memory pressure), no callback will ever run, but the code only releases the lock in the callback. Claim: the lock is held only while a call is outstanding. Environment: synchronous call failures on. Bounds: two requests. Expected: violated (lock-released).",
                configuration: configuration(
                    LockingService(callee: 1, cleanupReleases: false, releaseOnSyncFailure: false, callbackTrapsOnReject: false),
                    faults: FaultSwitches(syncCallFailures: true))),
            fixed: .init(
                summary: "Release the lock when call_perform fails: no callback will do it.",
                details: "Fix of B11: on a synchronous call failure C0 releases the lock before rejecting the user. Claim: the lock is held only while a call is outstanding. Environment: synchronous call failures and spontaneous rejects on. Bounds: two requests. Expected: holds.",
                configuration: configuration(
                    LockingService(callee: 1, cleanupReleases: false, releaseOnSyncFailure: true, callbackTrapsOnReject: false),
                    faults: FaultSwitches(spontaneousRejects: true, syncCallFailures: true)))
        )
    }
}
