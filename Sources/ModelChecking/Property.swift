/// A named claim about a transition system, evaluated by the checker.
///
/// Safety claims (`always`, `sometimes`) are decided during the search; liveness claims
/// (`eventually`, `leadsTo`) need the explored state graph and a fairness assumption, and are
/// decided by the liveness checker.
public struct Property<State>: Sendable {
    /// What kind of claim the property makes.
    public enum Expectation: String, Sendable, Codable {
        /// The condition holds in every reachable state (an invariant).
        case always
        /// The condition holds in some reachable state (a reachability goal; a witness is reported).
        case sometimes
        /// On every (fair) infinite or terminal run, the condition eventually holds.
        case eventually
        /// Whenever `premise` holds, `condition` eventually holds afterwards (P ~> Q).
        case leadsTo
    }

    public let name: String
    public let expectation: Expectation
    /// The condition evaluated on states (Q for `leadsTo`).
    public let condition: @Sendable (State) -> Bool
    /// The premise P of a `leadsTo` property; `nil` for the other kinds.
    public let premise: (@Sendable (State) -> Bool)?

    public init(
        name: String,
        expectation: Expectation,
        premise: (@Sendable (State) -> Bool)? = nil,
        condition: @escaping @Sendable (State) -> Bool
    ) {
        self.name = name
        self.expectation = expectation
        self.premise = premise
        self.condition = condition
    }

    /// An invariant: `condition` must hold in every reachable state.
    public static func always(_ name: String, _ condition: @escaping @Sendable (State) -> Bool) -> Self {
        Self(name: name, expectation: .always, condition: condition)
    }

    /// A reachability goal: some reachable state satisfies `condition`.
    public static func sometimes(_ name: String, _ condition: @escaping @Sendable (State) -> Bool) -> Self {
        Self(name: name, expectation: .sometimes, condition: condition)
    }

    /// A liveness goal: every fair run eventually reaches a state satisfying `condition`.
    public static func eventually(_ name: String, _ condition: @escaping @Sendable (State) -> Bool) -> Self {
        Self(name: name, expectation: .eventually, condition: condition)
    }

    /// `premise ~> condition`: whenever `premise` holds, `condition` eventually holds.
    public static func leadsTo(
        _ name: String,
        from premise: @escaping @Sendable (State) -> Bool,
        to condition: @escaping @Sendable (State) -> Bool
    ) -> Self {
        Self(name: name, expectation: .leadsTo, premise: premise, condition: condition)
    }
}
