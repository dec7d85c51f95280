/// Deliberately broken variants of the semantics, for testing that each property can fail.
public enum SemanticsMutation: String, Hashable, Sendable, CaseIterable, Codable {
    /// A response can be delivered only if no older call of the same caller→callee pair still
    /// awaits its response (the IC does not order responses; catches: "responses-unordered").
    case responsesInSendOrder
    /// Expiry (SYS_UNKNOWN) is allowed on guaranteed-response calls too (catches: P8).
    case sysUnknownOnGuaranteed
    /// Refunds are not credited to the caller on delivery (catches: P10, conservation).
    case refundNotReturned
    /// A trapped execution keeps its state change. Applies to injected traps (the model cannot
    /// observe the state of a program that throws); calls, response and accepted cycles are still
    /// discarded (catches: application invariants over P5, e.g. the counter test).
    case keepTrappedState
    /// A delivered request stays at the head of its queue once and is executed a second time
    /// (only the state change of the second execution is kept; catches: P6, P1).
    case executeRequestTwice
    /// An upgrade ignores the program's hooks: it always succeeds and keeps the state as it was
    /// (the model before issue 11; catches: the differential test, `upgrades-succeed`).
    case upgradeIgnoresHooks
}
