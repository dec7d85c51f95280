import ICMessaging
import ModelChecking
import Synchronization

/// A small per-thread memo of `SpecSystem.representative(_:)`, keyed by the concrete
/// successor's fingerprint.
///
/// Why: under symmetry reduction the representative (member keys, sorting, renaming every
/// component) cost 58 % of a P1 scale-2 search, and most successors are states the search has
/// made before: different interleavings of the same steps meet in the same concrete state.
/// The representative is a function of the concrete state, so its memo changes no count, verdict
/// or trace; a fingerprint collision between two concrete states could give the wrong
/// representative, the same risk the visited set already takes (hash compaction).
///
/// Direct-mapped, one per thread (no lock, and no state retained by two threads' memos), and
/// tagged with its system's `identity` so that a thread reused by another search starts afresh.
final class RepresentativeMemo {
    static let slotBits = 15
    private static let mask = UInt64(1 << slotBits - 1)

    // Unchecked: one thread only ever uses a memo (`current`), and the run-time exclusivity
    // checks of a class's arrays cost about 2 % of a P1 scale-2 search.
    @exclusivity(unchecked) private var identity: UInt64 = 0
    @exclusivity(unchecked) private var keys = [UInt64](repeating: 0, count: 1 << slotBits)
    @exclusivity(unchecked) private var values = [ICState?](repeating: nil, count: 1 << slotBits)
    /// Whether the state of `keys[slot]` is its own representative (then `values[slot]` is
    /// `nil`): most successors are, and holding them kept their boxes from going back to the
    /// states' pool (`ICState.recycle()`), which then allocated new ones. A hit returns the
    /// state asked about, equal to the one remembered (same fingerprint, the risk the visited
    /// set takes).
    @exclusivity(unchecked) private var isOwnRepresentative = [Bool](repeating: false, count: 1 << slotBits)

    /// The representative of `state`, from the memo or from `make` (then remembered).
    @inline(__always)
    func representative(of state: ICState, identity: UInt64, _ make: (ICState) -> ICState) -> ICState {
        if identity != self.identity { reset(to: identity) }
        let key = state.fingerprint
        let slot = Int(truncatingIfNeeded: key & Self.mask)
        if keys[slot] == key, key != 0 {
            if isOwnRepresentative[slot] { return state }
            if let known = values[slot] { return known }
        }
        let made = make(state)
        keys[slot] = key
        // The representative it replaces goes back to the states' pool (`ICState.recycle()`):
        // representatives are made from pooled boxes and would otherwise drain the pool.
        if var replaced = values[slot].take() { replaced.recycle() }
        let isOwn = made.isIdentical(to: state)
        isOwnRepresentative[slot] = isOwn
        if !isOwn { values[slot] = made }
        return made
    }

    private func reset(to identity: UInt64) {
        self.identity = identity
        for slot in keys.indices {
            keys[slot] = 0
            values[slot] = nil
            isOwnRepresentative[slot] = false
        }
    }

    /// The calling thread's memo (made on first use, released when the thread ends).
    static var current: RepresentativeMemo { memos.current }

    /// A fresh identity for a system whose representatives may differ from every other's.
    static func newIdentity() -> UInt64 { nextIdentity.add(1, ordering: .relaxed).newValue }

    private static let nextIdentity = Atomic<UInt64>(0)
    private static let memos = PerThread { RepresentativeMemo() }
}
