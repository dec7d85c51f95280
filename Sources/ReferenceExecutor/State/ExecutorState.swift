import ICCore

/// The reference executor's whole system state: canisters with their queues, streams between
/// subnets, call contexts, callbacks, the clock and the ghost history. A value type: copying it
/// is a snapshot.
public struct ExecutorState: Hashable, Sendable {
    var canisters: [CanisterRecord]
    var layout: SubnetLayout
    var streams: [StreamKey: [StreamEntry]] = [:]
    var callContexts: [ContextId: CallContext] = [:]
    var openCallbacks: [CallId: Callback] = [:]
    var ingressSent: Set<Int> = []
    var controllerActionsUsed = 0
    /// `stop_canister` calls the management canister has accepted, per target, oldest first:
    /// answered when the target stops, starts again, or a call times out.
    var heldStopCalls: [CanisterId: [RequestMessage]] = [:]
    /// When the management canister took each held stop call (its stop timer starts then).
    var stopCallsTakenAt: [CallId: Time] = [:]
    public internal(set) var history = CallHistory()
    public internal(set) var lostCycles: Cycles = 0
    public internal(set) var now: Time = 0
    public let initialTotalCycles: Cycles
    /// The judged properties' monitors (`ICMonitor`), updated after every step from this
    /// executor's own states; empty unless the executor was given some.
    public internal(set) var monitors = MonitorStates()

    init(configuration: SystemConfiguration, layout: SubnetLayout) {
        canisters = configuration.canisters.map {
            CanisterRecord(balance: $0.initialBalance, programState: $0.program.initialState)
        }
        self.layout = layout
        initialTotalCycles = configuration.initialTotalCycles
    }

    func record(_ id: CanisterId) -> CanisterRecord? {
        id.index >= 0 && id.index < canisters.count ? canisters[id.index] : nil
    }

    // MARK: Queue and stream access

    /// Every message from `from` to `to`, oldest first: receiver's input queue, then the stream,
    /// then the sender's output queue.
    func messages(from: CanisterId, to: CanisterId) -> [QueuedMessage] {
        // Requests to the management canister wait in the caller's output queue for it; the
        // management canister's "queue" to a canister is the stop calls it holds for it.
        if to == .management { return record(from)?.outputQueues[.management] ?? [] }
        if from == .management { return (heldStopCalls[to] ?? []).map { .request($0) } }
        guard let sender = record(from), let receiver = record(to) else { return [] }
        let key = StreamKey(from: layout.subnet(of: from), to: layout.subnet(of: to))
        let inStream = (streams[key] ?? []).filter { $0.from == from && $0.to == to }.map(\.message)
        return (receiver.inputQueues[from] ?? []) + inStream + (sender.outputQueues[to] ?? [])
    }

    /// Moves every message from `from` to `to` into the receiver's input queue, in order:
    /// output queue → stream (across subnets) → input queue.
    mutating func route(from: CanisterId, to: CanisterId) {
        guard record(from) != nil, record(to) != nil else { return }
        let outgoing = canisters[from.index].outputQueues[to] ?? []
        canisters[from.index].outputQueues[to] = nil
        let key = StreamKey(from: layout.subnet(of: from), to: layout.subnet(of: to))
        if key.from != key.to {
            streams[key, default: []].append(contentsOf: outgoing.map { StreamEntry(from: from, to: to, message: $0) })
        } else {
            canisters[to.index].inputQueues[from, default: []].append(contentsOf: outgoing)
        }
        induct(from: from, to: to)
    }

    /// Moves the stream messages of the pair into the receiver's input queue.
    mutating func induct(from: CanisterId, to: CanisterId) {
        let key = StreamKey(from: layout.subnet(of: from), to: layout.subnet(of: to))
        guard key.from != key.to, let stream = streams[key] else { return }
        let mine = stream.filter { $0.from == from && $0.to == to }
        guard !mine.isEmpty else { return }
        streams[key] = stream.filter { !($0.from == from && $0.to == to) }
        if streams[key]?.isEmpty == true { streams[key] = nil }
        canisters[to.index].inputQueues[from, default: []].append(contentsOf: mine.map(\.message))
    }

    /// Appends to the sender's output queue for `to`.
    mutating func send(_ message: QueuedMessage, from: CanisterId, to: CanisterId) {
        canisters[from.index].outputQueues[to, default: []].append(message)
    }

    /// Appends straight to the receiver's input queue (system-generated responses).
    mutating func deliverLocally(_ message: QueuedMessage, from: CanisterId, to: CanisterId) {
        canisters[to.index].inputQueues[from, default: []].append(message)
    }

    /// Removes the first message matching `predicate` from wherever it is; returns it.
    mutating func removeMessage(where predicate: (QueuedMessage) -> Bool) -> QueuedMessage? {
        for index in canisters.indices {
            for peer in canisters[index].inputQueues.keys.sorted() {
                if let position = canisters[index].inputQueues[peer]!.firstIndex(where: predicate) {
                    return canisters[index].inputQueues[peer]!.remove(at: position)
                }
            }
        }
        for key in streams.keys.sorted() {
            if let position = streams[key]!.firstIndex(where: { predicate($0.message) }) {
                let entry = streams[key]!.remove(at: position)
                if streams[key]!.isEmpty { streams[key] = nil }
                return entry.message
            }
        }
        for index in canisters.indices {
            for peer in canisters[index].outputQueues.keys.sorted() {
                if let position = canisters[index].outputQueues[peer]!.firstIndex(where: predicate) {
                    return canisters[index].outputQueues[peer]!.remove(at: position)
                }
            }
        }
        return nil
    }

    /// Every message anywhere (queues and streams).
    var allMessages: [QueuedMessage] {
        var result: [QueuedMessage] = []
        for record in canisters {
            for peer in record.inputQueues.keys.sorted() { result += record.inputQueues[peer]! }
            for peer in record.outputQueues.keys.sorted() { result += record.outputQueues[peer]! }
        }
        for key in streams.keys.sorted() { result += streams[key]!.map(\.message) }
        return result
    }

    var allResponses: [ResponseMessage] { allMessages.compactMap(\.response) }

    /// Whether `context` is still referenced by an open callback (a call it made that has not
    /// been answered), the precondition-breaker of T8 and T9.
    func hasOpenCallbacks(_ context: ContextId) -> Bool {
        openCallbacks.values.contains { $0.context == context }
    }

    func isFrozen(_ canister: CanisterId, threshold: Cycles) -> Bool {
        (record(canister)?.balance ?? 0) < threshold
    }
}

extension ExecutorState: ICView {
    public var canisterIds: [CanisterId] { CanisterId.first(canisters.count) }

    public func status(of canister: CanisterId) -> CanisterStatus { record(canister)?.status ?? .stopped }

    public func balance(of canister: CanisterId) -> Cycles { record(canister)?.balance ?? 0 }

    public func programState(of canister: CanisterId) -> AnyCanisterState {
        record(canister)?.programState ?? AnyCanisterState(0)
    }

    public func codeVersion(of canister: CanisterId) -> Int? { record(canister)?.codeVersion }
    public func globalTimer(of canister: CanisterId) -> Time? { record(canister)?.globalTimer }
    public func systemTasksRun(of canister: CanisterId) -> Int { record(canister)?.systemTasksRun ?? 0 }

    public func pendingRequests(from: CanisterId, to: CanisterId) -> [PendingRequest] {
        messages(from: from, to: to).compactMap(\.request).map {
            PendingRequest(call: $0.call, callee: $0.callee, method: $0.method, arguments: $0.arguments, cycles: $0.cycles)
        }
    }

    public var pendingResponses: [PendingResponse] {
        allResponses
            .sorted { ($0.call, $0.synthetic ? 1 : 0) < ($1.call, $1.synthetic ? 1 : 0) }
            .map { PendingResponse(call: $0.call, response: $0.response, refund: $0.refund) }
    }

    public var contexts: [ContextView] {
        callContexts.keys.sorted().map { id in
            let context = callContexts[id]!
            return ContextView(
                id: id, canister: context.canister, needsToRespond: context.needsToRespond,
                deleted: context.deleted, availableCycles: context.availableCycles
            )
        }
    }

    public var callbacks: [CallbackView] {
        openCallbacks.keys.sorted().map { id in
            let callback = openCallbacks[id]!
            return CallbackView(call: id, callee: callback.callee, kind: callback.kind, deadline: callback.deadline, expired: callback.expired)
        }
    }
}
