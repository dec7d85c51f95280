import ModelChecking

/// A few spare state boxes (`ICStateStorage`) per thread, handed back by successors the search
/// is done with (`ICState.recycle()`) and taken by the next state's first write.
///
/// Why: a rule builds each successor as a copy of its parent with one or two components
/// changed, and most successors are dropped at once (already visited). A fresh box per
/// successor cost an allocation, a retain of each of its eight shared components, and as many
/// releases and a deallocation when it was dropped. A spare box last held a sibling (a
/// successor of the same parent), so reusing it changes only the components that differ.
///
/// Only boxes that nothing else references are kept, and only by their thread, so a box in the
/// pool is never seen by another state until it is taken again.
@usableFromInline
final class StoragePool {
    /// At most `capacity` spares: a rule holds at most two states of its own at a time.
    private static let capacity = 4
    @exclusivity(unchecked) private var spares: [ICStateStorage] = []

    private init() { spares.reserveCapacity(Self.capacity) }

    /// A spare box (holding some earlier state's fields), or `nil`.
    @usableFromInline
    func take() -> ICStateStorage? { spares.popLast() }

    /// Keeps `storage` for a later copy; the caller must hold the only other reference and drop it.
    @usableFromInline
    func keep(_ storage: ICStateStorage) {
        if spares.count < Self.capacity { spares.append(storage) }
    }

    /// The calling thread's pool (made on first use, released when the thread ends).
    @usableFromInline
    static var current: StoragePool { pools.current }

    private static let pools = PerThread { StoragePool() }
}
