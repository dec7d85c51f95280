/// The continuation of a one-way call (`Execution.notify`): no code of the caller handles its
/// response. Not a program's type, so no program can mistake it for one of its own.
struct OneWayContinuation: ContinuationValue {}

extension AnyContinuation {
    /// The continuation every one-way call carries (one value, its fingerprint computed once).
    @usableFromInline static let oneWay = AnyContinuation(OneWayContinuation())

    /// Whether this is the continuation of a one-way call.
    public var isOneWay: Bool { cachedFingerprint == Self.oneWay.cachedFingerprint && base is OneWayContinuation }

    /// Why the arrival of a one-way call's response traps (as the CDKs' invalid callback does).
    @usableFromInline static let oneWayTrap = "one-way call: the response has no callback"
}
