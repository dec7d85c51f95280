import SMT

/// Renders a Z3 model of a failed induction step as readable pre/post values, restricted to the
/// calls, canisters and pairs the obligation mentions.
struct CounterexampleRenderer {
    let model: Model
    let pre: SymbolicState
    let post: SymbolicState?

    func name(_ f: Field, _ v: Int) -> String {
        let table: [String]?
        switch f {
        case .phase: table = Phase.names
        case .callerState: table = CallerState.names
        case .kind: table = CallKindCode.names
        case .status: table = StatusCode.names
        default: table = nil
        }
        if let table, v >= 0, v < table.count { return table[v] }
        return String(v)
    }

    func value(_ f: Field, _ read: (SymbolicState) throws -> Term) throws -> String {
        let a = try model.int(read(pre))
        guard let post else { return name(f, a) }
        let b = try model.int(read(post))
        return a == b ? name(f, a) : "\(name(f, a)) → \(name(f, b))"
    }

    func render(ruleName: String, params: [(name: String, term: Term)], calls: [Term], canisters: [Term],
                pairs: [(Term, Term)]) throws -> String {
        var lines: [String] = []
        let ps = try params.map { "\($0.name)=\(try model.int($0.term))" }.joined(separator: ", ")
        lines.append("  rule \(ruleName)(\(ps))" + (post == nil ? "" : "   [values shown as pre → post]"))
        var seen = Set<Int>()
        for c in calls {
            let id = try model.int(c)
            guard seen.insert(id).inserted else { continue }
            let fields = Field.allCases.filter { $0.domain == .call }
            let parts = try fields.map { f in "\(f.rawValue)=\(try value(f) { try $0.at(f, c) })" }
            lines.append("  call \(id): " + parts.joined(separator: " "))
        }
        seen = []
        for p in canisters {
            let id = try model.int(p)
            guard seen.insert(id).inserted else { continue }
            let fields = Field.allCases.filter { $0.domain == .canister }
            let parts = try fields.map { f in "\(f.rawValue)=\(try value(f) { try $0.at(f, p) })" }
            lines.append("  canister \(id): " + parts.joined(separator: " "))
        }
        var seenPairs = Set<[Int]>()
        for (a, b) in pairs {
            let key = [try model.int(a), try model.int(b)]
            guard seenPairs.insert(key).inserted else { continue }
            let fields = Field.allCases.filter { $0.domain == .pair }
            let parts = try fields.map { f in "\(f.rawValue)=\(try value(f) { try $0.at(f, a, b) })" }
            lines.append("  pair \(key[0])→\(key[1]): " + parts.joined(separator: " "))
        }
        let globals = try Field.allCases.filter { $0.domain == .scalar }.map { f in "\(f.rawValue)=\(try value(f) { $0[f] })" }
        lines.append("  globals: " + globals.joined(separator: " "))
        return lines.joined(separator: "\n")
    }
}
