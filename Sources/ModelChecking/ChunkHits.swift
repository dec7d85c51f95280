/// Per chunk of a frontier and per open safety check, the chunk's first deciding frontier index.
///
/// Why: workers take chunks in any order, but a trace must end at the *first* deciding state in
/// frontier order so that it is the same on every schedule. Each chunk writes only its own slots
/// (no locks); `combined()` then reads them in chunk order, after the workers' barrier.
///
/// `@unchecked Sendable`: the slots are shared by the workers under that discipline (disjoint
/// writes, reads after the barrier), like the buffers in `UncheckedSendable`.
@usableFromInline
struct ChunkHits: @unchecked Sendable {
    /// The open checks, in check order.
    @usableFromInline let open: [Int]
    @usableFromInline let chunkCount: Int
    /// `chunkCount × open.count` frontier indices; `.max` means "no hit".
    @usableFromInline let slots: UnsafeMutableBufferPointer<Int>

    /// Allocates the slots; the caller must `deallocate()` them.
    @inlinable
    init(chunks chunkCount: Int, open: [Int]) {
        self.open = open
        self.chunkCount = chunkCount
        slots = .allocate(capacity: max(chunkCount * open.count, 1))
        slots.initialize(repeating: .max)
    }

    @inlinable
    func deallocate() { slots.deallocate() }

    /// The recorder for chunk `chunk` (`0..<chunkCount`), used by one worker only.
    @inlinable
    func recorder(chunk: Int) -> Recorder {
        Recorder(
            open: open,
            slots: UnsafeMutableBufferPointer(rebasing: slots[(chunk * open.count)..<((chunk + 1) * open.count)]))
    }

    /// Each check's first deciding index in frontier order (the first chunk with a hit), as
    /// (check, index) pairs in check order; checks without a hit are left out.
    @inlinable
    func combined() -> [(check: Int, index: Int)] {
        var found: [(check: Int, index: Int)] = []
        for (position, check) in open.enumerated() {
            for chunk in 0..<chunkCount where slots[chunk * open.count + position] != .max {
                found.append((check, slots[chunk * open.count + position]))
                break
            }
        }
        return found
    }

    /// One chunk's slots: keeps, per open check, the first index it is shown that decides it.
    @usableFromInline
    struct Recorder {
        @usableFromInline let open: [Int]
        @usableFromInline let slots: UnsafeMutableBufferPointer<Int>
        /// Checks without a hit in this chunk yet.
        @usableFromInline var pending: Int

        @inlinable
        init(open: [Int], slots: UnsafeMutableBufferPointer<Int>) {
            self.open = open
            self.slots = slots
            pending = open.count
        }

        /// Whether every open check has a hit in this chunk (later states need not be looked at).
        @inlinable
        var isComplete: Bool { pending == 0 }

        /// Records `index` for each open check without a hit yet that `decides` says it decides;
        /// indices must come in increasing order.
        @inlinable
        mutating func record(_ index: Int, decides: (Int) -> Bool) {
            guard pending > 0 else { return }
            for position in open.indices where slots[position] == .max && decides(open[position]) {
                slots[position] = index
                pending -= 1
            }
        }
    }
}
