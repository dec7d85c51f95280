import CZ3

/// Outcome of a satisfiability check: a model, unsatisfiable, or Z3's reason for giving up.
public enum SatResult {
    case sat(Model)
    case unsat
    /// Z3 gave up (timeout, incompleteness, cancellation); the reason is Z3's own text.
    case unknown(String)
}

/// Outcome of a validity check. `unknown` is never reported as proved.
public enum ProofResult: CustomStringConvertible {
    /// The claim holds in every interpretation (its negation is unsatisfiable).
    case proved
    /// A model of the negated claim: a counterexample.
    case refuted(Model)
    /// Z3 could not decide within the limits; the reason is Z3's text.
    case unknown(String)

    public var isProved: Bool { if case .proved = self { return true } else { return false } }

    /// "proved", "refuted" or "unknown".
    public var name: String {
        switch self {
        case .proved: return "proved"
        case .refuted: return "refuted"
        case .unknown: return "unknown"
        }
    }
    public var description: String {
        if case let .unknown(r) = self { return "unknown (\(r))" }
        return name
    }
}

/// An incremental Z3 solver with push/pop scopes and a per-query timeout.
public final class Solver {
    let ctx: Context
    let raw: Z3_solver

    /// Creates a general-purpose solver in `context`.
    public init(_ context: Context) {
        ctx = context
        raw = Z3_mk_solver(context.raw)
        Z3_solver_inc_ref(ctx.raw, raw)
        ctx.referenceAcquired()
    }

    deinit {
        Z3_solver_dec_ref(ctx.raw, raw)
        ctx.referenceReleased()
    }

    /// Opens a backtracking scope.
    public func push() { Z3_solver_push(ctx.raw, raw) }
    /// Closes `count` scopes, forgetting their assertions.
    public func pop(_ count: Int = 1) throws(SMTError) {
        Z3_solver_pop(ctx.raw, raw, UInt32(max(0, count)))
        try ctx.check()
    }
    /// Number of open scopes.
    public var scopes: Int { Int(Z3_solver_get_num_scopes(ctx.raw, raw)) }

    /// Adds an assertion; throws if `term` is not Boolean or from another context.
    public func assert(_ term: Term) throws(SMTError) {
        guard term.ctx === ctx else { throw .contextMismatch }
        Z3_solver_assert(ctx.raw, raw, term.raw)
        try ctx.check()
    }

    /// Checks satisfiability of the current assertions, giving up after `timeout` seconds (if given).
    public func check(timeout: Double? = nil) throws(SMTError) -> SatResult {
        let params = Z3_mk_params(ctx.raw)!
        Z3_params_inc_ref(ctx.raw, params)
        defer { Z3_params_dec_ref(ctx.raw, params) }
        // No Z3 "timeout": its timer threads are unreliable under concurrent queries (see
        // `Watchdog`); the limit is enforced by interrupting the context instead.
        Z3_params_set_uint(ctx.raw, params, ctx.symbol("timeout"), UInt32.max)
        Z3_solver_set_params(ctx.raw, raw, params)
        try ctx.check()
        var r: Z3_lbool, timedOut = false
        if let timeout {
            (r, timedOut) = Watchdog.run(on: ctx.raw, seconds: timeout) { Z3_solver_check(ctx.raw, raw) }
        } else {
            r = Z3_solver_check(ctx.raw, raw)
        }
        try ctx.check()
        if r == Z3_L_TRUE {
            guard let m = Z3_solver_get_model(ctx.raw, raw) else { try ctx.check(); return .unknown("no model") }
            return .sat(Model(ctx, m))
        }
        if r == Z3_L_FALSE { return .unsat }
        return .unknown(timedOut ? "timeout" : reasonUnknown)
    }

    /// Z3's explanation for the last `unknown` answer.
    public var reasonUnknown: String {
        Z3_solver_get_reason_unknown(ctx.raw, raw).map { String(cString: $0) } ?? "unknown"
    }

    /// Checks validity of `claim` under the current assertions: asserts ¬claim in a fresh scope;
    /// unsat → proved, sat → refuted (with the counterexample model), otherwise unknown.
    public func prove(_ claim: Term, timeout: Double? = nil) throws(SMTError) -> ProofResult {
        push()
        defer { try? pop() }
        try assert(!claim)
        switch try check(timeout: timeout) {
        case .unsat: return .proved
        case let .sat(m): return .refuted(m)
        case let .unknown(r): return .unknown(r)
        }
    }
}

@available(*, unavailable, message: "Z3 contexts are not thread-safe")
extension Solver: Sendable {}
