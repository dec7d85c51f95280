import Foundation
import SMT

/// Result of one proof obligation.
public enum ProofOutcome: Sendable, Equatable {
    case proved
    /// The obligation is false: a readable counterexample to induction (pre-state, rule, post-state).
    case refuted(counterexample: String)
    /// Z3 gave up (timeout or incompleteness); never counted as proved.
    case unknown(reason: String)

    /// "proved", "refuted" or "unknown".
    public var name: String {
        switch self {
        case .proved: return "proved"
        case .refuted: return "refuted"
        case .unknown: return "unknown"
        }
    }
}

/// One row of a proof run: an invariant of a property group checked for one rule (or `init`).
public struct ProofRow: Sendable {
    /// `<group>/<invariant>`.
    public let property: String
    public let group: String
    public let invariant: String
    /// Rule name, or `init` for the base case.
    public let rule: String
    public let outcome: ProofOutcome
    public let seconds: Double
}

/// Error for bad prover input.
public enum ProveError: Error, CustomStringConvertible, Equatable {
    case unknownProperty(String, valid: [String])

    public var description: String {
        switch self {
        case let .unknownProperty(name, valid):
            return "unknown property '\(name)'; valid properties: \(valid.joined(separator: ", "))"
        }
    }
}

/// Proves the invariants of `InductiveProperties` inductive over `ICRules`, one query per
/// (invariant, rule) pair. Each query runs in a fresh solver scope with its own timeout.
///
/// Universally quantified hypotheses (the invariants in the pre-state, and universal rule guards)
/// are instantiated at the ids the query mentions: the skolem witnesses of the goal and the rule's
/// parameters. This is sound (instances of true hypotheses are true) and keeps every query
/// quantifier-free (arrays + linear integer arithmetic), hence decidable.
public struct ICProver: Sendable {
    /// Per-query timeout in seconds (nil: none).
    public var timeout: Double?
    public var rules: [Rule]
    public var groups: [PropertyGroup]

    public init(timeout: Double? = 60, rules: [Rule] = ICRules.standard, groups: [PropertyGroup] = InductiveProperties.all) {
        self.timeout = timeout
        self.rules = rules
        self.groups = groups
    }

    /// The named groups plus everything they depend on, in declaration order.
    public func select(_ names: [String]?) throws(ProveError) -> [PropertyGroup] {
        guard let names else { return groups }
        var wanted = Set<String>()
        func add(_ n: String) throws(ProveError) {
            guard let g = groups.first(where: { $0.name == n }) else {
                throw .unknownProperty(n, valid: groups.map(\.name))
            }
            if wanted.insert(n).inserted { for d in g.dependsOn { try add(d) } }
        }
        for n in names { try add(n) }
        return groups.filter { wanted.contains($0.name) }
    }

    /// Runs all obligations of the selected properties; `progress` sees each row as it completes.
    public func run(properties: [String]? = nil, progress: ((ProofRow) -> Void)? = nil) throws -> [ProofRow] {
        let selected = try select(properties)
        let ctx = Context()
        let solver = Solver(ctx)
        let pre = try SymbolicState(ctx, name: "pre")
        let post = try SymbolicState(ctx, name: "post")
        let k1 = try ctx.int("w.call1"), k2 = try ctx.int("w.call2")
        let p = try ctx.int("w.canister1"), q = try ctx.int("w.canister2")
        var rows: [ProofRow] = []

        for group in selected {
            let hypotheses = hypothesisInvariants(for: group)
            for inv in group.invariants {
                // Base case.
                if let goal = try initGoal(inv, pre, [k1, k2], [p, q]) {
                    let row = try check(group, inv, "init", solver) {
                        [try InitialState.predicate(pre, canisters: [p, q])] 
                    } goal: { goal } render: { m in
                        try CounterexampleRenderer(model: m, pre: pre, post: nil)
                            .render(ruleName: "init", params: [], calls: [k1, k2], canisters: [p, q], pairs: [(p, q)])
                    }
                    rows.append(row); progress?(row)
                }
                // Induction step, each rule separately.
                for rule in rules {
                    let inst = try rule.instantiate(pre: pre, post: post, tag: "r.")
                    var calls = [k1, k2]
                    if let x = inst.touchedCall { calls.append(x) }
                    for (n, t) in inst.params where n == "x" && !calls.contains(where: { $0 === t }) { calls.append(t) }
                    var canisters = [p, q]
                    var pairs: [(Term, Term)] = [(p, q)]
                    for c in calls {
                        for s in [pre, post] {
                            let a = try s.at(.caller, c), b = try s.at(.callee, c)
                            canisters += [a, b]; pairs.append((a, b))
                        }
                    }
                    if let t = inst.touchedCanister { canisters.append(t) }
                    for (n, t) in inst.params where ["canister", "caller", "callee"].contains(n) { canisters.append(t) }
                    let paramCaller = inst.params.first { $0.name == "caller" }?.term
                    let paramCallee = inst.params.first { $0.name == "callee" }?.term
                    if let a = paramCaller, let b = paramCallee { pairs.append((a, b)) }

                    let goal = try stepGoal(inv, pre, post, inst, [k1, k2], [p, q])
                    let row = try check(group, inv, rule.name, solver) {
                        var h = [try inst.relation(instantiatingGuardAt: calls)]
                        for hinv in hypotheses {
                            h += try instances(hinv, pre, calls: calls, canisters: canisters, pairs: pairs)
                        }
                        return h
                    } goal: { goal } render: { m in
                        try CounterexampleRenderer(model: m, pre: pre, post: post)
                            .render(ruleName: rule.name, params: inst.params, calls: calls,
                                    canisters: canisters, pairs: pairs)
                    }
                    rows.append(row); progress?(row)
                }
            }
        }
        return rows
    }

    /// State invariants assumed in the induction step of `group`: its own and its dependencies'.
    func hypothesisInvariants(for group: PropertyGroup) -> [Invariant] {
        var names: [String] = []
        func add(_ n: String) {
            guard !names.contains(n), let g = groups.first(where: { $0.name == n }) else { return }
            names.append(n)
            g.dependsOn.forEach(add)
        }
        add(group.name)
        return names.flatMap { n in groups.first { $0.name == n }!.invariants.filter { $0.stateShape != nil } }
    }

    func instances(_ inv: Invariant, _ s: SymbolicState, calls: [Term], canisters: [Term], pairs: [(Term, Term)]) throws -> [Term] {
        guard case let .state(shape, f) = inv.body else { return [] }
        switch shape {
        case .global: return [try f(s, [])]
        case .perCall: return try calls.map { try f(s, [$0]) }
        case .perCallPair: return try calls.flatMap { c in try calls.map { d in try f(s, [c, d]) } }
        case .perCanister: return try canisters.map { try f(s, [$0]) }
        case .perCanisterPair: return try pairs.map { try f(s, [$0.0, $0.1]) }
        }
    }

    func witnessArgs(_ shape: Invariant.Shape, _ calls: [Term], _ canisters: [Term]) -> [Term] {
        switch shape {
        case .global: return []
        case .perCall: return [calls[0]]
        case .perCallPair: return [calls[0], calls[1]]
        case .perCanister: return [canisters[0]]
        case .perCanisterPair: return [canisters[0], canisters[1]]
        }
    }

    func initGoal(_ inv: Invariant, _ s: SymbolicState, _ calls: [Term], _ canisters: [Term]) throws -> Term? {
        switch inv.body {
        case let .state(shape, f): return try f(s, witnessArgs(shape, calls, canisters))
        case .step: return nil
        case let .sum(domain, sumVar, contribution, initiallyZero):
            guard initiallyZero else { return nil }
            let w = domain == .call ? calls[0] : canisters[0]
            return try (contribution(s, w) == 0) && (s[sumVar] == 0)
        }
    }

    func stepGoal(_ inv: Invariant, _ pre: SymbolicState, _ post: SymbolicState, _ inst: RuleInstance,
                  _ calls: [Term], _ canisters: [Term]) throws -> Term {
        switch inv.body {
        case let .state(shape, f): return try f(post, witnessArgs(shape, calls, canisters))
        case let .step(f): return try f(pre, post, inst, [calls[0], canisters[0], canisters[1]])
        case let .sum(domain, sumVar, contribution, _):
            let w = domain == .call ? calls[0] : canisters[0]
            let touched = domain == .call ? inst.touchedCall : inst.touchedCanister
            let unchanged = try contribution(post, w) == contribution(pre, w)
            let delta = try post[sumVar] - pre[sumVar]
            guard let t = touched else { return try unchanged && (delta == 0) }
            return try ((w != t) ==> unchanged) && (delta == contribution(post, t) - contribution(pre, t))
        }
    }

    func check(_ group: PropertyGroup, _ inv: Invariant, _ rule: String, _ solver: Solver,
               hypotheses: () throws -> [Term], goal: () throws -> Term,
               render: (Model) throws -> String) throws -> ProofRow {
        let start = Date()
        solver.push()
        defer { try? solver.pop() }
        for h in try hypotheses() { try solver.assert(h) }
        let outcome: ProofOutcome
        switch try solver.prove(try goal(), timeout: timeout) {
        case .proved: outcome = .proved
        case let .refuted(m):
            outcome = .refuted(counterexample: "counterexample to induction of \(group.name)/\(inv.name) under \(rule):\n" + (try render(m)))
        case let .unknown(r): outcome = .unknown(reason: r)
        }
        return ProofRow(property: "\(group.name)/\(inv.name)", group: group.name, invariant: inv.name,
                        rule: rule, outcome: outcome, seconds: Date().timeIntervalSince(start))
    }
}
