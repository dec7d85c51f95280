/// Counts the Z3 references a context's wrapper objects hold (one per live Term, Sort, Solver
/// or Model), so a test can check that every reference taken is given back. Per context, not
/// per process: parallel tests with contexts of their own cannot disturb the count.
extension Context {
    /// Z3 references currently held by live wrapper objects of this context.
    public var liveReferences: Int { referenceCount }

    @inline(__always) func referenceAcquired() { referenceCount += 1 }
    @inline(__always) func referenceReleased() { referenceCount -= 1 }
}
