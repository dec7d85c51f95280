import SMT

/// The initial state: no call issued, every canister running at time 0, arbitrary non-negative
/// balances, all Σ-variables 0 except the balance sum, which defines the conserved total; code
/// installed everywhere; the controller relation and the management canister's id arbitrary.
public enum InitialState {
    /// `Init(s)`, with the (universal) non-negativity of balances instantiated at `canisters`.
    public static func predicate(_ s: SymbolicState, canisters: [Term]) throws -> Term {
        let ctx = s.context
        let zero = try ctx.constArray(ctx.intSort, ctx.int(0))
        var parts: [Term] = []
        for f in Field.allCases {
            switch f {
            case .balance: continue
            case .status: parts.append(try s[f] == ctx.constArray(ctx.intSort, ctx.int(StatusCode.running)))
            case .nextSend: parts.append(try s[f] == ctx.constArray(ctx.intSort, zero))
            case .lastStarted: parts.append(try s[f] == ctx.constArray(ctx.intSort, ctx.constArray(ctx.intSort, ctx.int(-1))))
            case .sumBalances, .controls, .management: continue
            case .total: parts.append(try s[.total] == s[.sumBalances])
            default:
                parts.append(try f.domain == .scalar ? s[f] == 0 : s[f] == zero)
            }
        }
        for p in canisters { parts.append(try s.at(.balance, p) >= 0) }
        return try and(parts)
    }
}
