import ICProofs
import ICCore
import ICMessaging
import SMT

/// Concrete values of every `Field` of the symbolic state: what the abstraction function maps an
/// explicit `ICState` to. Call ids are abstract integers `0..<callCount`, canisters their index.
public struct AbstractState: Hashable, Sendable {
    /// Per-call fields, indexed by abstract call id.
    public var perCall: [Field: [Int]]
    /// Per-canister fields, indexed by canister index.
    public var perCanister: [Field: [Int]]
    /// Pair fields, `[caller][callee]`.
    public var perPair: [Field: [[Int]]]
    public var scalar: [Field: Int]

    /// The value a field has outside the mapped ids (the symbolic initial state's value).
    static func defaultValue(_ f: Field) -> Int { f == .lastStarted ? -1 : 0 }

    /// The state as Z3 array terms (stores over a constant array of the default value).
    public func terms(_ ctx: Context) throws -> SymbolicState {
        func array(_ values: [Int], _ def: Int) throws -> Term {
            var a = try ctx.constArray(ctx.intSort, ctx.int(def))
            for (i, v) in values.enumerated() where v != def { a = try a.store(ctx.int(i), ctx.int(v)) }
            return a
        }
        var vars: [Field: Term] = [:]
        for f in Field.allCases {
            switch f.domain {
            case .call: vars[f] = try array(perCall[f] ?? [], Self.defaultValue(f))
            case .canister: vars[f] = try array(perCanister[f] ?? [], Self.defaultValue(f))
            case .pair:
                let def = Self.defaultValue(f)
                var outer = try ctx.constArray(ctx.intSort, ctx.constArray(ctx.intSort, ctx.int(def)))
                for (p, row) in (perPair[f] ?? []).enumerated() where row.contains(where: { $0 != def }) {
                    outer = try outer.store(ctx.int(p), array(row, def))
                }
                vars[f] = outer
            case .scalar: vars[f] = ctx.int(scalar[f] ?? 0)
            }
        }
        return SymbolicState(ctx, vars: vars)
    }
}

/// What the abstraction needs beyond the explicit state, carried along a run because the
/// explicit state forgets it once a message is consumed: the refund and response code of a
/// call's last real response (the symbolic `refund[c]`/`rejectCode[c]` keep them), and which
/// callbacks ran on a SYS_UNKNOWN notice (symbolic `doneUnknown`); the argument of every request
/// to the management canister (symbolic `method`/`target`); and, from the configuration, who
/// controls whom (symbolic `controls`).
public struct AbstractionGhost: Hashable, Sendable {
    public var refund: [CallId: Int] = [:]
    public var rejectCode: [CallId: Int] = [:]
    public var unknownDelivered: Set<CallId> = []
    /// `method`/`target` of each call to the management canister seen in a queue.
    public var management: [CallId: ManagementRequest] = [:]
    /// The controllers of each canister (index).
    public var controllers: [Int: Set<Int>] = [:]

    /// What a request to the management canister asks for, as the symbolic state codes it.
    public struct ManagementRequest: Hashable, Sendable {
        public var method: Int
        public var target: Int
    }

    public init() {}

    /// The ghost at the start of a run of `configuration` (its controller relation).
    public init(configuration: SystemConfiguration) {
        for (index, setup) in configuration.canisters.enumerated() { controllers[index] = Set(setup.controllers.map(\.index)) }
    }

    /// The ghost after `action` led from `pre` to `post`.
    public func after(_ action: ICAction, pre: ICState, post: ICState) -> AbstractionGhost {
        var g = self
        g.recordManagementRequests(in: pre)
        g.recordManagementRequests(in: post)
        for r in post.responses where !r.isSystemNotice {
            g.refund[r.call] = r.refund
            g.rejectCode[r.call] = ConcreteAbstraction.code(r.response)
        }
        let consumed: CallId?
        switch action {
        case .deliverResponse(let call, _, _), .discardResponse(let call): consumed = call
        default: consumed = nil
        }
        if let call = consumed, let callback = pre.callback(call), post.callback(call) == nil,
           let response = pre.responses.first(where: { $0.call == call && (callback.expired ? $0.isSystemNotice : true) }),
           response.isSystemNotice {
            g.unknownDelivered.insert(call)
        }
        return g
    }

    /// Records the argument of every request to the management canister queued in `state`.
    mutating func recordManagementRequests(in state: ICState) {
        for queue in state.queues {
            for request in queue where request.callee == .management && management[request.call] == nil {
                management[request.call] = Self.code(request)
            }
        }
    }

    /// The method code and target of a request to the management canister (`MethodCode`).
    static func code(_ request: QueuedRequest) -> ManagementRequest {
        guard let method = ManagementMethod(rawValue: request.method) else { return ManagementRequest(method: MethodCode.invalid, target: 0) }
        let argument = method == .installCode
            ? InstallCodeArgument.decoding(request.arguments)
            : request.arguments.as(CanisterId.self).map { InstallCodeArgument(canisterId: $0, mode: .upgrade) }
        guard let argument else { return ManagementRequest(method: MethodCode.invalid, target: 0) }
        let code: Int
        switch method {
        case .depositCycles: code = MethodCode.depositCycles
        case .stopCanister: code = MethodCode.stopCanister
        case .startCanister: code = MethodCode.startCanister
        case .installCode:
            switch argument.mode {
            case .upgrade: code = MethodCode.upgrade
            case .install: code = MethodCode.install
            case .reinstall: code = MethodCode.reinstall
            }
        }
        return ManagementRequest(method: code, target: argument.canisterId.index)
    }
}

/// The abstraction function α : ICState × ghost → symbolic field values.
///
/// Mapping (per call c of `history.calls`, abstract id = rank of c in the sorted id set):
/// - `phase`: requested if queued; executing if its call context is open and must respond;
///   responded if its (non-notice) response is in flight; done otherwise; none if not issued.
/// - `callerState`: waiting/expired while the callback is open (by `Callback.expired`); once
///   closed, doneUnknown if it ran on a SYS_UNKNOWN notice (ghost), done otherwise.
/// - `kind`: best effort 1, (small) guaranteed 0; `caller`/`callee`: canister indices.
/// - `attached`, `accepted`, `refunded`, `lostOfCall`, `returnedOfCall`: the call's `CallRecord`
///   (`returned`: the replica's anonymous refunds); `contexts`:
///   `executions`; `delivered`: delivered responses; `sendSeq`: position in `history.sent[pair]`.
/// - `available`: the open context's available cycles, 0 without a context;
///   `refund`, `rejectCode`: the last real response's (ghost), 0 before any response.
/// - `method`, `target`: of a call to the management canister (the ghost's), 0 otherwise; `held`:
///   1 while the management canister holds it (queue `management → target`).
/// Per canister: `balance`, `status` (running 0, stopping(n) 1, stopped 2), `time` = global `now`,
/// `empty` (no code). The management canister is the abstract canister `canisterCount`
/// (`management`). Per pair: `nextSend` = calls sent so far; `lastStarted` = `sendSeq` of the last
/// started call, −1; `controls` from the ghost's controllers.
/// Globals: Σ balances, Σ queued request cycles, Σ context available cycles, Σ in-flight refunds,
/// `lostCycles`, and `total` = the initial total.
public enum ConcreteAbstraction {
    static func code(_ r: Response) -> Int {
        switch r {
        case .reply: ResponseCode.reply
        case .reject(let code, _): code.rawValue
        }
    }

    /// The abstract id of every call id (the same map must be used for a pre- and post-state).
    public static func callIndex(_ states: [ICState]) -> [CallId: Int] {
        var ids = Set<CallId>()
        for s in states { ids.formUnion(s.history.calls.keys) }
        return Dictionary(uniqueKeysWithValues: ids.sorted().enumerated().map { ($1, $0) })
    }

    public static func abstract(_ s: ICState, ghost: AbstractionGhost, index: [CallId: Int]) -> AbstractState {
        let n = index.count
        var calls: [Field: [Int]] = [:]
        for f in Field.allCases where f.domain == .call { calls[f] = Array(repeating: AbstractState.defaultValue(f), count: n) }
        let queued = Set(s.queues.flatMap { $0.map(\.call) })
        var ghost = ghost
        ghost.recordManagementRequests(in: s)
        let held = Set(s.canisterIds.flatMap { s.queue(from: .management, to: $0).map(\.call) })
        let n2 = s.canisterCount
        // The management canister is the abstract canister n2 (a callee only).
        func abstractIndex(_ id: CanisterId) -> Int { id == .management ? n2 : id.index }
        var nextSend = Array(repeating: Array(repeating: 0, count: n2 + 1), count: n2)
        var lastStarted = Array(repeating: Array(repeating: -1, count: n2 + 1), count: n2)
        for (pair, sent) in s.history.sent {
            let from = pair.from.index, to = abstractIndex(pair.to)
            guard from >= 0, to >= 0, from < n2, to <= n2 else { continue }
            nextSend[from][to] = sent.count
            if let last = s.history.started[pair]?.last, let seq = sent.firstIndex(of: last) {
                lastStarted[from][to] = seq
            }
        }
        for (id, record) in s.history.calls {
            guard let i = index[id] else { continue }
            func set(_ f: Field, _ v: Int) { calls[f]![i] = v }
            let context = s.context(.call(id))
            let realResponse = s.responses.first { $0.call == id && !$0.isSystemNotice }
            let phase: Int
            if queued.contains(id) { phase = Phase.requested }
            else if let context, context.needsToRespond { phase = Phase.executing }
            else if realResponse != nil { phase = Phase.responded }
            else { phase = Phase.done }
            set(.phase, phase)
            if let callback = s.callback(id) {
                set(.callerState, callback.expired ? CallerState.expired : CallerState.waiting)
            } else {
                set(.callerState, ghost.unknownDelivered.contains(id) ? CallerState.doneUnknown : CallerState.done)
            }
            set(.kind, record.kind.isBestEffort ? CallKindCode.bestEffort : CallKindCode.guaranteed)
            set(.caller, id.caller.index)
            set(.callee, abstractIndex(record.callee))
            set(.attached, record.attached)
            set(.available, context?.availableCycles ?? 0)
            set(.accepted, record.accepted)
            set(.refund, ghost.refund[id] ?? 0)
            set(.refunded, record.refunded)
            set(.lostOfCall, record.lost)
            set(.returnedOfCall, record.returned)
            set(.contexts, record.executions)
            set(.delivered, record.deliveredResponses.count)
            set(.sendSeq, s.history.sent[QueuePair(from: id.caller, to: record.callee)]?.firstIndex(of: id) ?? 0)
            set(.rejectCode, ghost.rejectCode[id] ?? ResponseCode.reply)
            if record.callee == .management, let request = ghost.management[id] {
                set(.method, request.method)
                set(.target, request.target)
            }
            set(.held, held.contains(id) ? 1 : 0)
        }
        let balances = s.canisters.map(\.balance)
        let status = s.canisters.map { c -> Int in
            switch c.status {
            case .running: StatusCode.running
            case .stopping: StatusCode.stopping
            case .stopped: StatusCode.stopped
            }
        }
        let scalars: [Field: Int] = [
            .sumBalances: balances.reduce(0, +),
            .sumRequests: s.queues.joined().reduce(0) { $0 + $1.cycles },
            .sumHeld: s.callContexts.reduce(0) { $0 + $1.availableCycles },
            .sumResponses: s.responses.reduce(0) { $0 + ($1.isSystemNotice ? 0 : $1.refund) },
            .lost: s.lostCycles,
            .total: s.initialTotalCycles,
        ]
        let controls = (0..<n2).map { p in (0...n2).map { t in ghost.controllers[t]?.contains(p) == true ? 1 : 0 } }
        var withManagement = scalars
        withManagement[.management] = n2
        return AbstractState(
            perCall: calls,
            perCanister: [.balance: balances, .status: status, .time: Array(repeating: s.now, count: n2),
                          .empty: s.canisters.map { $0.codeVersion == nil ? 1 : 0 }],
            perPair: [.nextSend: nextSend, .lastStarted: lastStarted, .controls: controls],
            scalar: withManagement)
    }
}
