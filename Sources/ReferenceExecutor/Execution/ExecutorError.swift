import ICCore

/// Why the executor could not perform a step as given: in replay, a divergence.
public enum ExecutorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The action is not enabled in the executor's state (e.g. no such request at the head).
    case notEnabled(ICAction, reason: String)
    /// The action's recorded choices do not fit the executions it runs.
    case choicesMismatch(ICAction, reason: String)

    public var description: String {
        switch self {
        case .notEnabled(let action, let reason): "\(action) is not enabled: \(reason)"
        case .choicesMismatch(let action, let reason): "\(action): choices do not fit: \(reason)"
        }
    }
}

/// Options that change the executor's behaviour. The defaults are the IC semantics; the rest
/// are deliberate deviations for tests (a replay against a deviating executor must diverge).
public struct ExecutorOptions: Sendable, Hashable {
    /// Subnet assignment; `nil`: every canister on its own subnet.
    public var layout: SubnetLayout?
    /// Test-only deviation: a caller's responses may only be consumed in the order it sent the
    /// calls (the IC does not promise this: bug pattern B10).
    public var responsesInSendOrderOnly: Bool
    /// Best-effort message memory per subnet, in payload bytes; over it the simulator sheds the
    /// largest best-effort message at the end of a round. `nil`: unlimited.
    public var bestEffortMemoryLimit: Int?
    /// Guaranteed-response memory per subnet, in payload bytes, reserved when a call is performed;
    /// a call that would exceed it fails synchronously (`systemRefused`). `nil`: unlimited.
    public var guaranteedMemoryLimit: Int?

    public init(
        layout: SubnetLayout? = nil, responsesInSendOrderOnly: Bool = false,
        bestEffortMemoryLimit: Int? = nil, guaranteedMemoryLimit: Int? = nil
    ) {
        self.layout = layout
        self.responsesInSendOrderOnly = responsesInSendOrderOnly
        self.bestEffortMemoryLimit = bestEffortMemoryLimit
        self.guaranteedMemoryLimit = guaranteedMemoryLimit
    }
}
