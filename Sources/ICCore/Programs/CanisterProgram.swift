import ModelChecking

/// The state a canister program keeps between message executions (its heap).
///
/// `Codable` because traces show it and replay compares it; `Fingerprintable` because it is part
/// of the model's state (a `Codable` type gets a fingerprint for free from ModelChecking's
/// encoder-based default; write `fingerprint(into:)` by hand only for speed).
public typealias CanisterState = Hashable & Sendable & Codable & Fingerprintable

/// What the code after an `await` needs: on the IC each `await` ends one message execution and
/// the callback runs later as a new one, so the continuation is a value, named by the program.
public typealias ContinuationValue = Hashable & Sendable & Codable & Fingerprintable

/// A canister program: the code a user plugs into the model and the executor.
///
/// Each handler is one atomic message execution (property P1). It reads and changes
/// `execution.state`, may call other canisters (each call names the continuation that handles
/// its response), reply or reject, accept cycles, choose nondeterministically, or trap by
/// throwing: a trap discards every effect of that execution (P5).
public protocol CanisterProgram: Sendable {
    associatedtype State: CanisterState
    associatedtype Continuation: ContinuationValue

    /// A short name for reports, e.g. "ledger".
    var name: String { get }

    /// The state right after installation.
    var initialState: State { get }

    /// Executes an update method call up to its first `await`.
    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws

    /// Executes the callback of an earlier call: the code after that call's `await`.
    func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws

    /// Runs when the callback of a call made with `cleanup: true` traps, on the state from before
    /// the callback (`ic0.call_on_cleanup`). It may change state but not call, reply or reject.
    func cleanup(after continuation: Continuation, in execution: inout Execution<State, Continuation>) throws

    /// The canisters this program may call besides itself, or `nil` (the default): anyone.
    /// Partial-order reduction (`icmc check --por`) needs to know who can send to a canister
    /// before it may postpone that canister's steps; around a canister that anyone may call it
    /// postpones nothing unless every other canister's queue to it is non-empty. A reduced
    /// search reports a call outside the declaration as an error.
    var callees: Set<CanisterId>? { get }

    /// Whether the program exports `canister_heartbeat`: the system then runs
    /// `handleSystemTask(.heartbeat, …)` while the canister is running. Default: `false`.
    var exportsHeartbeat: Bool { get }

    /// Runs a system task (`canister_heartbeat` or `canister_global_timer`): no caller, no cycles
    /// to accept, nothing to reply to (replying traps); it may change state, set the timer and
    /// make calls, whose callbacks run in the task's own call context. Default: nothing.
    func handleSystemTask(_ task: SystemTask, in execution: inout Execution<State, Continuation>) throws

    /// `canister_pre_upgrade`: runs on the old code when a controller upgrades the canister and
    /// turns the state into what survives the upgrade. A trap aborts the upgrade: the old code
    /// keeps running with its old state. It may not call, reply or reject. Default: nothing.
    func preUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws

    /// `canister_post_upgrade`: runs on the new code after `preUpgrade`. A trap aborts the whole
    /// upgrade too (install_code is atomic). Default: nothing.
    func postUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws
}

extension CanisterProgram {
    public func cleanup(after continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {}
    public func preUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws {}
    public var exportsHeartbeat: Bool { false }
    public var callees: Set<CanisterId>? { nil }
    public func handleSystemTask(_ task: SystemTask, in execution: inout Execution<State, Continuation>) throws {}
    public func postUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws {}
}

/// An update method invocation as the callee sees it.
public struct IncomingCall: Hashable, Sendable, Codable {
    public let method: String
    public let arguments: Payload
    public let caller: Caller

    public init(method: String, arguments: Payload, caller: Caller) {
        self.method = method
        self.arguments = arguments
        self.caller = caller
    }

    /// The arguments as `type`, or a trap when they are not (as a CDK traps when the arguments
    /// do not decode as the method's parameter types).
    @inlinable  // specialised for the program's type: generic, `Value?` cost a metadata lookup per call
    public func arguments<Value: PayloadValue>(as type: Value.Type) throws -> Value {
        guard let value = arguments.as(type) else {
            throw CanisterTrap("\(method): the arguments (\(arguments)) are not a \(Value.self)")
        }
        return value
    }
}

/// A trap: the message execution fails and all its effects are discarded.
public struct CanisterTrap: Error, Hashable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
