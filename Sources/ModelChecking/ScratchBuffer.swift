/// A growable buffer for the hot loops, reused for every expanded state: unlike
/// `Array.removeAll(keepingCapacity:)` and `append`, clearing and appending cost no uniqueness
/// checks or range replacement. The owner must call `deallocate()` exactly once.
@usableFromInline
struct ScratchBuffer<Element> {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var count = 0

    @inlinable
    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    @inlinable @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count &+= 1
    }

    @inlinable
    mutating func grow() {
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity *= 2
    }

    @inlinable @inline(__always)
    subscript(index: Int) -> Element { base[index] }

    @inlinable @inline(__always)
    mutating func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    /// The elements as a buffer pointer, valid until the next mutation.
    @inlinable
    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inlinable
    mutating func deallocate() {
        removeAll()
        base.deallocate()
    }
}
