import ICCore

/// One canister as the executor keeps it: lifecycle, cycles, heap, and its queues per peer.
struct CanisterRecord: Hashable, Sendable {
    var status: CanisterStatus = .running
    var balance: Cycles
    var programState: AnyCanisterState
    /// 0 at installation, +1 per upgrade, `nil` once uninstalled.
    var codeVersion: Int? = 0
    /// The sequence number the next performed call gets (`CallId.sequence`).
    var nextCallSequence = 0
    /// `global_timer` (`nil` for 0: inactive).
    var globalTimer: Time?
    /// Heartbeats and timer firings run so far (bounded by `CanisterSetup.maxSystemTasks`).
    var systemTasksRun = 0
    /// Messages this canister sent, per receiver, not yet routed (oldest first).
    var outputQueues: [CanisterId: [QueuedMessage]] = [:]
    /// Messages routed to this canister, per sender, not yet consumed (oldest first).
    var inputQueues: [CanisterId: [QueuedMessage]] = [:]

    var isInstalled: Bool { codeVersion != nil }
}

/// A call context (T3): created when a request starts executing.
struct CallContext: Hashable, Sendable {
    let canister: CanisterId
    var needsToRespond = true
    var deleted = false
    var availableCycles: Cycles
    /// The best-effort deadline of the call that created it (`ic0.msg_deadline`).
    let deadline: Time?
    /// The kind of the call that created it; `nil` for ingress and system tasks.
    var kind: CallKind? = nil
}

/// An open callback: a performed call whose response the caller has not yet consumed.
struct Callback: Hashable, Sendable {
    /// The caller's context the call was made in.
    let context: ContextId
    let callee: CanisterId
    let kind: CallKind
    let deadline: Time?
    let continuation: AnyContinuation
    let hasCleanup: Bool
    /// Expired (T7) or its real response shed: only the system's SYS_UNKNOWN can reach it.
    var expired = false
}
