import CZ3

/// A Z3 term (AST node), reference counted for the lifetime of this object.
///
/// Operators build new terms; they `throw` an `SMTError` instead of aborting when Z3 rejects the
/// term (for example `int + bool`). A single `try` covers a whole expression.
public final class Term: CustomStringConvertible {
    let ctx: Context
    let raw: Z3_ast

    init(_ ctx: Context, _ raw: Z3_ast) {
        self.ctx = ctx
        self.raw = raw
        Z3_inc_ref(ctx.raw, raw)
        ctx.referenceAcquired()
    }

    deinit {
        Z3_dec_ref(ctx.raw, raw)
        ctx.referenceReleased()
    }

    /// The sort of this term.
    public var sort: Sort { Sort(ctx, Z3_get_sort(ctx.raw, raw)) }

    /// The context this term belongs to.
    public var context: Context { ctx }

    public var description: String { String(cString: Z3_ast_to_string(ctx.raw, raw)) }

    /// Builds an n-ary term after checking all arguments share this context.
    static func nary(_ terms: [Term], _ make: (Z3_context, UInt32, UnsafePointer<Z3_ast?>) -> Z3_ast?) throws(SMTError) -> Term {
        guard let first = terms.first else { throw .z3(code: -1, message: "empty argument list") }
        let ctx = first.ctx
        for t in terms where t.ctx !== ctx { throw .contextMismatch }
        let raws: [Z3_ast?] = terms.map { $0.raw }
        let ast = raws.withUnsafeBufferPointer { make(ctx.raw, UInt32($0.count), $0.baseAddress!) }
        return try ctx.wrap(ast)
    }

    static func binary(_ l: Term, _ r: Term, _ make: (Z3_context, Z3_ast, Z3_ast) -> Z3_ast?) throws(SMTError) -> Term {
        guard l.ctx === r.ctx else { throw .contextMismatch }
        return try l.ctx.wrap(make(l.ctx.raw, l.raw, r.raw))
    }

    // MARK: Arrays

    /// `self[index]` for an array-valued term.
    public func select(_ index: Term) throws(SMTError) -> Term { try Term.binary(self, index, Z3_mk_select) }
    /// The array equal to `self` except that `index` maps to `value`.
    public func store(_ index: Term, _ value: Term) throws(SMTError) -> Term {
        guard ctx === index.ctx, ctx === value.ctx else { throw .contextMismatch }
        return try ctx.wrap(Z3_mk_store(ctx.raw, raw, index.raw, value.raw))
    }
    /// `self[i]` with an integer literal index.
    public func select(_ index: Int) throws(SMTError) -> Term { try select(ctx.int(index)) }

    // MARK: Logic helpers

    /// Logical implication `self ⇒ other`.
    public func implies(_ other: Term) throws(SMTError) -> Term { try Term.binary(self, other, Z3_mk_implies) }
    /// If-then-else: `self ? then : otherwise`.
    public func ite(_ then: Term, _ otherwise: Term) throws(SMTError) -> Term {
        guard ctx === then.ctx, ctx === otherwise.ctx else { throw .contextMismatch }
        return try ctx.wrap(Z3_mk_ite(ctx.raw, raw, then.raw, otherwise.raw))
    }
    /// Simplified form of the term (useful for printing).
    public func simplified() throws(SMTError) -> Term { try ctx.wrap(Z3_simplify(ctx.raw, raw)) }
}

@available(*, unavailable, message: "Z3 contexts are not thread-safe")
extension Term: Sendable {}

// MARK: Free functions over terms

/// Conjunction of all terms (`true` for an empty list needs a context, so the list must be non-empty
/// or `context` given).
public func and(_ terms: [Term], in context: Context? = nil) throws(SMTError) -> Term {
    if terms.isEmpty, let context { return context.bool(true) }
    return try Term.nary(terms, Z3_mk_and)
}
/// Disjunction of all terms (`false` if empty and `context` is given).
public func or(_ terms: [Term], in context: Context? = nil) throws(SMTError) -> Term {
    if terms.isEmpty, let context { return context.bool(false) }
    return try Term.nary(terms, Z3_mk_or)
}
/// Pairwise distinctness.
public func distinct(_ terms: [Term]) throws(SMTError) -> Term { try Term.nary(terms, Z3_mk_distinct) }

/// Universal quantification over the given constants (which become bound variables).
public func forall(_ vars: [Term], _ body: Term) throws(SMTError) -> Term { try quantifier(vars, body, universal: true) }
/// Existential quantification over the given constants.
public func exists(_ vars: [Term], _ body: Term) throws(SMTError) -> Term { try quantifier(vars, body, universal: false) }

func quantifier(_ vars: [Term], _ body: Term, universal: Bool) throws(SMTError) -> Term {
    let ctx = body.ctx
    for v in vars where v.ctx !== ctx { throw .contextMismatch }
    var apps: [Z3_app?] = []
    for v in vars {
        guard Z3_is_app(ctx.raw, v.raw) else { throw .z3(code: -1, message: "bound variable must be a constant: \(v)") }
        apps.append(Z3_to_app(ctx.raw, v.raw))
    }
    let ast = apps.withUnsafeBufferPointer { buf in
        universal
            ? Z3_mk_forall_const(ctx.raw, 0, UInt32(buf.count), buf.baseAddress, 0, nil, body.raw)
            : Z3_mk_exists_const(ctx.raw, 0, UInt32(buf.count), buf.baseAddress, 0, nil, body.raw)
    }
    return try ctx.wrap(ast)
}

// MARK: Operators

infix operator ==> : LogicalDisjunctionPrecedence

public extension Term {
    static func + (l: Term, r: Term) throws(SMTError) -> Term { try nary([l, r], Z3_mk_add) }
    static func - (l: Term, r: Term) throws(SMTError) -> Term { try nary([l, r], Z3_mk_sub) }
    static func * (l: Term, r: Term) throws(SMTError) -> Term { try nary([l, r], Z3_mk_mul) }
    static prefix func - (t: Term) throws(SMTError) -> Term { try t.ctx.wrap(Z3_mk_unary_minus(t.ctx.raw, t.raw)) }
    static func == (l: Term, r: Term) throws(SMTError) -> Term { try binary(l, r, Z3_mk_eq) }
    static func != (l: Term, r: Term) throws(SMTError) -> Term { try distinct([l, r]) }
    static func < (l: Term, r: Term) throws(SMTError) -> Term { try binary(l, r, Z3_mk_lt) }
    static func <= (l: Term, r: Term) throws(SMTError) -> Term { try binary(l, r, Z3_mk_le) }
    static func > (l: Term, r: Term) throws(SMTError) -> Term { try binary(l, r, Z3_mk_gt) }
    static func >= (l: Term, r: Term) throws(SMTError) -> Term { try binary(l, r, Z3_mk_ge) }
    static func && (l: Term, r: Term) throws(SMTError) -> Term { try nary([l, r], Z3_mk_and) }
    static func || (l: Term, r: Term) throws(SMTError) -> Term { try nary([l, r], Z3_mk_or) }
    static prefix func ! (t: Term) throws(SMTError) -> Term { try t.ctx.wrap(Z3_mk_not(t.ctx.raw, t.raw)) }
    /// Implication operator: `a ==> b`.
    static func ==> (l: Term, r: Term) throws(SMTError) -> Term { try l.implies(r) }

    // Mixed term / integer-literal forms.
    static func + (l: Term, r: Int) throws(SMTError) -> Term { try l + l.ctx.int(r) }
    static func - (l: Term, r: Int) throws(SMTError) -> Term { try l - l.ctx.int(r) }
    static func * (l: Int, r: Term) throws(SMTError) -> Term { try r.ctx.int(l) * r }
    static func == (l: Term, r: Int) throws(SMTError) -> Term { try l == l.ctx.int(r) }
    static func != (l: Term, r: Int) throws(SMTError) -> Term { try l != l.ctx.int(r) }
    static func < (l: Term, r: Int) throws(SMTError) -> Term { try l < l.ctx.int(r) }
    static func <= (l: Term, r: Int) throws(SMTError) -> Term { try l <= l.ctx.int(r) }
    static func > (l: Term, r: Int) throws(SMTError) -> Term { try l > l.ctx.int(r) }
    static func >= (l: Term, r: Int) throws(SMTError) -> Term { try l >= l.ctx.int(r) }

    // Bit-vector arithmetic and unsigned comparison.
    func bvAdd(_ r: Term) throws(SMTError) -> Term { try Term.binary(self, r, Z3_mk_bvadd) }
    func bvSub(_ r: Term) throws(SMTError) -> Term { try Term.binary(self, r, Z3_mk_bvsub) }
    func bvMul(_ r: Term) throws(SMTError) -> Term { try Term.binary(self, r, Z3_mk_bvmul) }
    func bvULT(_ r: Term) throws(SMTError) -> Term { try Term.binary(self, r, Z3_mk_bvult) }
    func bvULE(_ r: Term) throws(SMTError) -> Term { try Term.binary(self, r, Z3_mk_bvule) }
}
