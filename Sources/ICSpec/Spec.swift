import ICCore

/// A checked specification: a bounded IC system, the properties to check on it, and the verdict
/// the library expects. The unit of `icmc check`, `icmc list`, replay and simulation.
public struct Spec: Sendable {
    /// What the library expects the checker to find.
    public enum Expectation: Sendable, Equatable, CustomStringConvertible {
        /// Every property holds within the bounds.
        case holds
        /// The named property is violated; the checker must produce a shortest trace (safety)
        /// or a fair lasso (liveness).
        case violated(property: String)

        public var description: String {
            switch self {
            case .holds: "holds"
            case .violated(let property): "violated (\(property))"
            }
        }

        /// The property expected to fail, if any.
        public var violatedProperty: String? {
            if case .violated(let name) = self { return name }
            return nil
        }
    }

    /// Where the spec belongs in the library (and in the guarantees document).
    public enum Category: String, Sendable, CaseIterable, Codable {
        case messageProperty = "IC message-execution properties"
        case scalableMessagingClaim = "Scalable messaging claims"
        case bugPattern = "Bug patterns"
        case application = "Applications"
        /// Workloads for measuring the checker, not guarantees: `icmc verify` leaves them out
        /// unless named with `--only`.
        case benchmark = "Benchmarks"
    }

    /// A stable identifier, e.g. "P3-request-order" or "B1-reentrancy-buggy".
    public var name: String
    /// One line a canister developer understands.
    public var summary: String
    /// What is claimed, under which environment and bounds, and what the verdict means.
    public var details: String
    public var category: Category
    /// The call kinds the spec is about (a column of the guarantees matrix).
    public var callKinds: [CallKind]
    public var configuration: SystemConfiguration
    /// Safety properties, checked in every reachable state.
    public var properties: [ICProperty]
    /// Liveness properties, checked by the liveness checker under weak fairness of the
    /// system's own steps (see `ICLivenessProperty`).
    public var livenessProperties: [ICLivenessProperty]
    /// Canisters that never answer: no request addressed to them is ever executed, rejected at
    /// the head of the queue or rejected spontaneously (their subnet stalls, or they are
    /// malicious). Best-effort calls to them still expire at the caller. Empty for most specs.
    public var silentCanisters: Set<CanisterId>
    /// A restricted schedule for clock-bounded liveness claims: users and controllers act only
    /// before the clock first ticks, and the clock ticks only when no system step (delivery,
    /// execution, expiry, starvation, context removal, stop completion) is enabled. Keeps the
    /// bounded clock from cutting off deadlines of calls made or retried late.
    public var eagerSchedule: Bool
    public var expectation: Expectation
    /// Exploration bounds (nil: unbounded, relying on the configuration's finiteness). A search
    /// cut short by either is reported as incomplete, never as holding.
    public var maxDepth: Int?
    public var maxStates: Int?
    /// The parameter values this spec was built with (see `SpecParameter`); recorded in a
    /// trace's `#meta.parameters` so that replay rebuilds the same configuration.
    public var parameters: [String: Int] = [:]
    /// Groups of interchangeable canisters (same program, initial state, balance, settings,
    /// ingress pattern), declared by the spec's author. Used by symmetry reduction; checked
    /// against the configuration and the properties (`symmetryDeclarationProblem`).
    public var symmetryGroups: [[CanisterId]] = []
    /// The state-space reductions a check uses (`icmc check --symmetry`); none by default, so
    /// that counts and shortest traces stay those of the plain search.
    public var reductions: StateSpaceReductions = []
    /// Names the workload (configuration, silent canisters, schedule, bounds and symmetry
    /// groups) when other specs share it, so that `SpecRunner.checkJointly(_:)` can check them
    /// with one search; `nil`: not shared. Specs with equal names must differ only in their
    /// properties and texts.
    public var workload: String?
    /// The fewest distinct states the search must explore for "holds" to count: the bound the
    /// spec's verdict is about (e.g. a million states for the message properties at their
    /// default scale). A search that holds on fewer states is reported as an error, so a workload
    /// or reduction change that shrinks the space below what the library documents cannot go
    /// unnoticed. `nil`: no such bound.
    ///
    /// The floor is a count measured with the spec's reductions and fault environment at the
    /// time it is set: once either changes (`--por`, `--unreduced`, another `--faults`), the
    /// search is another one and this reads `nil`.
    public var minimumStates: Int? {
        get { stateFloor.flatMap { $0.reductions == reductions && $0.faults == configuration.faults ? $0.states : nil } }
        set { stateFloor = newValue.map { StateFloor(states: $0, reductions: reductions, faults: configuration.faults) } }
    }

    /// `minimumStates` with the search it was measured with.
    private var stateFloor: StateFloor?

    public init(
        name: String, summary: String, details: String, category: Category, callKinds: [CallKind],
        configuration: SystemConfiguration, properties: [ICProperty],
        livenessProperties: [ICLivenessProperty] = [], silentCanisters: Set<CanisterId> = [],
        eagerSchedule: Bool = false, expectation: Expectation, maxDepth: Int? = nil, maxStates: Int? = nil
    ) {
        self.name = name
        self.summary = summary
        self.details = details
        self.category = category
        self.callKinds = callKinds
        self.configuration = configuration
        self.properties = properties
        self.livenessProperties = livenessProperties
        self.silentCanisters = silentCanisters
        self.eagerSchedule = eagerSchedule
        self.expectation = expectation
        self.maxDepth = maxDepth
        self.maxStates = maxStates
    }

    /// Every property name the spec checks, safety first.
    public var propertyNames: [String] { properties.map(\.name) + livenessProperties.map(\.name) }

    /// The spec as the reference executor takes it: name, parameters, configuration and claims.
    public var model: ICModel {
        ICModel(name: name, parameters: parameters, configuration: configuration, properties: properties,
                livenessProperties: livenessProperties, relativeTime: reductions.contains(.relativeTime))
    }
}

/// A spec's floor of distinct states and the search (reductions, faults) it holds for.
private struct StateFloor: Sendable, Hashable {
    var states: Int
    var reductions: StateSpaceReductions
    var faults: FaultSwitches
}
