import ICCore

/// A canister that calls one callee (of a chosen kind, timeout 1 s) and retries on SYS_UNKNOWN
/// up to `maxRetries` times (`nil`: for ever). Used by the stopping claims.
public struct StoppableCaller: CanisterProgram {
    public struct State: CanisterState {
        public var attempts = 0
        public var done = false
    }

    public enum Continuation: ContinuationValue { case response }

    public let callee: CanisterId
    public let kind: CallKind
    public let maxRetries: Int?

    public var name: String { "caller(\(kind))" }
    public var initialState: State { State() }
    /// Declared for partial-order reduction (`icmc check --por`).
    public var callees: Set<CanisterId>? { [callee] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        try attempt(in: &execution)
    }

    private func attempt(in execution: inout Execution<State, Continuation>) throws {
        // Counted only when bounded: a caller that retries for ever keeps no count, so its
        // retry loop can be a cycle of the state graph.
        if maxRetries != nil { execution.state.attempts += 1 }
        let result = try execution.call(callee, "work", kind: kind, timeout: 1, then: .response)
        if !result.succeeded { try finish(with: false, in: &execution) }
    }

    private func finish(with success: Bool, in execution: inout Execution<State, Continuation>) throws {
        execution.state.done = true
        guard execution.context.needsToRespond else { return }
        if success { try execution.reply() } else { try execution.reject("gave up") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if response.rejectCode == .sysUnknown, maxRetries.map({ execution.state.attempts <= $0 }) ?? true {
            try attempt(in: &execution)
        } else {
            try finish(with: response.isReply, in: &execution)
        }
    }
}

/// Makes `count` small guaranteed-response calls to a callee and counts quota refusals: the
/// synchronous ones (its own outgoing quota) and the asynchronous SYS_TRANSIENT rejects (the
/// callee's incoming quota, enforced at the callee).
public struct SmallCaller: CanisterProgram {
    public struct State: CanisterState {
        public var performed = 0
        public var quotaRefusals = 0
        public var transientRejects = 0
    }

    public enum Continuation: ContinuationValue { case response }

    public var name: String { "small-caller" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let callee = CanisterId(try call.argument(0))
        for _ in 0 ..< (try call.argument(1)) {
            switch try execution.call(callee, "work", kind: .smallGuaranteed, payloadBytes: 100, then: .response) {
            case .performed: execution.state.performed += 1
            case .failed(.quotaExhausted): execution.state.quotaRefusals += 1
            case .failed: break
            }
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if response.rejectCode == .sysTransient { execution.state.transientRejects += 1 }
    }
}

/// A callee that answers every call at once with an empty reply and keeps no state: the
/// answers of `S4-retry-forever-cannot-stop` come from it (and may be lost on the way back).
public struct ReplyingServer: CanisterProgram {
    public struct State: CanisterState {}
    public enum Continuation: ContinuationValue { case none }

    public var name: String { "replying-server" }
    public var initialState: State { State() }
    /// Declared for partial-order reduction (`icmc check --por`).
    public var callees: Set<CanisterId>? { [] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        try execution.reply()
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}

/// A callee that holds each `work` call for a while, as a callee with downstream work does: it
/// calls its own `finish` (a guaranteed call) and replies to `work` when that call returns. The
/// call holds a unit of its incoming small-call quota until then.
public struct DeferringServer: CanisterProgram {
    public struct State: CanisterState {
        public var handled = 0
    }

    public enum Continuation: ContinuationValue { case finished }

    public var name: String { "deferring-server" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "work": try execution.call(execution.me, "finish", then: .finished)
        case "finish": try execution.reply()
        default: try execution.reject("no method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        execution.state.handled += 1
        try execution.reply()
    }
}
