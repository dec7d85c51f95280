import CZ3

/// A Z3 sort, reference counted for the lifetime of this object.
public final class Sort: CustomStringConvertible {
    let ctx: Context
    let raw: Z3_sort

    init(_ ctx: Context, _ raw: Z3_sort) {
        self.ctx = ctx
        self.raw = raw
        Z3_inc_ref(ctx.raw, Z3_sort_to_ast(ctx.raw, raw))
        ctx.referenceAcquired()
    }

    deinit {
        Z3_dec_ref(ctx.raw, Z3_sort_to_ast(ctx.raw, raw))
        ctx.referenceReleased()
    }

    /// Structural equality of sorts.
    public func isSame(_ other: Sort) -> Bool { ctx === other.ctx && Z3_is_eq_sort(ctx.raw, raw, other.raw) }

    public var description: String { String(cString: Z3_sort_to_string(ctx.raw, raw)) }
}

@available(*, unavailable, message: "Z3 contexts are not thread-safe")
extension Sort: Sendable {}
