import SMT

/// A named proof goal over the symbolic state.
///
/// * `state` invariants are universally quantified over call ids / canister ids (by `Shape`); they
///   are proved inductive (Init ⇒ Inv, and Inv ∧ Rule ⇒ Inv' for each rule separately).
/// * `step` properties relate pre and post state of every single rule application.
/// * `sum` obligations justify a ghost Σ-variable: for each rule, every index except the rule's
///   touched one keeps its contribution, and the Σ-variable moves by exactly the touched index's
///   change. By induction over steps (finite sums, all contributions 0 initially) the variable
///   then always equals Σ_i contribution(i).
public struct Invariant: Sendable {
    /// Over which ids a state invariant is quantified.
    public enum Shape: Sendable { case global, perCall, perCallPair, perCanister, perCanisterPair }

    public enum Body: Sendable {
        case state(Shape, @Sendable (SymbolicState, [Term]) throws -> Term)
        /// Arguments: pre, post, the rule instance, witnesses [call, canister, canister].
        case step(@Sendable (SymbolicState, SymbolicState, RuleInstance, [Term]) throws -> Term)
        /// `sumVar = Σ_i contribution(state, i)` over calls or canisters. `initiallyZero`: the
        /// initial state has all contributions 0 (checked); otherwise the initial value is the
        /// definition of the ghost variable (e.g. the initial total of balances).
        case sum(domain: Field.Domain, sumVar: Field, contribution: @Sendable (SymbolicState, Term) throws -> Term,
                 initiallyZero: Bool)
    }

    /// Unique name within its group.
    public let name: String
    /// The statement in words (used in documentation and reports).
    public let statement: String
    public let body: Body

    public init(_ name: String, _ statement: String, _ body: Body) {
        self.name = name
        self.statement = statement
        self.body = body
    }

    var stateShape: Shape? { if case let .state(s, _) = body { return s } else { return nil } }
}

/// A property with the strengthening invariants that make it inductive.
public struct PropertyGroup: Sendable {
    /// Name accepted by `icmc prove --property`.
    public let name: String
    public let summary: String
    public let invariants: [Invariant]
    /// Groups whose state invariants are assumed in this group's induction steps (they are proved
    /// in the same run, so the conjunction of all selected invariants is inductive).
    public let dependsOn: [String]
}
