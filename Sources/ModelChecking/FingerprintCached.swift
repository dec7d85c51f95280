import Synchronization

/// A state component whose fingerprint is computed at most once per distinct value.
///
/// A successor state copies its parent and changes one or two components; the rest are carried
/// unchanged. Keeping each large component in an immutable shared box with a lazily cached
/// fingerprint means an unchanged component costs one word to fingerprint, not a walk over its
/// contents, and parent and successors share its storage instead of holding copies. Equality
/// compares the cached fingerprints first (different fingerprints: different values).
public struct FingerprintCached<Value: Hashable & Sendable & Fingerprintable>: Hashable, Sendable, Fingerprintable {
    @usableFromInline
    final class Box: @unchecked Sendable {
        /// Mutated only while the box is uniquely referenced (see `FingerprintCached.value`),
        /// so no other thread can see it change.
        @exclusivity(unchecked) @usableFromInline var value: Value
        /// The fingerprint, or 0 while not yet computed (a value whose fingerprint is 0 is just
        /// recomputed each time).
        @usableFromInline let cache = Atomic<UInt64>(0)
        /// A word a frontier storage may attach (see `FingerprintCached.tag`); 0 when none.
        @usableFromInline let storageTag = Atomic<UInt64>(0)
        /// A value derived from `value` (see `derived(_:)`), computed at most once: a retained
        /// `DerivedValueStorage` pointer, or 0.
        @usableFromInline let memo = Atomic<UInt>(0)

        deinit {
            let bits = memo.load(ordering: .relaxed)
            if bits != 0 { Unmanaged<DerivedValueStorage>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).release() }
        }

        /// The derived value stored first (by this thread or another), once `candidate` is offered.
        @inlinable
        func storeDerived(_ candidate: DerivedValueStorage) -> DerivedValueStorage {
            let bits = UInt(bitPattern: Unmanaged.passRetained(candidate).toOpaque())
            let (exchanged, original) = memo.compareExchange(expected: 0, desired: bits, ordering: .acquiringAndReleasing)
            if exchanged { return candidate }
            Unmanaged<DerivedValueStorage>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).release()
            return Unmanaged<DerivedValueStorage>.fromOpaque(UnsafeRawPointer(bitPattern: original)!).takeUnretainedValue()
        }

        @inlinable
        var loadedDerived: DerivedValueStorage? {
            let bits = memo.load(ordering: .acquiring)
            guard bits != 0 else { return nil }
            return Unmanaged<DerivedValueStorage>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).takeUnretainedValue()
        }

        @inlinable init(_ value: Value) { self.value = value }

        /// Forgets everything computed from the value, before it changes in place.
        @inlinable
        func invalidate() {
            cache.store(0, ordering: .relaxed)
            storageTag.store(0, ordering: .relaxed)
            let bits = memo.exchange(0, ordering: .acquiringAndReleasing)
            if bits != 0 { Unmanaged<DerivedValueStorage>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).release() }
        }

        @inlinable var fingerprint: UInt64 {
            let cached = cache.load(ordering: .relaxed)
            if cached != 0 { return cached }
            let computed = value.fingerprint
            cache.store(computed, ordering: .relaxed)
            return computed
        }
    }

    @usableFromInline var box: Box

    @inlinable
    public init(_ value: Value) { box = Box(value) }

    /// The component. Changing it replaces a shared box (other states keep the old value) and
    /// changes a box that only this value holds in place: a successor is built by several
    /// writes to one component (a canister's balance, its program state, its next call id),
    /// and only the first of them should copy. Either way the next fingerprint is computed afresh.
    @inlinable
    public var value: Value {
        get { box.value }
        set {
            if isKnownUniquelyReferenced(&box) {
                box.invalidate()
                box.value = newValue
            } else {
                box = Box(newValue)
            }
        }
        _modify {
            // A fresh box has nothing to forget.
            if isKnownUniquelyReferenced(&box) { box.invalidate() } else { box = Box(box.value) }
            yield &box.value
        }
    }

    /// Whether no other value shares this box (so a write changes it in place).
    @inlinable @inline(__always)
    public mutating func isUniquelyReferenced() -> Bool { isKnownUniquelyReferenced(&box) }

    /// Prepares a write to a shared box by moving the value into `spare`'s box instead of a new
    /// one, if `spare` holds a box nothing else references (it is then taken): `copy` writes the
    /// value over the spare's old one, e.g. into an array's buffer without allocating. A search
    /// builds most successors by changing one component of their parent and drops most of them
    /// at once; the dropped successor's box, kept as the next one's spare, saves an allocation
    /// and a deallocation of the box and of its buffer per successor.
    @inlinable
    public mutating func prepareWrite(reusing spare: inout Self?, copy: (inout Value, Value) -> Void) {
        guard spare != nil, !isKnownUniquelyReferenced(&box) else { return }
        var reused = spare.take()!
        guard isKnownUniquelyReferenced(&reused.box) else { return }
        reused.box.invalidate()
        copy(&reused.box.value, box.value)
        box = reused.box
    }

    /// Whether both share one box (then they are equal without a comparison).
    @inlinable @inline(__always)
    public func isIdentical(to other: Self) -> Bool { box === other.box }

    /// The component's own 64-bit fingerprint (cached).
    @inlinable
    public var fingerprint: UInt64 { box.fingerprint }

    @inlinable
    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(box.fingerprint) }

    /// The fingerprint if it has been computed, else 0. A plain load with no call: a caller
    /// that reads the component out of a class (a state's shared box) and asks this first need
    /// not retain and release the box around the read, which `fingerprint` (which may compute)
    /// costs there. A state's fingerprint reads six components for every successor, most of them
    /// carried over from the parent with their fingerprints known.
    @inlinable @inline(__always)
    public var knownFingerprint: UInt64 { box.cache.load(ordering: .relaxed) }

    /// A word that a frontier storage attaches to this component's shared box: e.g. its index in
    /// an intern table plus the table's generation, so that the many states sharing the box are
    /// interned without hashing or comparing it again. 0 until set. Any thread may set it; a
    /// reader must check that a tag is its own (by the generation it put in).
    @inlinable
    public var tag: UInt64 {
        get { box.storageTag.load(ordering: .relaxed) }
        nonmutating set { box.storageTag.store(newValue, ordering: .relaxed) }
    }

    /// A value computed from the component, e.g. the read-only view that properties ask for on
    /// every evaluation: computed once per distinct component and shared by every state that
    /// holds it, from any thread. One derived type per component type is cached; asking for
    /// another type computes it afresh each time.
    @inlinable
    public func derived<Derived: Sendable>(_ make: (Value) -> Derived) -> Derived {
        let key = ObjectIdentifier(Derived.self)
        if let stored = box.loadedDerived {
            if stored.type == key { return unsafeDowncast(stored, to: DerivedValue<Derived>.self).value }
            return make(box.value)
        }
        let stored = box.storeDerived(DerivedValue(make(box.value), type: key))
        if stored.type == key { return unsafeDowncast(stored, to: DerivedValue<Derived>.self).value }
        return make(box.value)
    }

    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || (lhs.box.fingerprint == rhs.box.fingerprint && lhs.box.value == rhs.box.value)
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(box.fingerprint) }
}

/// Type-erased storage of a `FingerprintCached` component's derived value.
public class DerivedValueStorage: @unchecked Sendable {
    @usableFromInline let type: ObjectIdentifier
    @usableFromInline init(type: ObjectIdentifier) { self.type = type }
}

@usableFromInline
final class DerivedValue<Value: Sendable>: DerivedValueStorage, @unchecked Sendable {
    @usableFromInline let value: Value
    @usableFromInline init(_ value: Value, type: ObjectIdentifier) {
        self.value = value
        super.init(type: type)
    }
}
