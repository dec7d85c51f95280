import ModelChecking

/// A request in flight, as properties and replay see it.
public struct PendingRequest: Hashable, Sendable, Codable {
    public let call: CallId
    public let callee: CanisterId
    public let method: String
    public let arguments: Payload
    public let cycles: Cycles
    public init(call: CallId, callee: CanisterId, method: String, arguments: Payload, cycles: Cycles) {
        self.call = call
        self.callee = callee
        self.method = method
        self.arguments = arguments
        self.cycles = cycles
    }
}

/// A response in flight (responses are unordered), as properties and replay see it.
public struct PendingResponse: Hashable, Sendable, Codable {
    public let call: CallId
    public let response: Response
    public let refund: Cycles
    public init(call: CallId, response: Response, refund: Cycles) {
        self.call = call
        self.response = response
        self.refund = refund
    }
}

/// An open call context, as properties and replay see it.
public struct ContextView: Hashable, Sendable, Codable {
    public let id: ContextId
    public let canister: CanisterId
    public let needsToRespond: Bool
    public let deleted: Bool
    public let availableCycles: Cycles
    public init(id: ContextId, canister: CanisterId, needsToRespond: Bool, deleted: Bool, availableCycles: Cycles) {
        self.id = id
        self.canister = canister
        self.needsToRespond = needsToRespond
        self.deleted = deleted
        self.availableCycles = availableCycles
    }
}

/// An open callback (a call awaiting its response at the caller).
public struct CallbackView: Hashable, Sendable, Codable {
    public let call: CallId
    /// The canister called (the call id names only the caller).
    public let callee: CanisterId
    public let kind: CallKind
    public let deadline: Time?
    public let expired: Bool
    public init(call: CallId, callee: CanisterId, kind: CallKind, deadline: Time?, expired: Bool) {
        self.call = call
        self.callee = callee
        self.kind = kind
        self.deadline = deadline
        self.expired = expired
    }
}

/// A read-only view of an IC system state: what properties are written against.
///
/// Both the model's state and the reference executor's state provide it, so one property
/// definition judges both, and replay can confirm a violation independently of the model.
public protocol ICView {
    var canisterIds: [CanisterId] { get }
    func status(of canister: CanisterId) -> CanisterStatus
    func balance(of canister: CanisterId) -> Cycles
    func programState(of canister: CanisterId) -> AnyCanisterState
    /// Installed code version: 0 at the start, +1 per upgrade; `nil` when uninstalled (empty).
    func codeVersion(of canister: CanisterId) -> Int?
    /// The canister's global timer (`nil`: inactive).
    func globalTimer(of canister: CanisterId) -> Time?
    /// System tasks (heartbeats, timer firings) the canister has run.
    func systemTasksRun(of canister: CanisterId) -> Int
    /// Requests in flight per pair, oldest first. `to: .management`: the requests to the
    /// management canister; `from: .management`: the `stop_canister` calls it holds for `to`.
    func pendingRequests(from: CanisterId, to: CanisterId) -> [PendingRequest]
    /// Every request in flight, by pair order (sender, then receiver) then age. A requirement
    /// (with a default) so that a state can answer it without one array per pair.
    var allPendingRequests: [PendingRequest] { get }
    /// Responses in flight, sorted by call id.
    var pendingResponses: [PendingResponse] { get }
    /// Open call contexts, sorted by id.
    var contexts: [ContextView] { get }
    /// Open callbacks (calls awaiting a response at their caller), sorted by call id.
    var callbacks: [CallbackView] { get }
    var history: CallHistory { get }
    /// Cycles that left the system (dropped best-effort messages, lost refunds).
    var lostCycles: Cycles { get }
    var now: Time { get }
    /// Total cycles at the start.
    var initialTotalCycles: Cycles { get }
    /// The monitors of the checked properties (`ICMonitor`); empty where none are kept.
    var monitors: MonitorStates { get }

    // Point queries, requirements with defaults so that a state can answer them without
    // building the arrays above (monitors ask them on every step).

    /// The oldest request in flight from `from` to `to`.
    func oldestPendingRequest(from: CanisterId, to: CanisterId) -> PendingRequest?
    /// Whether the request of `call` is still in flight from `from` to `to`.
    func hasPendingRequest(_ call: CallId, from: CanisterId, to: CanisterId) -> Bool
    /// Whether a response to `call` is in flight.
    func hasPendingResponse(for call: CallId) -> Bool
    /// The open call context `id`, if there is one.
    func contextView(of id: ContextId) -> ContextView?
}

extension ICView {
    /// No monitors: a view of a state that keeps none.
    public var monitors: MonitorStates { MonitorStates() }

    public func oldestPendingRequest(from: CanisterId, to: CanisterId) -> PendingRequest? {
        pendingRequests(from: from, to: to).first
    }

    public func hasPendingRequest(_ call: CallId, from: CanisterId, to: CanisterId) -> Bool {
        pendingRequests(from: from, to: to).contains { $0.call == call }
    }

    public func hasPendingResponse(for call: CallId) -> Bool { pendingResponses.contains { $0.call == call } }

    public func contextView(of id: ContextId) -> ContextView? { contexts.first { $0.id == id } }

    /// The program state of `canister` as its concrete type.
    @inlinable
    public func programState<S: CanisterState>(of canister: CanisterId, as type: S.Type) -> S? {
        programState(of: canister).as(type)
    }

    /// Upgrades of `canister` that a trapping hook aborted (recorded under `.upgrades`).
    public func failedUpgrades(of canister: CanisterId) -> Int { history.failedUpgrades[canister] ?? 0 }

    /// Every request in flight, by pair order then age.
    public var allPendingRequests: [PendingRequest] {
        canisterIds.flatMap { from in canisterIds.flatMap { to in pendingRequests(from: from, to: to) } }
            + canisterIds.flatMap { pendingRequests(from: $0, to: .management) }
            + canisterIds.flatMap { pendingRequests(from: .management, to: $0) }
    }

    /// Cycles attached to requests and refunds carried by responses in flight.
    public var cyclesInFlight: Cycles {
        allPendingRequests.reduce(0) { $0 + $1.cycles } + pendingResponses.reduce(0) { $0 + $1.refund }
    }

    /// Cycles held by call contexts (attached to a call, not yet accepted or refunded).
    public var cyclesHeldByContexts: Cycles { contexts.reduce(0) { $0 + $1.availableCycles } }

    /// Σ balances + in flight + held by contexts + lost: equals `initialTotalCycles` when cycles
    /// are conserved globally (with the lost-cycles sink).
    public var accountedCycles: Cycles {
        canisterIds.reduce(0) { $0 + balance(of: $1) } + cyclesInFlight + cyclesHeldByContexts + lostCycles
    }
}

/// A named property of IC systems, judged on any `ICView` (model state or executor state).
public struct ICProperty: Sendable {
    /// A stable identifier, e.g. "P3-request-order"; traces name the property they violate.
    public let name: String
    /// The claim in plain words, for documentation.
    public let statement: String
    /// The call kinds the property speaks about (for the guarantees matrix).
    public let callKinds: [CallKind]
    /// The parts of `ICView.history` that `holds` reads. The model records only what the checked
    /// properties observe, so a property must not read more than it declares; `.all` (the
    /// default) is always safe, `.none` lets the state space shrink most.
    public let observes: HistoryObservation
    /// Which canisters `holds` singles out. Symmetry reduction swaps interchangeable canisters,
    /// so it is sound only for properties that do not tell them apart; `.undeclared` (the
    /// default) makes a spec that declares symmetry be refused rather than checked unsoundly.
    public let mentions: CanisterMentions
    /// Whether the verdict may change when a call context that is answered and that nothing
    /// references is removed (T9). When no checked property observes it, the invisible-steps
    /// reduction merges T9 into the step that made the context removable, which shrinks the
    /// state space several-fold. `true` (the default) is always safe; declare `false` only for
    /// a property that ignores answered contexts (e.g. one that never reads `contexts`).
    public let observesContextRemoval: Bool
    /// What `holds` reads of a state (`StateReads`). Partial-order reduction postpones only
    /// steps that change nothing the checked properties read; `.everything` (the default) is
    /// always safe and leaves the search unreduced.
    public let reads: StateReads
    /// The monitor `holds` reads, by this property's name (a conjunction has its parts'):
    /// what the property remembers of the run instead of the ghost history (`ICMonitor`).
    public let monitors: [String: AnyICMonitor]
    public let holds: @Sendable (any ICView) -> Bool

    public init(
        name: String, statement: String, callKinds: [CallKind] = CallKind.allCases,
        observes: HistoryObservation = .all, mentions: CanisterMentions = .undeclared,
        observesContextRemoval: Bool = true, reads: StateReads = .everything,
        monitors: [String: AnyICMonitor] = [:], holds: @escaping @Sendable (any ICView) -> Bool
    ) {
        self.reads = reads
        self.monitors = monitors
        self.name = name
        self.statement = statement
        self.callKinds = callKinds
        self.observes = observes
        self.mentions = mentions
        self.observesContextRemoval = observesContextRemoval
        self.holds = holds
    }
}

/// What a property says about canister identities, for symmetry reduction.
public enum CanisterMentions: Hashable, Sendable, CustomStringConvertible {
    /// Not declared: the property may single out any canister (symmetry is refused).
    case undeclared
    /// The verdict does not change when canisters of the same symmetry group swap places
    /// (e.g. "every canister …", or a property over all subscribers alike).
    case symmetric
    /// The property singles out exactly these canisters; every other canister is treated alike.
    case only(Set<CanisterId>)

    /// Whether swapping the members of `group` among themselves leaves the verdict unchanged.
    public func allowsSwapping(_ group: Set<CanisterId>) -> Bool {
        switch self {
        case .undeclared: false
        case .symmetric: true
        case .only(let named): named.isDisjoint(with: group)
        }
    }

    public var description: String {
        switch self {
        case .undeclared: "undeclared"
        case .symmetric: "symmetric"
        case .only(let named): named.sorted().map(\.description).joined(separator: ", ")
        }
    }
}
