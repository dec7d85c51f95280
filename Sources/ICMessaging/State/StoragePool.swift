import ICCore
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
    /// At most `capacity` spares: a rule holds at most two states of its own at a time, but the
    /// representatives' memo hands back the representatives it replaces as well (P1 scale 2: 8
    /// spares instead of 4 saved 0.5 % of the instructions, fewer boxes allocated).
    private static let capacity = 8
    @exclusivity(unchecked) private var spares: [ICStateStorage] = []

    /// Component boxes that nothing else references, for the boxes' spare slots
    /// (`ICStateStorage.spareCanisters` …) once a box's own slot is taken. A rule builds two
    /// states at a time (its scratch state and each successor), from two boxes of this pool:
    /// reassigning one box frees the components the other wrote last time, while that other
    /// box, its own spares used up, allocates new ones for its next write. Kept here instead,
    /// they go from one box to the other (a P1 check freed 60,000 of them, 3.5 % of its
    /// instructions, and allocated as many).
    @exclusivity(unchecked) @usableFromInline var canisters = SpareComponents<[CanisterRecord]>()
    @exclusivity(unchecked) @usableFromInline var queues = SpareComponents<RequestQueues>()
    @exclusivity(unchecked) @usableFromInline var responses = SpareComponents<[InFlightResponse]>()
    @exclusivity(unchecked) @usableFromInline var contexts = SpareComponents<[CallContext]>()
    @exclusivity(unchecked) @usableFromInline var callbacks = SpareComponents<[Callback]>()
    @exclusivity(unchecked) @usableFromInline var history = SpareComponents<CallHistory>()

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

/// Up to two spare component boxes of one kind (see `StoragePool.canisters`): two optionals
/// rather than an array, whose every append and removal checked its buffer's uniqueness.
@usableFromInline
struct SpareComponents<Value: Hashable & Sendable & Fingerprintable> {
    @usableFromInline var first: FingerprintCached<Value>?
    @usableFromInline var second: FingerprintCached<Value>?

    @usableFromInline init() {}

    /// Keeps `component` if there is room (the caller drops its own reference).
    @inlinable @inline(__always)
    mutating func keep(_ component: FingerprintCached<Value>) {
        if first == nil { first = component } else if second == nil { second = component }
    }

    /// A kept component, if any.
    @inlinable @inline(__always)
    mutating func take() -> FingerprintCached<Value>? {
        if let taken = second.take() { return taken }
        return first.take()
    }
}
