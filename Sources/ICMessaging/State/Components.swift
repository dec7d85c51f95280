import ICCore
import ModelChecking

/// One canister's part of the system state (ic-semantics.md §1.1, §1.5).
public struct CanisterRecord: Hashable, Sendable, Fingerprintable {
    public var status: CanisterStatus
    /// The program's heap; back to the program's initial state after an uninstall.
    public var programState: AnyCanisterState
    public var balance: Cycles
    /// 0 at the start, +1 per upgrade; `nil` once uninstalled (an empty canister).
    public var codeVersion: Int?
    /// The sequence number of the next call this canister performs (`CallId.sequence`).
    public var nextCallSequence: Int
    /// The global timer and the system tasks run, in one word: records are copied and hashed on
    /// every step, so the fields a feature that is off never uses must not make them bigger.
    var systemTasks: SystemTaskCounters

    /// The global timer (`ic0.global_timer_set`); `nil` when inactive (AB: 0).
    public var globalTimer: Time? {
        get { systemTasks.timer == 0 ? nil : Time(systemTasks.timer) }
        set { systemTasks.timer = UInt32(clamping: newValue ?? 0) }
    }

    /// Heartbeats and timer firings run so far (bounded by `CanisterSetup.maxSystemTasks`; it
    /// also numbers the system-task contexts).
    public var systemTasksRun: Int {
        get { Int(systemTasks.run) }
        set { systemTasks.run = UInt32(clamping: newValue) }
    }

    public init(
        status: CanisterStatus, programState: AnyCanisterState, balance: Cycles, codeVersion: Int?, nextCallSequence: Int,
        globalTimer: Time? = nil, systemTasksRun: Int = 0
    ) {
        self.status = status
        self.programState = programState
        self.balance = balance
        self.codeVersion = codeVersion
        self.nextCallSequence = nextCallSequence
        systemTasks = SystemTaskCounters(timer: UInt32(clamping: globalTimer ?? 0), run: UInt32(clamping: systemTasksRun))
    }

    public var isEmpty: Bool { codeVersion == nil }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(status)
        hasher.combine(programState)
        hasher.combine(balance)
        hasher.combine(codeVersion)
        hasher.combine(nextCallSequence)
        // Only for canisters that use system tasks (tagged), so that other states hash as before.
        if systemTasks.timer != 0 || systemTasks.run != 0 {
            hasher.combine(UInt64(0x5359_5354_4153_4B53))
            hasher.combine(UInt64(systemTasks.timer) << 32 | UInt64(systemTasks.run))
        }
    }
}

/// A canister's global timer (0: inactive, as in the AB) and its count of system tasks run.
struct SystemTaskCounters: Hashable, Sendable {
    var timer: UInt32
    var run: UInt32
}

/// A request in a per-pair queue (a `CallMessage` with `queue = Queue{from,to}`).
public struct QueuedRequest: Hashable, Sendable, Fingerprintable {
    public private(set) var call: CallId
    public private(set) var callee: CanisterId
    /// The method's name, interned (copying a queued request counts no reference).
    let methodName: InternedString
    public var method: String { methodName.string }
    public let arguments: Payload
    public let cycles: Cycles
    public let kind: CallKind
    public let deadline: Time?
    /// Only under `SemanticsMutation.executeRequestTwice`: deliveries so far.
    public var deliveries: Int
    /// The fingerprint of the constant fields, computed once: a queue's fingerprint is taken
    /// again whenever any request joins or leaves it, and hashing the method name and
    /// arguments of every waiting request each time was most of that.
    private var constantFingerprint: UInt64
    /// The fingerprint of what the request carries, without its names (call and callee):
    /// symmetry reduction keys canisters by it on every step.
    let contentFingerprint: UInt64

    public init(call: CallId, callee: CanisterId, method: String, arguments: Payload, cycles: Cycles, kind: CallKind, deadline: Time?, deliveries: Int = 0) {
        self.call = call
        self.callee = callee
        methodName = InternedString(method)
        self.arguments = arguments
        self.cycles = cycles
        self.kind = kind
        self.deadline = deadline
        self.deliveries = deliveries
        var content = FingerprintHasher(seed: 1)
        content.combine(method)
        content.combine(arguments)
        content.combine(cycles)
        content.combine(kind)
        content.combine(deadline)
        contentFingerprint = content.finalize()
        constantFingerprint = Self.constantFingerprint(call: call, callee: callee, content: contentFingerprint)
    }

    /// `request` with its call and callee renamed (symmetry, canonical call ids): the content's
    /// fingerprint is kept, so the method name and arguments are not hashed again.
    init(renaming request: QueuedRequest, call: CallId, callee: CanisterId) {
        self = request
        self.call = call
        self.callee = callee
        constantFingerprint = Self.constantFingerprint(call: call, callee: callee, content: contentFingerprint)
    }

    private static func constantFingerprint(call: CallId, callee: CanisterId, content: UInt64) -> UInt64 {
        var hasher = FingerprintHasher()
        hasher.combine(call)
        hasher.combine(callee)
        hasher.combine(content)
        return hasher.finalize()
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(constantFingerprint)
        hasher.combine(deliveries)
    }
}

/// A response in flight (a `ResponseMessage`; responses are unordered).
public struct InFlightResponse: Hashable, Sendable, Fingerprintable {
    public let call: CallId
    /// The response as plain data (copying a response in flight counts no reference).
    let compact: CompactResponse
    public var response: Response { compact.response }
    public let refund: Cycles
    /// A compact system notice (`DeadlineExpired` / `ResponseDropped` → SYS_UNKNOWN, refund 0)
    /// rather than the callee's (or the system's T2/T6/T8/T14) response. At most one of each per call.
    public let isSystemNotice: Bool
    /// The canister whose call context answered (its code's response, or its system's on
    /// uninstall or starvation): such a response leaves through that canister's output queue and
    /// may hold a response slot there until its caller consumes it (`outputQueueMayBeFull`).
    /// `nil` for responses the system makes elsewhere: T2/T6 rejects, DESTINATION_INVALID,
    /// management answers, notices.
    public let respondent: CanisterId?
    /// Computed once (the value never changes): the response set is fingerprinted again on
    /// every step that adds or removes a response, and with it every response still in flight.
    private let cachedFingerprint: UInt64
    /// The fingerprint of what the response says, without names (call and respondent): symmetry
    /// reduction keys calls by it, and a renamed response keeps it.
    let contentFingerprint: UInt64

    public init(call: CallId, response: Response, refund: Cycles, isSystemNotice: Bool, respondent: CanisterId? = nil) {
        var content = FingerprintHasher(seed: 13)
        content.combine(response)
        content.combine(refund)
        content.combine(isSystemNotice)
        self.init(
            call: call, compact: CompactResponse(response), refund: refund, isSystemNotice: isSystemNotice, respondent: respondent,
            content: content.finalize())
    }

    private init(call: CallId, compact: CompactResponse, refund: Cycles, isSystemNotice: Bool, respondent: CanisterId?, content: UInt64) {
        self.call = call
        self.compact = compact
        self.refund = refund
        self.isSystemNotice = isSystemNotice
        self.respondent = respondent
        contentFingerprint = content
        var hasher = FingerprintHasher()
        hasher.combine(call)
        hasher.combine(content)
        if let respondent { hasher.combine(respondent) }
        cachedFingerprint = hasher.finalize()
    }

    /// This response with its call renamed (symmetry, canonical call ids); the response itself
    /// is not hashed again.
    func renamed(call: CallId, respondent: CanisterId?) -> InFlightResponse {
        InFlightResponse(call: call, compact: compact, refund: refund, isSystemNotice: isSystemNotice, respondent: respondent, content: contentFingerprint)
    }

    /// The canonical order of the response set: by call, the callee's response before a notice.
    static func precedes(_ a: InFlightResponse, _ b: InFlightResponse) -> Bool {
        a.call != b.call ? a.call < b.call : (!a.isSystemNotice && b.isSystemNotice)
    }

    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(cachedFingerprint) }
}

/// A call context (`CallCtxt`): the origin is its id (ingress slot or the call that created it).
public struct CallContext: Hashable, Sendable, Fingerprintable {
    public let id: ContextId
    public let canister: CanisterId
    public var needsToRespond: Bool
    public var deleted: Bool
    public var availableCycles: Cycles
    /// The deadline of the best-effort call that created the context (`ic0.msg_deadline`).
    public let deadline: Time?

    public init(id: ContextId, canister: CanisterId, needsToRespond: Bool, deleted: Bool, availableCycles: Cycles, deadline: Time?) {
        self.id = id
        self.canister = canister
        self.needsToRespond = needsToRespond
        self.deleted = deleted
        self.availableCycles = availableCycles
        self.deadline = deadline
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(id)
        hasher.combine(canister)
        hasher.combine(needsToRespond)
        hasher.combine(deleted)
        hasher.combine(availableCycles)
        hasher.combine(deadline)
    }
}

/// An open callback at the caller: a performed call still awaiting its response.
public struct Callback: Hashable, Sendable, Fingerprintable {
    public private(set) var call: CallId
    /// The caller's call context that performed the call (and in which the callback runs).
    public private(set) var callerContext: ContextId
    public private(set) var callee: CanisterId
    public let continuation: AnyContinuation
    public let kind: CallKind
    public let attachedCycles: Cycles
    public let deadline: Time?
    /// T7 happened: the SYS_UNKNOWN notice is (or was) in flight; the real response is discarded.
    public var expired: Bool
    public let hasCleanup: Bool
    /// The fingerprint of the constant fields (all but `expired`), computed once, as for
    /// `QueuedRequest`: the callback list is fingerprinted again on every call and response.
    private var constantFingerprint: UInt64
    /// The fingerprint of the constant fields without names (call, caller context, callee):
    /// symmetry reduction keys callbacks by it, and a renamed callback keeps it.
    let contentFingerprint: UInt64

    public init(call: CallId, callerContext: ContextId, callee: CanisterId, continuation: AnyContinuation, kind: CallKind, attachedCycles: Cycles, deadline: Time?, expired: Bool, hasCleanup: Bool) {
        self.call = call
        self.callerContext = callerContext
        self.callee = callee
        self.continuation = continuation
        self.kind = kind
        self.attachedCycles = attachedCycles
        self.deadline = deadline
        self.expired = expired
        self.hasCleanup = hasCleanup
        var content = FingerprintHasher(seed: 3)
        content.combine(continuation)
        content.combine(kind)
        content.combine(attachedCycles)
        content.combine(deadline)
        content.combine(hasCleanup)
        contentFingerprint = content.finalize()
        constantFingerprint = Self.constantFingerprint(call: call, callerContext: callerContext, callee: callee, content: contentFingerprint)
    }

    /// `callback` under new names (symmetry, canonical call ids), its content's fingerprint kept.
    init(renaming callback: Callback, call: CallId, callerContext: ContextId, callee: CanisterId) {
        self = callback
        self.call = call
        self.callerContext = callerContext
        self.callee = callee
        constantFingerprint = Self.constantFingerprint(call: call, callerContext: callerContext, callee: callee, content: contentFingerprint)
    }

    private static func constantFingerprint(call: CallId, callerContext: ContextId, callee: CanisterId, content: UInt64) -> UInt64 {
        var hasher = FingerprintHasher()
        hasher.combine(call)
        hasher.combine(callerContext)
        hasher.combine(callee)
        hasher.combine(content)
        return hasher.finalize()
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(constantFingerprint)
        hasher.combine(expired)
    }
}

/// Where an ingress message of the configuration is in its life.
public enum IngressStatus: Hashable, Sendable, Fingerprintable {
    case notSent
    /// Its call context is open and has not responded yet.
    case sent
    /// The user has a reply or reject (in `history.ingressResponses`).
    case answered

    /// Its two bits, as `IngressStatuses` packs them.
    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(bits) }
}
