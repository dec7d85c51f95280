/// Decides, while a chunk of the frontier is expanded, which successors the chunk keeps as
/// candidates. Generic (not a closure) so that each search's expansion loop is specialised.
@usableFromInline
protocol SuccessorFilter {
    /// Whether the chunk records each kept successor's index among its parent's successors
    /// (the disk and distributed searches rebuild paths from them).
    static var recordsSuccessorIndices: Bool { get }

    /// Whether to keep a successor with `fingerprint`; if kept, it becomes candidate
    /// `candidate` of the chunk.
    mutating func admit(_ fingerprint: UInt64, as candidate: Int) -> Bool
}

/// Keeps every successor, with its index: the disk and distributed searches, which decide
/// about duplicates after the chunks, in frontier order.
@usableFromInline
struct EverySuccessor: SuccessorFilter {
    @inlinable init() {}
    @inlinable static var recordsSuccessorIndices: Bool { true }
    @inlinable @inline(__always) func admit(_ fingerprint: UInt64, as candidate: Int) -> Bool { true }
}

/// One chunk's kept successors, in generation order: the expand phase shared by the in-memory,
/// disk and distributed breadth-first searches. Written by one worker, read after the barrier.
/// Each successor is kept as a `Kept`: the state itself (disk, distributed) or the frontier
/// storage's candidate form (in memory, see `FrontierStorage.candidate(for:)`).
@usableFromInline
final class SuccessorChunk<System: TransitionSystem, Kept>: @unchecked Sendable {
    @usableFromInline var states: [Kept] = []
    @usableFromInline var fingerprints: [UInt64] = []
    /// The parent's position (see `expand`).
    @usableFromInline var parents: [UInt32] = []
    /// Each candidate's index among its parent's successors, if the filter records them.
    @usableFromInline var indices: [UInt32] = []
    @usableFromInline var transitions = 0
    @usableFromInline var terminal = 0
    /// The position of the chunk's first state without successors.
    @usableFromInline var firstDeadlock: Int?

    @inlinable init() {}

    /// Replaces the chunk's contents by the successors of `entries[range]` that `filter` keeps,
    /// each as `keep(successor)`. The state `entries[i]` has position `offset + i`: its
    /// candidates' parent and, if it has no successors, `firstDeadlock`. States outside the
    /// model's boundary are not expanded. `inspect(i, state)` sees each state before it is
    /// expanded (the safety checks ride on this rebuild instead of making their own).
    @inlinable
    func expand<Filter: SuccessorFilter>(
        _ entries: [System.Frontier.Entry], range: Range<Int>, offset: Int, system: System, store: System.Frontier,
        filter: inout Filter, inspect: (Int, System.State) -> Void = { _, _ in }, keep: (System.State) -> Kept
    ) {
        // Filled as locals: a class property costs an exclusivity check per access, and a
        // property appended in place would be copied on write.
        var states: [Kept] = []
        var fingerprints: [UInt64] = []
        var parents: [UInt32] = []
        var indices: [UInt32] = []
        swap(&states, &self.states)
        swap(&fingerprints, &self.fingerprints)
        swap(&parents, &self.parents)
        swap(&indices, &self.indices)
        // The previous candidates are overwritten one by one rather than freed first: each
        // successor's memory then comes from what the previous candidate gave back, in the
        // thread's malloc cache. Freed together, thousands of candidates overflowed that cache
        // and every later allocation took glibc's locked arena path (`_int_malloc`: 8 % of a
        // two-worker IC search, against 0.01 % on one worker).
        let previous = states.count
        fingerprints.removeAll(keepingCapacity: true)
        parents.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
        var transitions = 0
        var terminal = 0
        var firstDeadlock: Int?
        for index in range {
            let state = store.state(of: entries[index])
            inspect(index, state)
            guard system.isWithinBoundary(state) else { continue }
            let parent = UInt32(truncatingIfNeeded: offset + index)
            var successors: UInt32 = 0
            system.forEachSuccessor(of: state) { _, successor in
                defer { successors &+= 1 }
                let fingerprint = successor.fingerprint
                let candidate = fingerprints.count
                guard filter.admit(fingerprint, as: candidate) else { return }
                if candidate < previous { states[candidate] = keep(successor) } else { states.append(keep(successor)) }
                fingerprints.append(fingerprint)
                parents.append(parent)
                if Filter.recordsSuccessorIndices { indices.append(successors) }
            }
            transitions &+= Int(successors)
            if successors == 0 {
                terminal &+= 1
                if firstDeadlock == nil { firstDeadlock = offset + index }
            }
        }
        if states.count > fingerprints.count { states.removeLast(states.count - fingerprints.count) }
        swap(&states, &self.states)
        swap(&fingerprints, &self.fingerprints)
        swap(&parents, &self.parents)
        swap(&indices, &self.indices)
        self.transitions = transitions
        self.terminal = terminal
        self.firstDeadlock = firstDeadlock
    }

    /// Hands each candidate, in order, to `body` (state, fingerprint, parent, successor index or
    /// 0), then drops the states, keeping the capacity.
    @inlinable
    func drain(_ body: (Kept, UInt64, UInt32, UInt32) -> Void) {
        var states: [Kept] = []
        swap(&states, &self.states)
        defer {
            states.removeAll(keepingCapacity: true)
            swap(&states, &self.states)
        }
        let recorded = indices.count == states.count
        fingerprints.withUnsafeBufferPointer { fingerprints in
            parents.withUnsafeBufferPointer { parents in
                indices.withUnsafeBufferPointer { indices in
                    for candidate in states.indices {
                        body(states[candidate], fingerprints[candidate], parents[candidate], recorded ? indices[candidate] : 0)
                    }
                }
            }
        }
    }
}

extension BreadthFirstSearch {
    /// Expands `entries[range]` chunk by chunk (`chunkSize` states each) on `workers` threads
    /// into `chunks`, keeping every successor with its index; positions are `offset` plus the
    /// index in `entries`. Reading the chunks in order gives one thread's generation order.
    /// Returns how many chunks it filled and whether the search was cancelled.
    @inlinable
    func expandChunks(
        _ entries: [System.Frontier.Entry], range: Range<Int>, offset: Int, store: System.Frontier, workers: Int,
        into chunks: inout [SuccessorChunk<System, System.State>]
    ) -> (chunks: Int, cancelled: Bool) {
        let chunkCount = (range.count + Self.chunkSize - 1) / Self.chunkSize
        while chunks.count < chunkCount { chunks.append(SuccessorChunk()) }
        let outputs = chunks
        let shared = UncheckedSendable(entries)
        let cancelled = forEachChunk(chunkCount, workers: workers) { chunk in
            let lower = range.lowerBound + chunk * Self.chunkSize
            var filter = EverySuccessor()
            outputs[chunk].expand(
                shared.value, range: lower..<min(range.upperBound, lower + Self.chunkSize), offset: offset, system: system,
                store: store, filter: &filter, keep: { $0 })
        }
        return (chunkCount, cancelled)
    }
}
