/// A bounded IC system together with the claims made about it: the configuration, the safety
/// properties and the liveness properties, under the name (and parameter values) that built it.
///
/// One value, so that every consumer of a spec (the checker, the reference executor's replay and
/// simulation) receives the same thing, and a trace can record where it came from: the name and
/// the parameters are written to a trace's `#meta` so that `icmc replay` rebuilds this model.
public struct ICModel: Sendable {
    /// The spec name, e.g. "B4-retry-without-dedup-buggy"; traces carry it as `#meta.spec`.
    public var name: String
    /// The parameter values the model was built with (`#meta.parameters`); empty when the spec
    /// has no parameters.
    public var parameters: [String: Int]
    public var configuration: SystemConfiguration
    /// Safety properties, judged in every state.
    public var properties: [ICProperty]
    /// Liveness properties, judged on runs under weak fairness of the system's own steps.
    public var livenessProperties: [ICLivenessProperty]
    /// Whether the claims are made with relative time: the clock is unbounded (the
    /// configuration's `maxTime` does not apply) and nothing reads a time except against another
    /// (deadlines against now), so two states that differ by a shift of every time are alike:
    /// replay accepts a lasso that closes up to such a shift.
    public var relativeTime: Bool

    public init(
        name: String, parameters: [String: Int] = [:], configuration: SystemConfiguration,
        properties: [ICProperty] = [], livenessProperties: [ICLivenessProperty] = [], relativeTime: Bool = false
    ) {
        self.relativeTime = relativeTime
        self.name = name
        self.parameters = parameters
        self.configuration = configuration
        self.properties = properties
        self.livenessProperties = livenessProperties
    }

    /// Every property name, safety first.
    public var propertyNames: [String] { properties.map(\.name) + livenessProperties.map(\.name) }
}
