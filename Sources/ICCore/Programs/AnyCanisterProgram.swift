import ModelChecking

/// Where a message execution enters the program.
public enum EntryPoint: Hashable, Sendable {
    /// An update method call (ingress or inter-canister).
    case method(IncomingCall)
    /// The callback of an earlier call, with the response.
    case callback(Response, AnyContinuation)
    /// The cleanup handler after the callback of that continuation trapped.
    case cleanup(AnyContinuation)
    /// A heartbeat or the global timer (AB `Heartbeat`, `GlobalTimer`).
    case systemTask(SystemTask)
}

/// The effects of a message execution that returned (T4's `Return`).
public struct ExecutionEffects: Hashable, Sendable {
    public let state: AnyCanisterState
    public let calls: [OutgoingCall]
    public let response: Response?
    public let acceptedCycles: Cycles
    /// The global timer as the execution last set it (`ic0.global_timer_set`; 0 deactivates),
    /// or `nil` if it did not set it (AB `new_global_timer`).
    public let globalTimer: Time?
    /// The payload size of `response` in bytes (0 without a response).
    public let responseBytes: Int

    public init(
        state: AnyCanisterState, calls: [OutgoingCall], response: Response?, acceptedCycles: Cycles, globalTimer: Time? = nil,
        responseBytes: Int = 0
    ) {
        self.responseBytes = responseBytes
        self.state = state
        self.calls = calls
        self.response = response
        self.acceptedCycles = acceptedCycles
        self.globalTimer = globalTimer
    }
}

/// How a message execution ended.
public enum ExecutionOutcome: Hashable, Sendable {
    case returned(ExecutionEffects)
    /// The execution trapped: the runtime discards every effect (P5).
    case trapped(String)
}

/// A canister program with its types erased: what the model and the executor run.
public struct AnyCanisterProgram: Sendable {
    /// Every field in one immutable box: the model copies a canister's program for every
    /// message execution it explores (into the execution's closures, out of the configuration),
    /// and a copy of six reference-counted fields cost six reference counts in and out; a box
    /// costs one.
    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let name: String
        @usableFromInline let initialState: AnyCanisterState
        @usableFromInline let exportsHeartbeat: Bool
        @usableFromInline let callees: Set<CanisterId>?
        @usableFromInline let run: @Sendable (EntryPoint, AnyCanisterState, ExecutionContext, ExecutionRuntime) -> ExecutionOutcome
        @usableFromInline let runUpgradeHook: @Sendable (_ pre: Bool, AnyCanisterState, UpgradeInfo) -> UpgradeOutcome
        @usableFromInline let stateType: ObjectIdentifier
        @usableFromInline let continuationType: ObjectIdentifier

        @usableFromInline
        init(
            name: String, initialState: AnyCanisterState, exportsHeartbeat: Bool, callees: Set<CanisterId>?,
            run: @escaping @Sendable (EntryPoint, AnyCanisterState, ExecutionContext, ExecutionRuntime) -> ExecutionOutcome,
            runUpgradeHook: @escaping @Sendable (_ pre: Bool, AnyCanisterState, UpgradeInfo) -> UpgradeOutcome,
            stateType: ObjectIdentifier, continuationType: ObjectIdentifier
        ) {
            self.name = name
            self.initialState = initialState
            self.exportsHeartbeat = exportsHeartbeat
            self.callees = callees
            self.run = run
            self.runUpgradeHook = runUpgradeHook
            self.stateType = stateType
            self.continuationType = continuationType
        }
    }

    @usableFromInline let storage: Storage

    public var name: String { storage.name }
    public var initialState: AnyCanisterState { storage.initialState }
    /// Whether the program exports `canister_heartbeat`.
    public var exportsHeartbeat: Bool { storage.exportsHeartbeat }
    /// The canisters the program may call (`CanisterProgram.callees`); `nil`: anyone.
    public var callees: Set<CanisterId>? { storage.callees }
    /// The program's state and continuation types: a program can replace another on upgrade only
    /// if both match (stable memory and the outstanding callbacks carry over).
    public var stateType: ObjectIdentifier { storage.stateType }
    public var continuationType: ObjectIdentifier { storage.continuationType }

    /// Inlinable, so that the erased closure is specialised for `P` in the module that builds
    /// the program: it runs on every message execution the checker explores.
    @inlinable
    public init<P: CanisterProgram>(_ program: P) {
        let states = Self.memo(of: P.State.self)
        let continuations = Self.memo(of: P.Continuation.self)
        let runUpgradeHook: @Sendable (_ pre: Bool, AnyCanisterState, UpgradeInfo) -> UpgradeOutcome = { pre, state, upgrade in
            guard var typed = state.as(P.State.self) else { Self.mismatch("state", of: type(of: state.base), program: program.name) }
            do {
                if pre { try program.preUpgrade(upgrade, state: &typed) } else { try program.postUpgrade(upgrade, state: &typed) }
            } catch let trap as CanisterTrap {
                return .trapped(trap.message)
            } catch {
                return .trapped(String(describing: error))
            }
            return .upgraded(AnyCanisterState(typed, fingerprint: states.fingerprint(of: typed)))
        }
        let run: @Sendable (EntryPoint, AnyCanisterState, ExecutionContext, ExecutionRuntime) -> ExecutionOutcome = {
            entry, state, context, runtime in
            // The response of a one-way call has no callback: its arrival traps, no code runs.
            if case .callback(_, let continuation) = entry, continuation.isOneWay { return .trapped(AnyContinuation.oneWayTrap) }
            guard let typed = state.as(P.State.self) else { Self.mismatch("state", of: type(of: state.base), program: program.name) }
            var execution = Execution<P.State, P.Continuation>(
                state: typed, context: context, runtime: runtime, continuationMemo: continuations)
            do {
                switch entry {
                case .method(let call):
                    try program.handleCall(call, in: &execution)
                case .callback(let response, let continuation):
                    guard let typedContinuation = continuation.as(P.Continuation.self) else {
                        Self.mismatch("continuation", of: type(of: continuation.base), program: program.name)
                    }
                    try program.handleResponse(response, to: typedContinuation, in: &execution)
                case .cleanup(let continuation):
                    guard let typedContinuation = continuation.as(P.Continuation.self) else {
                        Self.mismatch("continuation", of: type(of: continuation.base), program: program.name)
                    }
                    try program.cleanup(after: typedContinuation, in: &execution)
                case .systemTask(let task):
                    try program.handleSystemTask(task, in: &execution)
                }
            } catch let trap as CanisterTrap {
                return .trapped(trap.message)
            } catch {
                return .trapped(String(describing: error))
            }
            return .returned(
                ExecutionEffects(
                    state: AnyCanisterState(execution.state, fingerprint: states.fingerprint(of: execution.state)),
                    calls: execution.calls,
                    response: execution.response, acceptedCycles: execution.acceptedCycles, globalTimer: execution.globalTimer,
                    responseBytes: execution.responseBytes
                )
            )
        }
        storage = Storage(
            name: program.name, initialState: AnyCanisterState(program.initialState), exportsHeartbeat: program.exportsHeartbeat,
            callees: program.callees, run: run, runUpgradeHook: runUpgradeHook, stateType: ObjectIdentifier(P.State.self),
            continuationType: ObjectIdentifier(P.Continuation.self))
    }

    /// A fresh memo: generic on purpose, never specialised, so that building a program (every
    /// program of the catalogue, at start-up) does not look `FingerprintMemo<Value>`'s metadata up
    /// by its mangled name, which scans every conformance record of the process per type (see
    /// `AnyProgramValue.makeStorage`).
    @usableFromInline @inline(never) @_semantics("optimize.sil.specialize.generic.never")
    static func memo<Value: Hashable & Sendable & Fingerprintable>(of type: Value.Type) -> FingerprintMemo<Value> {
        FingerprintMemo<Value>()
    }

    /// A value of another program's type reached this program: the model or the executor mixed
    /// up canisters. A bug of the checker, never a behaviour of the canister, so it stops the
    /// process instead of becoming a trap that the search would explore as a possible run.
    @usableFromInline static func mismatch(_ what: String, of type: Any.Type, program: String) -> Never {
        preconditionFailure("icmc bug: a \(what) of type \(type) was given to program \(program)")
    }

    /// Runs the upgrade hooks (`preUpgrade`, then `postUpgrade`) of this one program on `state`.
    /// Deterministic.
    public func upgrade(_ state: AnyCanisterState, _ info: UpgradeInfo) -> UpgradeOutcome {
        upgrade(state, info, to: self)
    }

    /// An upgrade to `newCode`: this program's `preUpgrade` (the old code), then `newCode`'s
    /// `postUpgrade`. Deterministic; a trap in either aborts the whole upgrade.
    public func upgrade(_ state: AnyCanisterState, _ info: UpgradeInfo, to newCode: AnyCanisterProgram) -> UpgradeOutcome {
        switch storage.runUpgradeHook(true, state, info) {
        case .upgraded(let kept): newCode.storage.runUpgradeHook(false, kept, info)
        case .trapped(let message): .trapped(message)
        }
    }

    /// Whether `newCode` can replace this program on upgrade: the same state type (stable memory
    /// carries over) and the same continuation type (the outstanding callbacks run on the new code).
    public func canBeUpgraded(to newCode: AnyCanisterProgram) -> Bool {
        stateType == newCode.stateType && continuationType == newCode.continuationType
    }

    /// Runs one message execution. Deterministic given the runtime's choices.
    public func execute(
        _ entry: EntryPoint, state: AnyCanisterState, context: ExecutionContext, runtime: ExecutionRuntime
    ) -> ExecutionOutcome {
        storage.run(entry, state, context, runtime)
    }
}
