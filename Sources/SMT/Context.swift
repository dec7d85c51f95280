import CZ3

/// Namespace for the SMT module: a small, safe Swift layer over the Z3 C API.
///
/// Threading: Z3 contexts are not thread-safe, so `Context`, `Sort`, `Term`, `Solver` and `Model`
/// are deliberately **not** `Sendable`. Use one `Context` per task or thread; values of one context
/// must never be combined with values of another (this is checked and reported as `SMTError.contextMismatch`).
public enum SMT {}

/// A Z3 error surfaced as a Swift error instead of aborting the process.
public enum SMTError: Error, Equatable, CustomStringConvertible {
    /// Z3 reported an error code (e.g. a sort mismatch) with its message.
    case z3(code: Int, message: String)
    /// Terms from two different contexts were combined.
    case contextMismatch
    /// A model value could not be read as the requested Swift type.
    case notAValue(String)

    public var description: String {
        switch self {
        case let .z3(code, message): return "Z3 error \(code): \(message)"
        case .contextMismatch: return "terms from different SMT contexts were combined"
        case let .notAValue(s): return "not a concrete value: \(s)"
        }
    }
}

/// A reference-counted Z3 context (`Z3_mk_context_rc`) with a no-op error handler installed,
/// so that errors are reported through `Z3_get_error_code` and turned into `SMTError`.
public final class Context {
    let raw: Z3_context
    /// See `liveReferences`. Contexts are not thread-safe, and neither is this count.
    var referenceCount = 0

    /// Creates a context with model generation enabled.
    public init() {
        let cfg = Z3_mk_config()
        Z3_set_param_value(cfg, "model", "true")
        raw = Z3_mk_context_rc(cfg)
        Z3_del_config(cfg)
        // A non-capturing closure converts to a C function pointer. The no-op handler replaces the
        // default one, which would print the message and call exit().
        Z3_set_error_handler(raw, { _, _ in })
    }

    deinit { Z3_del_context(raw) }

    /// Throws the pending Z3 error, if any. Called after every Z3 API call that can fail.
    func check() throws(SMTError) {
        let code = Z3_get_error_code(raw)
        if code != Z3_OK {
            let msg = Z3_get_error_msg(raw, code).map { String(cString: $0) } ?? "unknown error"
            throw SMTError.z3(code: Int(code.rawValue), message: msg)
        }
    }

    /// Wraps a freshly created AST (checks the error code, then takes a reference).
    func wrap(_ ast: Z3_ast?) throws(SMTError) -> Term {
        try check()
        guard let ast else { throw SMTError.z3(code: -1, message: "Z3 returned no term") }
        return Term(self, ast)
    }

    func symbol(_ name: String) -> Z3_symbol { Z3_mk_string_symbol(raw, name) }

    // MARK: Sorts

    /// The Boolean sort.
    public var boolSort: Sort { Sort(self, Z3_mk_bool_sort(raw)) }
    /// The mathematical (unbounded) integer sort.
    public var intSort: Sort { Sort(self, Z3_mk_int_sort(raw)) }
    /// Bit-vectors of `width` bits.
    public func bitVectorSort(_ width: Int) throws(SMTError) -> Sort {
        guard width > 0, width <= Int(UInt32.max) else { throw .z3(code: -1, message: "invalid bit-vector width \(width)") }
        let s = Z3_mk_bv_sort(raw, UInt32(width)); try check()
        return Sort(self, s!)
    }
    /// Arrays (total maps) from `domain` to `range`.
    public func arraySort(_ domain: Sort, _ range: Sort) throws(SMTError) -> Sort {
        try same(domain.ctx, range.ctx)
        let s = Z3_mk_array_sort(raw, domain.raw, range.raw); try check()
        return Sort(self, s!)
    }

    // MARK: Constants and literals

    /// A named constant (free variable) of the given sort. The same name and sort give the same constant.
    public func constant(_ name: String, _ sort: Sort) throws(SMTError) -> Term {
        try same(sort.ctx)
        return try wrap(Z3_mk_const(raw, symbol(name), sort.raw))
    }
    /// A fresh constant whose name starts with `prefix` and never clashes with another constant.
    public func fresh(_ prefix: String, _ sort: Sort) throws(SMTError) -> Term {
        try same(sort.ctx)
        return try wrap(Z3_mk_fresh_const(raw, prefix, sort.raw))
    }
    /// An integer constant named `name`.
    public func int(_ name: String) throws(SMTError) -> Term { try constant(name, intSort) }
    /// A Boolean constant named `name`.
    public func bool(_ name: String) throws(SMTError) -> Term { try constant(name, boolSort) }
    /// An integer literal.
    public func int(_ value: Int) -> Term {
        // Z3_mk_int64 with the int sort cannot fail.
        Term(self, Z3_mk_int64(raw, Int64(value), Z3_mk_int_sort(raw))!)
    }
    /// A Boolean literal.
    public func bool(_ value: Bool) -> Term { Term(self, value ? Z3_mk_true(raw)! : Z3_mk_false(raw)!) }
    /// A bit-vector literal of the given width (value taken modulo 2^width).
    public func bitVector(_ value: Int, width: Int) throws(SMTError) -> Term {
        let sort = try bitVectorSort(width)
        return try wrap(Z3_mk_numeral(raw, String(value), sort.raw))
    }
    /// The array mapping every index of `domain` to `value`.
    public func constArray(_ domain: Sort, _ value: Term) throws(SMTError) -> Term {
        try same(domain.ctx, value.ctx)
        return try wrap(Z3_mk_const_array(raw, domain.raw, value.raw))
    }

    func same(_ others: Context...) throws(SMTError) {
        for o in others where o !== self { throw .contextMismatch }
    }
}

@available(*, unavailable, message: "Z3 contexts are not thread-safe; create one Context per task")
extension Context: Sendable {}
