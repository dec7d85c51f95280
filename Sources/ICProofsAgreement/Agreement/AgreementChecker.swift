import ICProofs
import Foundation
import ICCore
import ICMessaging
import ModelChecking
import SMT

/// Checks that the symbolic rules (`ICRules`) and the explicit model (`ICSystem`) describe the
/// same system: for sampled concrete transitions `pre --action--> post` of the explicit model,
/// Z3 must confirm that `α(pre)` and `α(post)` (see `ConcreteAbstraction`) are related by one of
/// the action's rule chains (`ActionRefinement`), and must refute the relation for mutated
/// post-states (a balance ±1, a refund, a phase, the lost sink changed).
public struct AgreementChecker: Sendable {
    /// The rules the chains are resolved in (replace one to test a broken encoding).
    public var rules: [Rule]
    public var timeout: Double?

    public init(rules: [Rule] = ICRules.standard, timeout: Double? = 10) {
        self.rules = rules
        self.timeout = timeout
    }

    /// A transition whose abstract pair is not related by the symbolic rules.
    public struct Disagreement: Sendable, CustomStringConvertible {
        public let action: String
        public let chains: [[String]]
        /// `field[id]: pre → post` for every abstract value the step changed.
        public let changes: [String]
        public let verdict: String
        public var description: String {
            "\(action) [chains \(chains.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: " | "))]: \(verdict)\n    "
                + changes.joined(separator: "\n    ")
        }
    }

    /// A mutated post-state the symbolic relation wrongly accepts.
    public struct Escape: Sendable, CustomStringConvertible {
        public let action: String
        public let mutation: String
        public var description: String { "\(action): mutation \(mutation) accepted" }
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var transitions = 0
        public var perAction: [String: Int] = [:]
        /// Rule names that occurred in a chain that held.
        public var rulesUsed: Set<String> = []
        public var disagreements: [Disagreement] = []
        public var unmapped: [String: Int] = [:]
        public var mutationsChecked = 0
        public var escapes: [Escape] = []
        public var unknown = 0
        public var seconds = 0.0

        public var description: String {
            var lines = ["\(transitions) transitions checked in \(String(format: "%.1f", seconds)) s, \(mutationsChecked) mutated post-states refuted-or-escaped, \(escapes.count) escaped, \(disagreements.count) disagreements, \(unknown) unknown"]
            lines.append("actions: " + perAction.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            lines.append("rules exercised: " + rulesUsed.sorted().joined(separator: " "))
            if !unmapped.isEmpty { lines.append("unmapped: " + unmapped.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) }
            lines += disagreements.prefix(5).map { "DISAGREE " + $0.description }
            lines += escapes.prefix(5).map { "ESCAPE " + $0.description }
            return lines.joined(separator: "\n")
        }
    }

    /// Random walks with a fixed seed over `system`, checking every step taken.
    public func run(system: ICSystem, walks: Int, depth: Int, seed: UInt64, mutations: Bool = true) throws -> Report {
        let start = Date()
        var session = try Session(checker: self)
        var rng = Xoshiro256(seed: seed)
        var report = Report()
        for _ in 0..<walks {
            var state = system.initialStates[0]
            var ghost = AbstractionGhost(configuration: system.configuration)
            for _ in 0..<depth {
                let successors = system.successors(of: state)
                guard !successors.isEmpty else { break }
                let (action, next) = successors[rng.next(below: successors.count)]
                let nextGhost = ghost.after(action, pre: state, post: next)
                try session.check(pre: state, ghost: ghost, action: action, post: next, postGhost: nextGhost,
                                  mutations: mutations, into: &report)
                state = next
                ghost = nextGhost
            }
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// Checks one explicit transition (and its mutations) into `report`.
    public func check(pre: ICState, ghost: AbstractionGhost = AbstractionGhost(), action: ICAction, post: ICState,
                      mutations: Bool = true, into report: inout Report) throws {
        var session = try Session(checker: self)
        try session.check(pre: pre, ghost: ghost, action: action, post: post, postGhost: ghost.after(action, pre: pre, post: post),
                          mutations: mutations, into: &report)
    }

    /// One Z3 context and solver reused across transitions (not Sendable: lives inside a call).
    struct Session {
        let checker: AgreementChecker
        let ctx: Context
        let solver: Solver
        let rulesByName: [String: Rule]

        init(checker: AgreementChecker) throws {
            self.checker = checker
            ctx = Context()
            solver = Solver(ctx)
            rulesByName = Dictionary(checker.rules.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }

        /// The chain's relation: guards of every rule, post = composed effects.
        func chainRelation(_ chain: [String], index: Int, pre: SymbolicState, post: SymbolicState, callCount: Int) throws -> Term {
            var current = pre
            var parts: [Term] = []
            let ids = (0..<callCount).map { ctx.int($0) }
            for (i, name) in chain.enumerated() {
                guard let rule = rulesByName[name] else { throw SMTError.notAValue("no rule named \(name)") }
                let inst = try rule.instantiate(pre: current, post: current, tag: "a\(index).\(i).\(name).")
                guard let g = inst.guards, let effects = inst.effects else { throw SMTError.notAValue("rule \(name) has no functional form") }
                parts.append(g)
                if let ug = inst.universalGuard { parts += try ids.map { try ug($0) } }
                current = SymbolicState(ctx, vars: effects)
            }
            for f in Field.allCases { parts.append(try post[f] == current[f]) }
            return try and(parts, in: ctx)
        }

        func holds(_ chains: [[String]], _ pre: SymbolicState, _ post: AbstractState, callCount: Int) throws -> SatResult {
            let postTerms = try post.terms(ctx)
            let relation = try or(chains.enumerated().map { try chainRelation($1, index: $0, pre: pre, post: postTerms, callCount: callCount) }, in: ctx)
            solver.push()
            defer { try? solver.pop() }
            try solver.assert(relation)
            return try solver.check(timeout: checker.timeout)
        }

        mutating func check(pre: ICState, ghost: AbstractionGhost, action: ICAction, post: ICState, postGhost: AbstractionGhost,
                            mutations: Bool, into report: inout Report) throws {
            report.transitions += 1
            report.perAction[action.name, default: 0] += 1
            let chains: [[String]]
            do {
                chains = try ActionRefinement.chains(for: action, pre: pre, post: post)
            } catch let error as ActionRefinement.Unmapped {
                report.unmapped[error.action.name, default: 0] += 1
                return
            }
            let index = ConcreteAbstraction.callIndex([pre, post])
            let a = ConcreteAbstraction.abstract(pre, ghost: ghost, index: index)
            let b = ConcreteAbstraction.abstract(post, ghost: postGhost, index: index)
            let preTerms = try a.terms(ctx)
            switch try holds(chains, preTerms, b, callCount: index.count) {
            case .sat:
                // Which chain held (for coverage): the disjunct true in the model.
                if chains.count == 1 {
                    report.rulesUsed.formUnion(chains[0])
                } else {
                    for chain in chains where try holds([chain], preTerms, b, callCount: index.count).isSat {
                        report.rulesUsed.formUnion(chain)
                        break
                    }
                }
            case .unsat:
                report.disagreements.append(Disagreement(action: action.description, chains: chains,
                                                         changes: Self.changes(a, b), verdict: "no chain relates α(pre) and α(post)"))
                return
            case .unknown(let reason):
                report.unknown += 1
                report.disagreements.append(Disagreement(action: action.description, chains: chains, changes: Self.changes(a, b),
                                                         verdict: "unknown: \(reason)"))
                return
            }
            guard mutations else { return }
            for (name, mutated) in Self.mutations(of: b, relativeTo: a) {
                report.mutationsChecked += 1
                switch try holds(chains, preTerms, mutated, callCount: index.count) {
                case .unsat: break
                case .sat: report.escapes.append(Escape(action: action.description, mutation: name))
                case .unknown: report.unknown += 1
                }
            }
        }

        /// Mutated post-states: each must be refuted. The call and canister are the ones the step
        /// changed (so the mutation hits what the rule computes, not only frame conditions).
        static func mutations(of b: AbstractState, relativeTo a: AbstractState) -> [(String, AbstractState)] {
            let n = b.perCall[.phase]?.count ?? 0
            let touchedCall = (0..<n).first { i in
                Field.allCases.contains { f in f.domain == .call && (a.perCall[f]![i] != b.perCall[f]![i]) }
            } ?? (n > 0 ? n - 1 : nil)
            let balancesA = a.perCanister[.balance]!, balancesB = b.perCanister[.balance]!
            let touchedCanister = balancesB.indices.first { balancesA[$0] != balancesB[$0] } ?? 0
            var result: [(String, AbstractState)] = []
            for delta in [1, -1] {
                var m = b
                m.perCanister[.balance]![touchedCanister] += delta
                m.scalar[.sumBalances]! += delta
                result.append(("balance[C\(touchedCanister)] \(delta > 0 ? "+" : "")\(delta)", m))
            }
            var lost = b
            lost.scalar[.lost]! += 1
            if let c = touchedCall { lost.perCall[.lostOfCall]![c] += 1 }
            result.append(("lost +1", lost))
            if let c = touchedCall {
                var refund = b
                refund.perCall[.refund]![c] += 1
                if refund.perCall[.phase]![c] == Phase.responded { refund.scalar[.sumResponses]! += 1 }
                result.append(("refund[\(c)] +1", refund))
                var phase = b
                phase.perCall[.phase]![c] = (phase.perCall[.phase]![c] + 1) % Phase.names.count
                result.append(("phase[\(c)] \(Phase.names[b.perCall[.phase]![c]]) → \(Phase.names[phase.perCall[.phase]![c]])", phase))
            }
            return result
        }

        static func changes(_ a: AbstractState, _ b: AbstractState) -> [String] {
            var lines: [String] = []
            for f in Field.allCases {
                switch f.domain {
                case .call, .canister:
                    let x = (f.domain == .call ? a.perCall[f] : a.perCanister[f]) ?? []
                    let y = (f.domain == .call ? b.perCall[f] : b.perCanister[f]) ?? []
                    for i in 0..<max(x.count, y.count) {
                        let u = i < x.count ? x[i] : AbstractState.defaultValue(f), v = i < y.count ? y[i] : AbstractState.defaultValue(f)
                        if u != v { lines.append("\(f.rawValue)[\(i)]: \(u) → \(v)") }
                    }
                case .pair:
                    let x = a.perPair[f] ?? [], y = b.perPair[f] ?? []
                    for p in x.indices { for q in x[p].indices where x[p][q] != y[p][q] { lines.append("\(f.rawValue)[\(p)][\(q)]: \(x[p][q]) → \(y[p][q])") } }
                case .scalar:
                    if a.scalar[f] != b.scalar[f] { lines.append("\(f.rawValue): \(a.scalar[f] ?? 0) → \(b.scalar[f] ?? 0)") }
                }
            }
            return lines
        }
    }
}
