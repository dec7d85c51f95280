import SMT

/// One component of the symbolic IC state. Call- and canister-indexed components are integer
/// arrays over unbounded ids; pair components are nested arrays `caller → callee → Int`.
public enum Field: String, CaseIterable, Sendable {
    // Per call (index: call id).
    case phase, callerState, kind, caller, callee, attached, available, accepted, refund, refunded
    case lostOfCall, returnedOfCall, contexts, delivered, sendSeq, rejectCode
    /// A call to the management canister: its `MethodCode`, its target canister, and whether the
    /// management canister holds it (a `stop_canister` call waiting for its target to stop).
    case method, target, held
    // Per canister.
    case balance, status, time
    /// 1 when the canister has no code (uninstalled), 0 when code is installed.
    case empty
    // Per ordered canister pair.
    case nextSend, lastStarted
    /// `controls[p][t]` = 1 when canister p is a controller of canister t (no rule changes it).
    case controls
    // Global ghost sums and the lost-cycles sink.
    case sumBalances, sumRequests, sumHeld, sumResponses, lost, total
    /// The management canister's id (a callee only; no rule changes it).
    case management

    /// What the component is indexed by.
    public enum Domain: Sendable { case call, canister, pair, scalar }

    public var domain: Domain {
        switch self {
        case .phase, .callerState, .kind, .caller, .callee, .attached, .available, .accepted, .refund,
             .refunded, .lostOfCall, .returnedOfCall, .contexts, .delivered, .sendSeq, .rejectCode,
             .method, .target, .held: return .call
        case .balance, .status, .time, .empty: return .canister
        case .nextSend, .lastStarted, .controls: return .pair
        case .sumBalances, .sumRequests, .sumHeld, .sumResponses, .lost, .total, .management: return .scalar
        }
    }
}

/// A symbolic IC state: one Z3 term per `Field`. States are plain values over terms, so a rule's
/// relation can be built over any pre/post terms (fresh constants for proofs, concrete arrays for
/// evaluation or bounded model checking).
public struct SymbolicState {
    public let context: Context
    public let vars: [Field: Term]

    /// Fresh named constants `<name>.<field>` for every component.
    public init(_ context: Context, name: String) throws {
        self.context = context
        let intArray = try context.arraySort(context.intSort, context.intSort)
        let pairArray = try context.arraySort(context.intSort, intArray)
        var v: [Field: Term] = [:]
        for f in Field.allCases {
            let sort: Sort
            switch f.domain {
            case .call, .canister: sort = intArray
            case .pair: sort = pairArray
            case .scalar: sort = context.intSort
            }
            v[f] = try context.constant("\(name).\(f.rawValue)", sort)
        }
        vars = v
    }

    /// A state from explicit terms (every field must be present).
    public init(_ context: Context, vars: [Field: Term]) {
        self.context = context
        self.vars = vars
    }

    /// The whole component (an array for indexed fields).
    public subscript(_ f: Field) -> Term { vars[f]! }

    /// `f[i]` for a call- or canister-indexed component.
    public func at(_ f: Field, _ i: Term) throws -> Term { try vars[f]!.select(i) }

    /// `f[a][b]` for a pair component.
    public func at(_ f: Field, _ a: Term, _ b: Term) throws -> Term { try vars[f]!.select(a).select(b) }

    /// Cycles that call `c` carries right now: the request's, the open context's, or the response's.
    public func inFlight(_ c: Term) throws -> Term {
        let ph = try at(.phase, c)
        let zero = context.int(0)
        return try (ph == Phase.requested).ite(at(.attached, c),
                   (ph == Phase.executing).ite(at(.available, c),
                   (ph == Phase.responded).ite(at(.refund, c), zero)))
    }

    /// `c` and `d` travel on the same ordered canister pair (same FIFO queue).
    public func samePair(_ c: Term, _ d: Term) throws -> Term {
        try (at(.caller, c) == at(.caller, d)) && (at(.callee, c) == at(.callee, d))
    }
}

/// Accumulates a rule's updates and turns them into `post == updated(pre)` for every component.
/// Components not updated are framed: `post.f == pre.f`.
struct Effects {
    let pre: SymbolicState
    private(set) var updates: [Field: Term] = [:]

    init(_ pre: SymbolicState) { self.pre = pre }

    private func current(_ f: Field) -> Term { updates[f] ?? pre[f] }

    mutating func set(_ f: Field, _ i: Term, _ v: Term) throws { updates[f] = try current(f).store(i, v) }
    mutating func set(_ f: Field, _ i: Term, _ v: Int) throws { try set(f, i, pre.context.int(v)) }
    mutating func set(_ f: Field, _ v: Term) { updates[f] = v }
    mutating func set(_ f: Field, _ a: Term, _ b: Term, _ v: Term) throws {
        let outer = current(f)
        updates[f] = try outer.store(a, outer.select(a).store(b, v))
    }

    /// The post-state value of every component.
    var postValues: [Field: Term] { Dictionary(uniqueKeysWithValues: Field.allCases.map { ($0, current($0)) }) }

    func relation(_ post: SymbolicState) throws -> Term {
        try and(Field.allCases.map { f in try post[f] == current(f) })
    }
}
