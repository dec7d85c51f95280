import ICCore
import ModelChecking

/// A state of the IC messaging model: canisters, per-pair request queues, responses in flight,
/// call contexts, callbacks, ingress, the clock, the lost-cycles sink and the ghost history.
///
/// Every collection is kept in a canonical order (queues by pair index, responses, contexts
/// and callbacks sorted by id) so that equal situations are equal states.
public struct ICState: Hashable, Sendable, Fingerprintable {
    /// Every field in one shared box (see `ICStateStorage`): a search copies and drops states
    /// far more often than it changes them (the rules' scratch copies, the runtime's view, the
    /// monitors' before/after views, successors already visited), and a copy is then one
    /// reference count instead of one per component.
    @usableFromInline var storage: ICStateStorage

    /// The box, copied first if another state shares it: every write goes through here.
    @inlinable
    var uniqueStorage: ICStateStorage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = ICStateStorage.copy(of: storage) }
            storage.forgetDigest()
            return storage
        }
    }

    /// A spare array takes the new value's elements in its own buffer (no allocation when it
    /// has room). Element by element: `removeAll(keepingCapacity:)` and `append(contentsOf:)`
    /// destroyed and copied every element through the runtime's value witnesses (about 700
    /// instructions for three canister records). The spare held a sibling state, so counts
    /// mostly agree and most elements are the same already: those (bit for bit the same value)
    /// are left alone, the others assigned (a retain and a release per reference, inlined).
    @inlinable @inline(__always)
    static func copyElements<Element>(_ target: inout [Element], _ source: [Element]) {
        copyElements(&target, source, count: source.count, inserted: nil) { $0 }
    }

    /// Whether two values are the same bits (then they are the same value, references
    /// included; padding may make equal values differ, which only costs an assignment).
    @inlinable @inline(__always)
    static func bitwiseEqual<Element>(_ first: UnsafePointer<Element>, _ second: UnsafePointer<Element>) -> Bool {
        let size = MemoryLayout<Element>.size
        let first = UnsafeRawPointer(first), second = UnsafeRawPointer(second)
        var offset = 0
        while offset + 8 <= size {
            guard first.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == second.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset += 8
        }
        while offset < size {
            guard first.load(fromByteOffset: offset, as: UInt8.self) == second.load(fromByteOffset: offset, as: UInt8.self) else { return false }
            offset += 1
        }
        return true
    }

    /// Hands the box to this thread's pool for the next state's first write (`StoragePool`), if
    /// nothing else references it. Call it as the very last use of a state the caller built or
    /// owns and no longer needs: the state must not be read or written afterwards.
    @inlinable @inline(__always)
    public mutating func recycle() {
        if isKnownUniquelyReferenced(&storage) { StoragePool.current.keep(storage) }
    }

    // The large components live in shared boxes with cached fingerprints: a step changes one or
    // two of them, and the others cost one word each to fingerprint and nothing to copy.
    var storedCanisters: FingerprintCached<[CanisterRecord]> { storage.canisters }
    var storedQueues: FingerprintCached<RequestQueues> { storage.queues }
    var storedResponses: FingerprintCached<[InFlightResponse]> { storage.responses }
    var storedContexts: FingerprintCached<[CallContext]> { storage.contexts }
    var storedCallbacks: FingerprintCached<[Callback]> { storage.callbacks }
    var storedHistory: FingerprintCached<CallHistory> { storage.history }

    /// Indexed by `CanisterId.index`.
    public var canisters: [CanisterRecord] {
        get { storage.canisters.value }
        // A whole new value needs no copy of the old one (`prepareWrite` is for changes in place).
        set { uniqueStorage.canisters.value = newValue }
        _modify {
            let storage = uniqueStorage
            storage.canisters.prepareWrite(reusing: &storage.spareCanisters, copy: Self.copyElements)
            yield &storage.canisters.value
        }
    }
    /// Per ordered pair, at `from * n + to`, oldest request first. With the management canister
    /// (`SystemConfiguration.hasManagementCanister`) n more follow, the requests from each
    /// canister to it (`n * n + from`), then n holding the `stop_canister` calls it has accepted
    /// per target, awaiting the target's stop (`n * n + n + target`; as pair `management → target`).
    public var queues: RequestQueues {
        get { storage.queues.value }
        set { uniqueStorage.queues.value = newValue }
        _modify {
            let storage = uniqueStorage
            storage.queues.prepareWrite(reusing: &storage.spareQueues, copy: { $0 = $1 })
            yield &storage.queues.value
        }
    }
    /// Sorted by `InFlightResponse.precedes`.
    public var responses: [InFlightResponse] {
        get { storage.responses.value }
        set { uniqueStorage.responses.value = newValue }
        _modify {
            let storage = uniqueStorage
            storage.responses.prepareWrite(reusing: &storage.spareResponses, copy: Self.copyElements)
            yield &storage.responses.value
        }
    }
    /// Sorted by id.
    public var callContexts: [CallContext] {
        get { storage.contexts.value }
        set { uniqueStorage.contexts.value = newValue }
        _modify {
            let storage = uniqueStorage
            storage.contexts.prepareWrite(reusing: &storage.spareContexts, copy: Self.copyElements)
            yield &storage.contexts.value
        }
    }
    /// Sorted by call id.
    public var openCallbacks: [Callback] {
        get { storage.callbacks.value }
        set { uniqueStorage.callbacks.value = newValue }
        _modify {
            let storage = uniqueStorage
            storage.callbacks.prepareWrite(reusing: &storage.spareCallbacks, copy: Self.copyElements)
            yield &storage.callbacks.value
        }
    }
    public var history: CallHistory {
        get { storage.history.value }
        set { uniqueStorage.history.value = newValue }
        _modify {
            let storage = uniqueStorage
            storage.history.prepareWrite(reusing: &storage.spareHistory, copy: { $0 = $1 })
            yield &storage.history.value
        }
    }
    /// Indexed by the configuration's ingress slot.
    public var ingress: IngressStatuses {
        get { storage.ingress }
        _modify { yield &uniqueStorage.ingress }
    }
    public var now: Time {
        get { storage.now }
        set { uniqueStorage.now = newValue }
    }
    public var lostCycles: Cycles {
        get { storage.lostCycles }
        set { uniqueStorage.lostCycles = newValue }
    }
    /// Controller actions taken so far (bounded by `ControllerActions.maxActions`).
    public var controllerActionsUsed: Int {
        get { storage.controllerActionsUsed }
        set { uniqueStorage.controllerActionsUsed = newValue }
    }
    /// Constant: total cycles at the start (part of the state only to serve `ICView`).
    public var initialTotalCycles: Cycles { storage.initialTotalCycles }
    /// Constant: the parts of `history` this run records (see `HistoryObservation`).
    public var recording: HistoryObservation { storage.recording }
    /// The checked properties' monitors (`ICMonitor`), updated after every step; empty when
    /// none has one.
    public internal(set) var monitors: MonitorStates {
        get { storage.monitors }
        set { uniqueStorage.monitors = newValue }
    }

    /// The initial state; `recording` says which parts of the ghost history it keeps.
    public init(configuration: SystemConfiguration, recording: HistoryObservation = .all, monitors: MonitorStates = MonitorStates()) {
        let n = configuration.canisters.count
        storage = ICStateStorage(
            canisters: FingerprintCached(configuration.canisters.map {
                CanisterRecord(status: .running, programState: $0.program.initialState, balance: $0.initialBalance, codeVersion: 0, nextCallSequence: 0)
            }),
            // With the management canister: n queues towards it, then n of stop calls it holds per target.
            queues: FingerprintCached(RequestQueues(count: n * n + (configuration.hasManagementCanister ? 2 * n : 0))),
            responses: FingerprintCached([]), contexts: FingerprintCached([]), callbacks: FingerprintCached([]),
            history: FingerprintCached(CallHistory()), ingress: IngressStatuses(count: configuration.ingress.count),
            now: 0, lostCycles: 0, controllerActionsUsed: 0, initialTotalCycles: configuration.initialTotalCycles,
            recording: recording, monitors: monitors)
    }

    /// A state from its components (what the frontier tables store).
    init(
        canisters: FingerprintCached<[CanisterRecord]>, queues: FingerprintCached<RequestQueues>,
        responses: FingerprintCached<[InFlightResponse]>, contexts: FingerprintCached<[CallContext]>,
        callbacks: FingerprintCached<[Callback]>, history: FingerprintCached<CallHistory>, ingress: IngressStatuses,
        now: Time, lostCycles: Cycles, controllerActionsUsed: Int, initialTotalCycles: Cycles, recording: HistoryObservation,
        monitors: MonitorStates
    ) {
        storage = ICStateStorage(
            canisters: canisters, queues: queues, responses: responses, contexts: contexts, callbacks: callbacks,
            history: history, ingress: ingress, now: now, lostCycles: lostCycles, controllerActionsUsed: controllerActionsUsed,
            initialTotalCycles: initialTotalCycles, recording: recording, monitors: monitors)
    }

    public static func == (lhs: ICState, rhs: ICState) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.hasEqualFields(rhs.storage)
    }

    /// Whether both share one box (then they are equal without a comparison): e.g. a state
    /// that is its own representative, returned as it came.
    public func isIdentical(to other: ICState) -> Bool { storage === other.storage }

    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }

    public var canisterCount: Int { storedCanisters.value.count }

    /// The canister ids in order, without an array: the rules walk them for every state, and
    /// `canisterIds` (an `ICView` array) cost a shared-array lookup and a reference count each time.
    var allCanisters: LazyMapSequence<Range<Int>, CanisterId> { (0..<canisterCount).lazy.map { CanisterId($0) } }

    @inline(__always)
    func queueIndex(_ from: CanisterId, _ to: CanisterId) -> Int {
        let n = canisters.count
        if _fastPath((from.index | to.index) >= 0) { return from.index * n + to.index }
        return to.index < 0 ? n * n + from.index : n * n + n + to.index
    }

    /// The number of queues between canisters and towards the management canister (the parked
    /// stop calls follow them).
    var messageQueueCount: Int { Swift.min(queues.count, canisterCount * (canisterCount + 1)) }

    /// The requests queued from `from` to `to`, oldest first (for `to == .management`, the
    /// requests to the management canister; for `from == .management`, the stop calls it holds).
    @inline(__always)
    public func queue(from: CanisterId, to: CanisterId) -> [QueuedRequest] {
        // Between canisters (the rules' hot loops): one access, as before the management canister.
        if _fastPath((from.index | to.index) >= 0) { return queues[from.index * canisters.count + to.index] }
        let index = queueIndex(from, to)
        return index < queues.count ? queues[index] : []
    }

    public subscript(canister id: CanisterId) -> CanisterRecord {
        get { canisters[id.index] }
        _modify { yield &canisters[id.index] }
    }

    /// Whether the history holds calls or per-pair orders (what symmetry reduction renames),
    /// read in place: copying the history out of its box cost a retain and a release per part.
    var hasCallHistory: Bool {
        !(storage.history.value.calls.isEmpty && storage.history.value.sent.isEmpty && storage.history.value.started.isEmpty)
    }

    // MARK: lookups

    // The lookups read the arrays in place: `firstIndex`/`contains` on the arrays copied every
    // element they passed (a callback holds its continuation, a retain and a release each), and
    // the rules ask them for every response and context of every state.

    public func contextIndex(_ id: ContextId) -> Int? {
        storage.contexts.value.withUnsafeBufferPointer { contexts in
            for index in contexts.indices where contexts[index].id == id { return index }
            return nil
        }
    }
    public func context(_ id: ContextId) -> CallContext? { contextIndex(id).map { storage.contexts.value[$0] } }
    public func callbackIndex(_ call: CallId) -> Int? {
        storage.callbacks.value.withUnsafeBufferPointer { callbacks in
            for index in callbacks.indices where callbacks[index].call == call { return index }
            return nil
        }
    }
    public func callback(_ call: CallId) -> Callback? { callbackIndex(call).map { storage.callbacks.value[$0] } }

    /// Whether the SYS_UNKNOWN notice of `call` is in flight, read in place.
    func hasSystemNotice(for call: CallId) -> Bool {
        storage.responses.value.withUnsafeBufferPointer { responses in
            for index in responses.indices where responses[index].call == call && responses[index].isSystemNotice { return true }
            return false
        }
    }

    /// Whether the context `id` exists and was deleted (by an uninstall), read in place.
    func isDeletedContext(_ id: ContextId) -> Bool {
        storage.contexts.value.withUnsafeBufferPointer { contexts in
            for index in contexts.indices where contexts[index].id == id { return contexts[index].deleted }
            return false
        }
    }

    /// Whether a response to `call` (the SYS_UNKNOWN notice if `isSystemNotice`) finds its
    /// callback open, and that callback's caller context (`deliverResponse`/`discardResponse`):
    /// while the callback is unexpired the one response in flight; once expired, only the notice.
    /// In place: no copy of the callback.
    func deliverableCallback(of call: CallId, isSystemNotice: Bool) -> (index: Int, callerContext: ContextId)? {
        storage.callbacks.value.withUnsafeBufferPointer { callbacks in
            for index in callbacks.indices where callbacks[index].call == call {
                return !callbacks[index].expired || isSystemNotice ? (index, callbacks[index].callerContext) : nil
            }
            return nil
        }
    }

    /// Whether the canister is frozen: requests to it are rejected with SYS_TRANSIENT (T2b).
    func isFrozen(_ id: CanisterId, _ configuration: SystemConfiguration) -> Bool {
        balance(of: id) < configuration.canisters[id.index].freezingThreshold
    }

    /// Whether anything still references the context (T8/T9): an open callback of a call it made.
    /// Requests and responses of its calls are only left over once their callback has gone, which
    /// happens only for expired (best-effort) calls, so the callbacks are the whole reference set.
    public func isReferenced(_ id: ContextId) -> Bool {
        storage.callbacks.value.withUnsafeBufferPointer { callbacks in
            for index in callbacks.indices where callbacks[index].callerContext == id { return true }
            return false
        }
    }

    /// Whether T9 may remove `context`: it is answered (or deleted) and nothing references it.
    public func isRemovable(_ context: CallContext) -> Bool { !context.needsToRespond && !isReferenced(context.id) }

    /// The callee of an open call (from its callback, or the request or response in flight).
    public func callee(of call: CallId) -> CanisterId? {
        if let callback = callback(call) { return callback.callee }
        for entry in queues.entries {
            if let request = entry.requests.first(where: { $0.call == call }) { return request.callee }
        }
        return history.calls[call]?.callee
    }

    // MARK: canonical inserts

    // The places are found in place, comparing the ordering fields only: `firstIndex` copied
    // every element it passed (a response's payload, a callback's continuation).

    mutating func insertResponse(_ response: InFlightResponse) {
        let index = storage.responses.value.withUnsafeBufferPointer { responses in
            for index in responses.indices {
                let call = responses[index].call
                if response.call != call ? response.call < call : (!response.isSystemNotice && responses[index].isSystemNotice) {
                    return index
                }
            }
            return responses.count
        }
        insertResponse(response, at: index)
    }

    mutating func insertContext(_ context: CallContext) {
        let index = storage.contexts.value.withUnsafeBufferPointer { contexts in
            for index in contexts.indices where context.id < contexts[index].id { return index }
            return contexts.count
        }
        insertContext(context, at: index)
    }

    mutating func insertCallback(_ callback: Callback) {
        let index = storage.callbacks.value.withUnsafeBufferPointer { callbacks in
            for index in callbacks.indices where callback.call < callbacks[index].call { return index }
            return callbacks.count
        }
        insertCallback(callback, at: index)
    }

    /// Records the callee's or system's final answer to a context that needs a response, and
    /// closes the context (`needs_to_respond := false`, `available_cycles := 0`). For an
    /// inter-canister context the response goes in flight with refund = available cycles; for an
    /// ingress context the user gets it at once (T12 collapsed).
    ///
    /// `recordingRespondent`: the response names the context's canister as its respondent (see
    /// `ICSystem.tracksResponseSlots`).
    mutating func respond(context index: Int, with response: Response, fromCallee: Bool, recordingRespondent: Bool) {
        let context = callContexts[index]
        let refund = context.availableCycles
        // One write to the contexts (each write goes through the shared boxes' uniqueness checks).
        callContexts.withElement(at: index) {
            $0.needsToRespond = false
            $0.availableCycles = 0
        }
        switch context.id {
        case .ingress(let slot):
            recordIngressResponse(response, slot: slot)
            ingress[slot] = .answered
        case .call(let call):
            insertResponse(InFlightResponse(call: call, response: response, refund: refund, isSystemNotice: false, respondent: recordingRespondent ? context.canister : nil))
            if fromCallee {
                recordCall(call) { record in
                    if record.calleeResponse == nil { record.calleeResponse = response }
                }
            }
        case .systemTask:
            break  // never needs a response
        }
    }
}
