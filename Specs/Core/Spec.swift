import ICCore

/// A checked specification: a bounded IC system, the properties to check on it, and the verdict
/// the library expects. The unit of `icmc check`, `icmc list`, replay and simulation.
public struct Spec: Sendable {
    /// What the library expects the checker to find.
    public enum Expectation: Sendable, Equatable, CustomStringConvertible {
        /// Every property holds within the bounds.
        case holds
        /// The named property is violated; the checker must produce a shortest trace.
        case violated(property: String)

        public var description: String {
            switch self {
            case .holds: "holds"
            case .violated(let property): "violated (\(property))"
            }
        }
    }

    /// Where the spec belongs in the library (and in the guarantees document).
    public enum Category: String, Sendable, CaseIterable, Codable {
        case messageProperty = "IC message-execution properties"
        case scalableMessagingClaim = "Scalable messaging claims"
        case bugPattern = "Bug patterns"
        case application = "Applications"
    }

    /// A stable identifier, e.g. "P3-request-order" or "B1-reentrancy-buggy".
    public let name: String
    /// One line a canister developer understands.
    public let summary: String
    /// What is claimed, under which environment and bounds, and what the verdict means.
    public let details: String
    public let category: Category
    /// The call kinds the spec is about (a column of the guarantees matrix).
    public let callKinds: [CallKind]
    public let configuration: SystemConfiguration
    /// Safety properties, checked in every reachable state.
    public let properties: [ICProperty]
    public let expectation: Expectation
    /// Exploration bounds (nil: unbounded, relying on the configuration's finiteness).
    public let maxDepth: Int?
    public let maxStates: Int?

    public init(
        name: String, summary: String, details: String, category: Category, callKinds: [CallKind],
        configuration: SystemConfiguration, properties: [ICProperty], expectation: Expectation,
        maxDepth: Int? = nil, maxStates: Int? = 2_000_000
    ) {
        self.name = name
        self.summary = summary
        self.details = details
        self.category = category
        self.callKinds = callKinds
        self.configuration = configuration
        self.properties = properties
        self.expectation = expectation
        self.maxDepth = maxDepth
        self.maxStates = maxStates
    }
}
