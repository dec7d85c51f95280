import SMT

/// One IC messaging rule as a transition relation `Rule(pre, post)` over symbolic states.
///
/// `instantiate` builds the relation over *given* pre/post terms with the rule's nondeterministic
/// parameters (call id, amounts, codes) as constants named `<tag><param>`; substituting concrete
/// arrays for pre/post evaluates the rule on concrete values.
public struct Rule: Sendable {
    /// Short identifier used in tables (e.g. `deliverRequest`).
    public let name: String
    /// One-line description tied to ic-semantics.md §2.
    public let summary: String
    let build: @Sendable (SymbolicState, SymbolicState, String) throws -> RuleInstance

    public init(name: String, summary: String,
                build: @escaping @Sendable (SymbolicState, SymbolicState, String) throws -> RuleInstance) {
        self.name = name
        self.summary = summary
        self.build = build
    }

    /// The relation between `pre` and `post`, with parameters named after `tag`.
    public func instantiate(pre: SymbolicState, post: SymbolicState, tag: String = "") throws -> RuleInstance {
        try build(pre, post, tag)
    }
}

/// A rule applied to a concrete pair of states.
public struct RuleInstance {
    /// Guards, effects and frame conditions (quantifier-free).
    public let relation: Term
    /// A guard that must hold for *every* call id `d` (e.g. "x is at the head of its queue").
    /// Proofs instantiate it at the relevant ids (sound: it is a hypothesis); bounded model
    /// checking instantiates it at every id of the finite configuration.
    public let universalGuard: ((Term) throws -> Term)?
    /// The rule's nondeterministic parameters, for printing counterexamples.
    public let params: [(name: String, term: Term)]
    /// The only call id whose per-call components may change (nil: none changes).
    public let touchedCall: Term?
    /// The only canister whose balance may change (nil: no balance changes).
    public let touchedCanister: Term?
    /// The guards alone and the post-state as terms over pre (when the rule is functional), so a
    /// successor state can be built by substitution instead of equalities (used by BMC).
    public internal(set) var guards: Term?
    public internal(set) var effects: [Field: Term]?

    public init(relation: Term, universalGuard: ((Term) throws -> Term)?, params: [(name: String, term: Term)],
                touchedCall: Term?, touchedCanister: Term?) {
        self.relation = relation
        self.universalGuard = universalGuard
        self.params = params
        self.touchedCall = touchedCall
        self.touchedCanister = touchedCanister
    }

    /// The relation with the universal guard instantiated at `ids`.
    public func relation(instantiatingGuardAt ids: [Term]) throws -> Term {
        guard let g = universalGuard else { return relation }
        return try and([relation] + ids.map { try g($0) })
    }
}
