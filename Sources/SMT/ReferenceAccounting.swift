import CZ3

/// Counts the Z3 references a context's wrapper objects hold (one per live Term, Sort, Solver
/// or Model), so a test can check that every reference taken is given back. Per context, not
/// per process: parallel tests with contexts of their own cannot disturb the count.
extension Context {
    /// Z3 references currently held by live wrapper objects of this context.
    public var liveReferences: Int { referenceCount }

    @inline(__always) func referenceAcquired() { referenceCount += 1 }
    @inline(__always) func referenceReleased() { referenceCount -= 1 }
}

extension Context {
    /// The memory Z3 holds now, in bytes, over all contexts of the process (Z3's own estimate):
    /// unlike the process's resident size, it does not count what other code allocated, so a
    /// test can bound what a run of queries leaves behind in Z3.
    public static var z3AllocatedBytes: UInt64 { Z3_get_estimated_alloc_size() }
}
