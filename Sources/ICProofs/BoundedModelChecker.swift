import Foundation
import SMT

/// A small concrete configuration for bounded model checking: canisters `0..<balances.count`
/// with the given initial balances, and call ids `0..<calls`.
public struct BMCConfiguration: Sendable {
    public var balances: [Int]
    public var calls: Int
    public init(balances: [Int], calls: Int) {
        self.balances = balances
        self.calls = calls
    }
}

/// One rule application of a bounded trace, with parameter values and the resulting values of
/// the calls and canisters it changed.
public struct BMCStep: Sendable {
    public let rule: String
    public let params: [String: Int]
    /// Human-readable `entity field: before → after` lines for everything that changed.
    public let changes: [String]
}

/// A trace from the initial state of a configuration to a state violating the target.
public struct BMCTrace: Sendable, CustomStringConvertible {
    public let steps: [BMCStep]
    /// Per-call field values in the final state (call id → field → value).
    public let finalCalls: [Int: [String: Int]]

    public var description: String {
        var lines: [String] = []
        for (i, s) in steps.enumerated() {
            let ps = s.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            lines.append("\(i + 1). \(s.rule)(\(ps))")
            lines += s.changes.map { "     " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}

/// Result of a bounded search.
public enum BMCResult: Sendable {
    /// A shortest violating trace (length ≤ bound).
    case violation(BMCTrace)
    /// No violation within the bound (not a proof for longer runs).
    case noViolationUpTo(Int)
    case unknown(reason: String, depth: Int)
}

/// Bounded model checking: unrolls the symbolic rules k = 1, 2, … steps from the initial state of
/// a concrete configuration and asks Z3 for a state violating `target`.
public struct BoundedModelChecker: Sendable {
    public var configuration: BMCConfiguration
    public var rules: [Rule]
    public var timeout: Double?

    public init(configuration: BMCConfiguration, rules: [Rule] = ICRules.standard, timeout: Double? = 60) {
        self.configuration = configuration
        self.rules = rules
        self.timeout = timeout
    }

    /// Per-call conservation for best-effort calls: after a SYS_UNKNOWN the caller got back less
    /// than it attached beyond what the callee accepted (`accepted + refunded < attached`).
    public static let bestEffortCyclesLost: @Sendable (SymbolicState, Term) throws -> Term = { s, c in
        try and([s.at(.kind, c) == CallKindCode.bestEffort, s.at(.callerState, c) == CallerState.doneUnknown,
                 s.at(.accepted, c) + s.at(.refunded, c) < s.at(.attached, c)])
    }

    /// The concrete initial state of the configuration. The management canister's id is one past
    /// the canisters, which `issueCall` never calls (its callee is a canister of the configuration):
    /// the management rules stay disabled.
    func initialState(_ ctx: Context, _ s: SymbolicState) throws -> Term {
        var bal = try ctx.constArray(ctx.intSort, ctx.int(0))
        for (i, b) in configuration.balances.enumerated() { bal = try bal.store(ctx.int(i), ctx.int(b)) }
        let total = configuration.balances.reduce(0, +)
        return try and([InitialState.predicate(s, canisters: []), s[.balance] == bal, s[.sumBalances] == total,
                        s[.management] == configuration.balances.count])
    }

    /// Searches for a state where `target(state, call)` holds for some call id, up to `bound` steps.
    public func search(bound: Int, target: @Sendable (SymbolicState, Term) throws -> Term = bestEffortCyclesLost) throws -> BMCResult {
        let ctx = Context()
        let solver = Solver(ctx)
        let callIDs = (0..<configuration.calls).map { ctx.int($0) }
        var states = [try SymbolicState(ctx, name: "s0")]
        try solver.assert(initialState(ctx, states[0]))
        var choices: [Term] = []
        var instances: [[RuleInstance]] = []
        for k in 1...max(1, bound) {
            // The successor is built functionally: post.f = ite(choice = j, effects_j.f, …), so the
            // unrolling has no array equalities (much faster than the relational form).
            let pre = states[k - 1]
            let choice = try ctx.int("choice\(k)")
            var options: [Term] = []
            var stepInstances: [RuleInstance] = []
            for (j, rule) in rules.enumerated() {
                let inst = try rule.instantiate(pre: pre, post: pre, tag: "s\(k).\(rule.name).")
                guard let g = inst.guards, inst.effects != nil else {
                    throw SMTError.notAValue("rule \(rule.name) has no functional form")
                }
                var parts = [g]
                if let ug = inst.universalGuard { parts += try callIDs.map { try ug($0) } }
                for (n, t) in inst.params {
                    if n == "x" { parts.append(try (t >= 0) && (t < configuration.calls)) }
                    if ["caller", "callee", "canister"].contains(n) { parts.append(try (t >= 0) && (t < configuration.balances.count)) }
                }
                options.append(try (choice == j) && and(parts))
                stepInstances.append(inst)
            }
            var vars: [Field: Term] = [:]
            for f in Field.allCases {
                var v = stepInstances[stepInstances.count - 1].effects![f]!
                for j in stride(from: stepInstances.count - 2, through: 0, by: -1) {
                    v = try (choice == j).ite(stepInstances[j].effects![f]!, v)
                }
                vars[f] = v
            }
            try solver.assert(or(options))
            let post = SymbolicState(ctx, vars: vars)
            states.append(post)
            choices.append(choice)
            instances.append(stepInstances)

            solver.push()
            try solver.assert(or(callIDs.map { try target(post, $0) }))
            let r = try solver.check(timeout: timeout)
            switch r {
            case let .sat(m):
                let trace = try extract(m, states: states, choices: choices, instances: instances)
                try solver.pop()
                return .violation(trace)
            case .unsat: try solver.pop()
            case let .unknown(reason):
                try solver.pop()
                return .unknown(reason: reason, depth: k)
            }
        }
        return .noViolationUpTo(bound)
    }

    func extract(_ m: Model, states: [SymbolicState], choices: [Term], instances: [[RuleInstance]]) throws -> BMCTrace {
        let renderer = { (pre: SymbolicState, post: SymbolicState) in CounterexampleRenderer(model: m, pre: pre, post: post) }
        var steps: [BMCStep] = []
        for (i, choice) in choices.enumerated() {
            let j = try m.int(choice)
            let inst = instances[i][j]
            var params: [String: Int] = [:]
            for (n, t) in inst.params { params[n] = try m.int(t) }
            let (pre, post) = (states[i], states[i + 1])
            let r = renderer(pre, post)
            var changes: [String] = []
            for c in 0..<configuration.calls {
                let id = m.context.int(c)
                for f in Field.allCases where f.domain == .call {
                    let a = try m.int(pre.at(f, id)), b = try m.int(post.at(f, id))
                    if a != b { changes.append("call \(c) \(f.rawValue): \(r.name(f, a)) → \(r.name(f, b))") }
                }
            }
            for p in 0..<configuration.balances.count {
                let id = m.context.int(p)
                for f in Field.allCases where f.domain == .canister {
                    let a = try m.int(pre.at(f, id)), b = try m.int(post.at(f, id))
                    if a != b { changes.append("canister \(p) \(f.rawValue): \(r.name(f, a)) → \(r.name(f, b))") }
                }
            }
            for f in Field.allCases where f.domain == .scalar {
                let a = try m.int(pre[f]), b = try m.int(post[f])
                if a != b { changes.append("\(f.rawValue): \(a) → \(b)") }
            }
            steps.append(BMCStep(rule: rules[j].name, params: params, changes: changes))
        }
        var finalCalls: [Int: [String: Int]] = [:]
        let last = states[states.count - 1]
        for c in 0..<configuration.calls {
            var v: [String: Int] = [:]
            for f in Field.allCases where f.domain == .call { v[f.rawValue] = try m.int(last.at(f, m.context.int(c))) }
            finalCalls[c] = v
        }
        return BMCTrace(steps: steps, finalCalls: finalCalls)
    }
}
