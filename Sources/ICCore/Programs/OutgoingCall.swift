import ModelChecking

/// A call a message execution performed (`ic0.call_perform` returned 0). It is enqueued only if
/// the execution returns without trapping.
public struct OutgoingCall: Hashable, Sendable, Encodable, Fingerprintable {
    public let callee: CanisterId
    public let method: String
    public let arguments: Payload
    /// The payload size in bytes; small guaranteed-response calls allow at most the configured
    /// limit (1 kB in the proposal).
    public let payloadBytes: Int
    public let cycles: Cycles
    public let kind: CallKind
    /// The best-effort timeout in seconds the program asked for (`ic0.call_with_best_effort_response`);
    /// the system turns it into a deadline, clamped to its `MAX_CALL_TIMEOUT`. `nil` for guaranteed calls.
    public let timeout: Time?
    public let continuation: AnyContinuation
    /// Whether a cleanup handler runs if the callback traps.
    public let hasCleanup: Bool

    public init(
        callee: CanisterId, method: String, arguments: Payload, payloadBytes: Int, cycles: Cycles,
        kind: CallKind, timeout: Time?, continuation: AnyContinuation, hasCleanup: Bool
    ) {
        self.callee = callee
        self.method = method
        self.arguments = arguments
        self.payloadBytes = payloadBytes
        self.cycles = cycles
        self.kind = kind
        self.timeout = timeout
        self.continuation = continuation
        self.hasCleanup = hasCleanup
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(callee)
        hasher.combine(method)
        hasher.combine(arguments)
        hasher.combine(payloadBytes)
        hasher.combine(cycles)
        hasher.combine(kind)
        hasher.combine(timeout)
        hasher.combine(continuation)
        hasher.combine(hasCleanup)
    }
}

/// Why `ic0.call_perform` failed synchronously. No callback will ever run for such a call (B11).
public enum SyncCallError: String, Hashable, Sendable, Codable, CaseIterable, Fingerprintable {
    /// The request queue to the callee (with its response-slot reservations) is full.
    case queueFull
    /// The caller's quota of in-flight small guaranteed-response messages is used up.
    case quotaExhausted
    /// The payload exceeds the limit of its call kind.
    case payloadTooLarge
    /// The caller cannot pay the attached cycles.
    case insufficientCycles
    /// The system refused the call for another reason (memory pressure); a fault switch.
    case systemRefused

    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(rawValue) }
}

/// The result of performing a call inside an execution.
public enum CallPerformResult: Hashable, Sendable {
    case performed
    case failed(SyncCallError)

    public var succeeded: Bool { self == .performed }
}
