import Synchronization

/// Counts the Z3 references this layer holds (one per live Term, Sort, Solver or Model), so a
/// test can check that every reference taken is given back — the leak check that does not depend
/// on the process's memory, which parallel tests share.
public enum ReferenceAccounting {
    static let live = Atomic<Int>(0)

    /// Z3 references currently held by live wrapper objects.
    public static var liveReferences: Int { live.load(ordering: .relaxed) }

    @inline(__always) static func acquired() { live.add(1, ordering: .relaxed) }
    @inline(__always) static func released() { live.subtract(1, ordering: .relaxed) }
}
