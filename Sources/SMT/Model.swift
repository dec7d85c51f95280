import CZ3

/// A satisfying assignment returned by the solver; evaluates terms to concrete Swift values.
public final class Model: CustomStringConvertible {
    let ctx: Context
    let raw: Z3_model

    init(_ ctx: Context, _ raw: Z3_model) {
        self.ctx = ctx
        self.raw = raw
        Z3_model_inc_ref(ctx.raw, raw)
        ctx.referenceAcquired()
    }

    deinit {
        Z3_model_dec_ref(ctx.raw, raw)
        ctx.referenceReleased()
    }

    /// The context the model belongs to.
    public var context: Context { ctx }

    /// Evaluates `term` in the model; with `completion`, unconstrained symbols get default values.
    public func eval(_ term: Term, completion: Bool = true) throws(SMTError) -> Term {
        guard term.ctx === ctx else { throw .contextMismatch }
        var out: Z3_ast? = nil
        let ok = Z3_model_eval(ctx.raw, raw, term.raw, completion, &out)
        try ctx.check()
        guard ok, let out else { throw .notAValue(term.description) }
        return Term(ctx, out)
    }

    /// The integer value of `term` in the model (throws if it is not an integer numeral fitting in Int).
    public func int(_ term: Term) throws(SMTError) -> Int {
        let v = try eval(term)
        var i: Int64 = 0
        guard Z3_is_numeral_ast(ctx.raw, v.raw), Z3_get_numeral_int64(ctx.raw, v.raw, &i) else {
            throw .notAValue(v.description)
        }
        return Int(i)
    }

    /// The Boolean value of `term` in the model.
    public func bool(_ term: Term) throws(SMTError) -> Bool {
        let v = try eval(term)
        let b = Z3_get_bool_value(ctx.raw, v.raw)
        if b == Z3_L_TRUE { return true }
        if b == Z3_L_FALSE { return false }
        throw .notAValue(v.description)
    }

    public var description: String { String(cString: Z3_model_to_string(ctx.raw, raw)) }
}

@available(*, unavailable, message: "Z3 contexts are not thread-safe")
extension Model: Sendable {}
