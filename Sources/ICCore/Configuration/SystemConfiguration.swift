import ModelChecking

/// A canister as installed at the start: its program, cycles and freezing threshold.
public struct CanisterSetup: Sendable {
    public var program: AnyCanisterProgram
    public var initialBalance: Cycles
    /// Below this balance the canister is frozen: requests to it are rejected with SYS_TRANSIENT.
    public var freezingThreshold: Cycles
    /// How many system tasks (heartbeats and global-timer firings) may run in one run: a bound on
    /// the state space, as the clock bound is for time. 0 (the default): none run, and the
    /// states carry nothing for them.
    public var maxSystemTasks: Int
    /// Instant-stop mode (a forum proposal, not on the IC): when the canister starts stopping,
    /// each of its outstanding best-effort calls gets SYS_UNKNOWN at once, and while it is
    /// stopping `call_perform` fails (`systemRefused`). Default `false`: the IC's behaviour.
    public var instantStop: Bool
    /// The canisters this canister may call, or `nil`: anyone. Defaults to the program's own
    /// declaration (`CanisterProgram.callees`); a spec that knows its wiring may declare it here.
    /// Used by partial-order reduction (`icmc check --por`).
    public var callees: Set<CanisterId>?
    /// The program of the code an upgrade installs (every version after the first); `nil`: the
    /// same program. Callbacks of calls the old code made run on the new code, as on the IC. It
    /// must have the program's state and continuation types (`AnyCanisterProgram.canBeUpgraded(to:)`).
    public private(set) var upgradedProgram: AnyCanisterProgram?
    /// The canisters listed as this canister's controllers: their `stop_canister`,
    /// `start_canister` and `install_code` calls to the management canister succeed, anyone
    /// else's are rejected (CANISTER_ERROR). Empty by default (the environment's controller
    /// actions, `ControllerActions`, are not canisters and need no entry).
    public var controllers: Set<CanisterId> = []

    /// Inlinable, so that `AnyCanisterProgram`'s erased closures are specialised for the
    /// program's type in the module that names it (otherwise every message execution the
    /// checker explores runs generic code: metadata lookups and unspecialised casts).
    @inlinable
    public init(
        _ program: some CanisterProgram, balance: Cycles = 100, freezingThreshold: Cycles = 0, maxSystemTasks: Int = 0,
        instantStop: Bool = false, upgradedTo newCode: AnyCanisterProgram? = nil
    ) {
        self.init(
            erased: AnyCanisterProgram(program), callees: program.callees, balance: balance, freezingThreshold: freezingThreshold,
            maxSystemTasks: maxSystemTasks, instantStop: instantStop, upgradedTo: newCode)
    }

    @usableFromInline
    init(
        erased program: AnyCanisterProgram, callees: Set<CanisterId>?, balance: Cycles, freezingThreshold: Cycles, maxSystemTasks: Int,
        instantStop: Bool, upgradedTo newCode: AnyCanisterProgram?
    ) {
        self.program = program
        self.callees = callees
        if let newCode {
            precondition(
                program.canBeUpgraded(to: newCode),
                "\(newCode.name) cannot replace \(program.name) on upgrade: its state or continuation type differs")
        }
        self.upgradedProgram = newCode
        self.initialBalance = balance
        self.freezingThreshold = freezingThreshold
        self.maxSystemTasks = maxSystemTasks
        self.instantStop = instantStop
    }
}

/// An ingress message the bounded environment (the users) sends. Each slot is sent at most once.
public struct IngressMessage: Hashable, Sendable, Codable {
    public var canister: CanisterId
    public var method: String
    public var arguments: Payload

    public init<Arguments: PayloadValue>(to canister: CanisterId, _ method: String, arguments: Arguments) {
        self.canister = canister
        self.method = method
        self.arguments = Payload(arguments)
    }

    /// A message without arguments.
    public init(to canister: CanisterId, _ method: String) {
        self.init(to: canister, method, arguments: Payload.empty)
    }
}

/// What controllers may do to canisters, and how often in total (a bound on the state space).
public struct ControllerActions: Hashable, Sendable, Codable {
    public var stop: Set<CanisterId>
    public var start: Set<CanisterId>
    public var upgrade: Set<CanisterId>
    public var uninstall: Set<CanisterId>
    /// `install_code` in `install` mode: new code on a canister that is empty (uninstalled).
    public var install: Set<CanisterId>
    /// `install_code` in `reinstall` mode: new code and a fresh program state, in any status.
    public var reinstall: Set<CanisterId>
    /// The maximum number of controller actions in one run.
    public var maxActions: Int
    /// The controller follows the documented upgrade procedure (stop, wait until stopped,
    /// upgrade, start): it upgrades only a stopped canister, which has no outstanding calls.
    /// `false` (the default): it may upgrade in any status, as `install_code` allows.
    public var stopsBeforeUpgrade: Bool

    public init(
        stop: Set<CanisterId> = [], start: Set<CanisterId> = [], upgrade: Set<CanisterId> = [],
        uninstall: Set<CanisterId> = [], install: Set<CanisterId> = [], reinstall: Set<CanisterId> = [],
        maxActions: Int = 2, stopsBeforeUpgrade: Bool = false
    ) {
        self.stop = stop
        self.start = start
        self.upgrade = upgrade
        self.uninstall = uninstall
        self.install = install
        self.reinstall = reinstall
        self.maxActions = maxActions
        self.stopsBeforeUpgrade = stopsBeforeUpgrade
    }

    private enum CodingKeys: String, CodingKey { case stop, start, upgrade, uninstall, install, reinstall, maxActions, stopsBeforeUpgrade }

    /// Reads traces written before `install`, `reinstall` and `stopsBeforeUpgrade` existed
    /// (absent: none, `false`).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            stop: try container.decode(Set<CanisterId>.self, forKey: .stop),
            start: try container.decode(Set<CanisterId>.self, forKey: .start),
            upgrade: try container.decode(Set<CanisterId>.self, forKey: .upgrade),
            uninstall: try container.decode(Set<CanisterId>.self, forKey: .uninstall),
            install: try container.decodeIfPresent(Set<CanisterId>.self, forKey: .install) ?? [],
            reinstall: try container.decodeIfPresent(Set<CanisterId>.self, forKey: .reinstall) ?? [],
            maxActions: try container.decode(Int.self, forKey: .maxActions),
            stopsBeforeUpgrade: try container.decodeIfPresent(Bool.self, forKey: .stopsBeforeUpgrade) ?? false)
    }

    /// Writes `install`, `reinstall` and `stopsBeforeUpgrade` only when set, so traces without
    /// them keep their form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stop, forKey: .stop)
        try container.encode(start, forKey: .start)
        try container.encode(upgrade, forKey: .upgrade)
        try container.encode(uninstall, forKey: .uninstall)
        if !install.isEmpty { try container.encode(install, forKey: .install) }
        if !reinstall.isEmpty { try container.encode(reinstall, forKey: .reinstall) }
        try container.encode(maxActions, forKey: .maxActions)
        if stopsBeforeUpgrade { try container.encode(stopsBeforeUpgrade, forKey: .stopsBeforeUpgrade) }
    }

    public static let none = ControllerActions(maxActions: 0)
}

/// The nondeterministic system behaviours the environment may show, each a switch, so a user
/// picks the environment: benign, lossy, adversarial.
public struct FaultSwitches: Hashable, Sendable, Codable {
    /// T6: the system rejects requests spontaneously (any code but SYS_UNKNOWN for guaranteed calls).
    public var spontaneousRejects: Bool
    /// Load shedding: best-effort requests and responses may be dropped.
    public var dropBestEffort: Bool
    /// T7: best-effort calls may expire before their deadline (they always may at the deadline).
    public var earlyExpiry: Bool
    /// Any message execution may trap (instruction limit, a bug), independently of the program.
    public var injectedTraps: Bool
    /// `call_perform` may fail synchronously for no visible reason (memory pressure).
    public var syncCallFailures: Bool
    /// Pending stop requests may time out with SYS_TRANSIENT.
    public var stopTimeouts: Bool
    /// A cleanup handler (`call_on_cleanup`) may itself trap (instruction limit, a bug): then the
    /// state stays as it was before the callback. Recorded as one choice among 2 made before the
    /// cleanup runs (1: it traps).
    public var cleanupTraps: Bool
    /// The system may reject an ingress message before it executes (SYS_TRANSIENT: overload, the
    /// message expired before induction), whatever the canister's state.
    public var ingressRejects: Bool

    public init(
        spontaneousRejects: Bool = false, dropBestEffort: Bool = false, earlyExpiry: Bool = false,
        injectedTraps: Bool = false, syncCallFailures: Bool = false, stopTimeouts: Bool = false,
        cleanupTraps: Bool = false, ingressRejects: Bool = false
    ) {
        self.spontaneousRejects = spontaneousRejects
        self.dropBestEffort = dropBestEffort
        self.earlyExpiry = earlyExpiry
        self.injectedTraps = injectedTraps
        self.syncCallFailures = syncCallFailures
        self.stopTimeouts = stopTimeouts
        self.cleanupTraps = cleanupTraps
        self.ingressRejects = ingressRejects
    }

    private enum CodingKeys: String, CodingKey {
        case spontaneousRejects, dropBestEffort, earlyExpiry, injectedTraps, syncCallFailures, stopTimeouts, cleanupTraps, ingressRejects
    }

    /// Reads traces written before `cleanupTraps` and `ingressRejects` existed (absent: `false`).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            spontaneousRejects: try container.decode(Bool.self, forKey: .spontaneousRejects),
            dropBestEffort: try container.decode(Bool.self, forKey: .dropBestEffort),
            earlyExpiry: try container.decode(Bool.self, forKey: .earlyExpiry),
            injectedTraps: try container.decode(Bool.self, forKey: .injectedTraps),
            syncCallFailures: try container.decode(Bool.self, forKey: .syncCallFailures),
            stopTimeouts: try container.decode(Bool.self, forKey: .stopTimeouts),
            cleanupTraps: try container.decodeIfPresent(Bool.self, forKey: .cleanupTraps) ?? false,
            ingressRejects: try container.decodeIfPresent(Bool.self, forKey: .ingressRejects) ?? false)
    }

    /// Writes the newer switches only when set, so traces without them keep their form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(spontaneousRejects, forKey: .spontaneousRejects)
        try container.encode(dropBestEffort, forKey: .dropBestEffort)
        try container.encode(earlyExpiry, forKey: .earlyExpiry)
        try container.encode(injectedTraps, forKey: .injectedTraps)
        try container.encode(syncCallFailures, forKey: .syncCallFailures)
        try container.encode(stopTimeouts, forKey: .stopTimeouts)
        if cleanupTraps { try container.encode(cleanupTraps, forKey: .cleanupTraps) }
        if ingressRejects { try container.encode(ingressRejects, forKey: .ingressRejects) }
    }

    /// No faults: messages are delivered, nothing traps unless the program does.
    public static let benign = FaultSwitches()
    /// Best-effort messages may be dropped or expire early.
    public static let lossy = FaultSwitches(dropBestEffort: true, earlyExpiry: true)
    /// Every fault the IC allows.
    public static let adversarial = FaultSwitches(
        spontaneousRejects: true, dropBestEffort: true, earlyExpiry: true, injectedTraps: true,
        syncCallFailures: true, stopTimeouts: true, cleanupTraps: true, ingressRejects: true
    )
}

/// Capacities and bounds. The IC's figures (and the scalable-messaging proposal's) are the
/// defaults; checks use small ones.
///
/// Quotas are counted in units of 1 kB (`smallPayloadLimit`): a small guaranteed-response call
/// holds one unit from `call_perform` until its response is consumed, because its request and its
/// response are each at most 1 kB and the response slot is reserved with the request. So the
/// proposal's 50 kB quotas are 50 units, and the state space stays small.
public struct MessagingLimits: Hashable, Sendable, Codable {
    /// Request slots and response slots (reservations included) per queue, each counted on its
    /// own, as the replica's `CanisterQueue` does (`DEFAULT_QUEUE_CAPACITY` is 500).
    public var queueCapacity: Int
    /// Maximum payload of a small guaranteed-response request or response, in bytes (proposal: 1 kB).
    public var smallPayloadLimit: Int
    /// Maximum payload of other inter-canister messages, in bytes (2 MiB).
    public var payloadLimit: Int
    /// Per-canister quota for outgoing small guaranteed-response calls, in 1 kB units (proposal: 50 kB).
    public var smallQuotaOut: Int
    /// Per-canister quota for incoming small guaranteed-response calls, in 1 kB units (proposal:
    /// 50 kB); enforced at the callee, which rejects an incoming call over it asynchronously.
    public var smallQuotaIn: Int
    /// Per-canister quota of concurrent outgoing best-effort calls (proposal: 50).
    public var bestEffortQuota: Int
    /// The optimistically shared pool, in units: whatever a canister uses beyond its own quotas
    /// (outgoing and incoming small calls, best-effort calls) comes from it. The proposal gives no
    /// figure; 0 by default.
    public var sharedSmallPool: Int
    /// The model's clock stops at this time (a bound on the state space).
    public var maxTime: Time
    /// How long the management canister holds a `stop_canister` call before it may time out
    /// (`faults.stopTimeouts`): the replica's `STOP_CANISTER_TIMEOUT_DURATION` is 300 (5 minutes),
    /// specs scale it down. Applies only with a clock (`maxTime > 0`); `nil` (the default) or no
    /// clock: a held stop call may time out at any moment.
    public var stopTimeout: Time?

    /// The replica's `DEFAULT_QUEUE_CAPACITY`. At this capacity (the default) no explorable state
    /// comes near a full queue of responses: the callee's check of them applies only below it.
    public static let replicaQueueCapacity = 500

    public init(
        queueCapacity: Int = replicaQueueCapacity, smallPayloadLimit: Int = 1024, payloadLimit: Int = 2 * 1024 * 1024,
        smallQuotaOut: Int = 50, smallQuotaIn: Int = 50, bestEffortQuota: Int = 50, sharedSmallPool: Int = 0, maxTime: Time = 0,
        stopTimeout: Time? = nil
    ) {
        self.queueCapacity = queueCapacity
        self.smallPayloadLimit = smallPayloadLimit
        self.payloadLimit = payloadLimit
        self.smallQuotaOut = smallQuotaOut
        self.smallQuotaIn = smallQuotaIn
        self.bestEffortQuota = bestEffortQuota
        self.sharedSmallPool = sharedSmallPool
        self.maxTime = maxTime
        self.stopTimeout = stopTimeout
    }
}

/// Where the cycles of a dropped best-effort message go: the caller's callback never sees them
/// either way (it gets SYS_UNKNOWN with refund 0), so a verdict may depend on this choice.
public enum CycleRefunds: String, Hashable, Sendable, Codable, CaseIterable {
    /// The interface specification: "Dropping expired messages" just removes the message, so its
    /// cycles (attached to a shed request, refund of a shed, expired or late response) are lost
    /// (the lost-cycles sink).
    case specification
    /// Today's replica: the cycles of shed, expired and late best-effort messages go back to the
    /// caller's balance as an anonymous refund, without a callback (`RefundPool`, dfinity/ic
    /// `rs/replicated_state/src/canister_state/queues.rs`). Simplification: credited in the step
    /// that drops the message, not routed later.
    case replica
}

/// Which best-effort messages load shedding (`faults.dropBestEffort`) may drop.
public enum LoadShedding: String, Hashable, Sendable, Codable, CaseIterable {
    /// Any best-effort request or response: what the spec allows (the replica sheds the largest).
    case arbitrary
    /// Fair load shedding (a forum proposal): only messages of the canisters holding the most
    /// best-effort messages in flight, a request counting for its caller and a response for its
    /// callee (the senders). Simplification: message counts stand for bytes.
    case fair
}

/// A complete, bounded IC system: what the model explores and the executor runs.
public struct SystemConfiguration: Sendable {
    public var canisters: [CanisterSetup]
    public var ingress: [IngressMessage]
    public var controller: ControllerActions
    public var faults: FaultSwitches
    public var limits: MessagingLimits
    /// Where dropped best-effort cycles go; the replica's behaviour unless a spec says otherwise.
    public var cycleRefunds: CycleRefunds
    /// Which best-effort messages may be shed; `.arbitrary` (what the spec allows) by default.
    public var loadShedding: LoadShedding = .arbitrary
    /// Canisters may call the management canister (`CanisterId.management`) even though none
    /// lists controllers (e.g. only for `deposit_cycles`). Without either, such a call is
    /// answered DESTINATION_INVALID, and states carry no queues for the management canister.
    public var managementCalls = false

    /// Whether the management canister is a call target (see `managementCalls`).
    public var hasManagementCanister: Bool { managementCalls || canisters.contains { !$0.controllers.isEmpty } }

    public init(
        canisters: [CanisterSetup], ingress: [IngressMessage], controller: ControllerActions = .none,
        faults: FaultSwitches = .benign, limits: MessagingLimits = MessagingLimits(), cycleRefunds: CycleRefunds = .replica
    ) {
        self.canisters = canisters
        self.ingress = ingress
        self.controller = controller
        self.faults = faults
        self.limits = limits
        self.cycleRefunds = cycleRefunds
    }

    public var canisterIds: [CanisterId] { canisters.indices.map { CanisterId($0) } }

    /// Total cycles at the start; with the lost-cycles sink, conserved for ever.
    public var initialTotalCycles: Cycles { canisters.reduce(0) { $0 + $1.initialBalance } }
}
