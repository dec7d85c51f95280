import ModelChecking

/// One inter-canister call (and its callback): the caller and the caller's sequence number.
///
/// Numbered per caller, not globally, so that independent calls of different canisters get the
/// same ids in every interleaving (a global counter would multiply the state space). Both the
/// model and the executor number a canister's successfully performed calls 0, 1, 2, ... in the
/// order its executions perform them.
public struct CallId: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Fingerprintable {
    public let caller: CanisterId
    public let sequence: Int

    public init(caller: CanisterId, sequence: Int) {
        self.caller = caller
        self.sequence = sequence
    }

    public static func < (lhs: CallId, rhs: CallId) -> Bool {
        (lhs.caller, lhs.sequence) < (rhs.caller, rhs.sequence)
    }

    public var description: String { "\(caller)#\(sequence)" }

    // Inlinable: the IC model fingerprints every context's and canister's ids for every changed
    // component, and the calls across the module boundary were a sixth of that.
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(caller.index)
        hasher.combine(sequence)
    }
}

/// A call context: created when a request (ingress or inter-canister) starts executing.
public enum ContextId: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Fingerprintable {
    /// The context of the ingress message at this slot of the configuration's ingress list.
    case ingress(slot: Int)
    /// The context created by the inter-canister call with this id.
    case call(CallId)
    /// The context of a system task (heartbeat or global timer, AB `FromSystemTask`): the
    /// `sequence`-th system task of `canister`. It never needs a response.
    case systemTask(canister: CanisterId, sequence: Int)

    public var description: String {
        switch self {
        case .ingress(let slot): "ingress#\(slot)"
        case .call(let id): "ctx(\(id))"
        case .systemTask(let canister, let sequence): "task(\(canister)#\(sequence))"
        }
    }

    /// Ingress contexts first, then system tasks, then calls.
    private var rank: Int {
        switch self {
        case .ingress: 0
        case .systemTask: 1
        case .call: 2
        }
    }

    public static func < (lhs: ContextId, rhs: ContextId) -> Bool {
        switch (lhs, rhs) {
        case (.ingress(let a), .ingress(let b)): a < b
        case (.call(let a), .call(let b)): a < b
        case (.systemTask(let a, let x), .systemTask(let b, let y)): (a, x) < (b, y)
        default: lhs.rank < rhs.rank
        }
    }

    // Inlinable: the IC model fingerprints every context's and canister's ids for every changed
    // component, and the calls across the module boundary were a sixth of that.
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        switch self {
        case .ingress(let slot):
            hasher.combine(UInt64(0))
            hasher.combine(slot)
        case .call(let id):
            hasher.combine(UInt64(1))
            hasher.combine(id)
        case .systemTask(let canister, let sequence):
            hasher.combine(UInt64(2))
            hasher.combine(canister)
            hasher.combine(sequence)
        }
    }
}

/// Who made a call, as seen by the callee (`ic0.msg_caller`).
public enum Caller: Hashable, Sendable, Codable, CustomStringConvertible, Fingerprintable {
    /// A user, through an ingress message (the slot in the configuration's ingress list).
    case user(slot: Int)
    case canister(CanisterId)

    public var description: String {
        switch self {
        case .user(let slot): "user(ingress#\(slot))"
        case .canister(let id): "\(id)"
        }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        switch self {
        case .user(let slot):
            hasher.combine(UInt64(0))
            hasher.combine(slot)
        case .canister(let id):
            hasher.combine(UInt64(1))
            hasher.combine(id)
        }
    }
}

/// A canister's lifecycle status (T13). `stopping` carries the pending stop requests (counted:
/// the model's controller is the environment, and each request is answered when the canister
/// stops or the request times out).
public enum CanisterStatus: Hashable, Sendable, Codable, CustomStringConvertible, Fingerprintable {
    case running
    case stopping(pendingStopRequests: Int)
    case stopped

    public var description: String {
        switch self {
        case .running: "running"
        case .stopping(let count): "stopping(\(count))"
        case .stopped: "stopped"
        }
    }

    public var isRunning: Bool { self == .running }

    // Inlinable: the IC model fingerprints every context's and canister's ids for every changed
    // component, and the calls across the module boundary were a sixth of that.
    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) {
        switch self {
        case .running: hasher.combine(UInt64(0))
        case .stopping(let count):
            hasher.combine(UInt64(1))
            hasher.combine(count)
        case .stopped: hasher.combine(UInt64(2))
        }
    }
}
