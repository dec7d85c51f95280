import Foundation

/// Per state id, the index of the state among its parent's successors (`forEachSuccessor`
/// order), or for an initial state its index in `TransitionSystem.initialStates`: with the
/// parent log, the path of every state. It lets a checkpoint of a model without a byte codec
/// for its states (the IC model) leave the frontier out: recovery re-executes the frontier
/// states' paths (`LogReplayer`). Four bytes per state, appended to a file.
@usableFromInline
final class SuccessorLog: @unchecked Sendable {
    // @unchecked: appended and read by the search's coordinating thread only.
    @usableFromInline let file: ByteFile
    @usableFromInline var count = 0

    @usableFromInline
    init?(directory: String) {
        guard let file = ByteFile(creating: "\(directory)/successors") else { return nil }
        self.file = file
    }

    @inlinable
    func append(_ index: UInt32) {
        file.append(value: index)
        count += 1
    }

    /// The index recorded for state `id` (reads after a flush).
    @usableFromInline
    func index(of id: Int) -> UInt32 {
        var value: UInt32 = 0
        withUnsafeMutableBytes(of: &value) { _ = file.read(into: $0, at: id * 4) }
        return value
    }

    /// Every index, in id order, in blocks of bytes.
    @usableFromInline
    func forEachBlock(_ body: (UnsafeRawBufferPointer) -> Void) {
        file.flush()
        var block = [UInt8](repeating: 0, count: 1 << 18)
        var offset = 0
        while offset < count * 4 {
            let bytes = min(block.count, count * 4 - offset)
            block.withUnsafeMutableBytes { buffer in
                let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes])
                _ = file.read(into: slice, at: offset)
                body(UnsafeRawBufferPointer(slice))
            }
            offset += bytes
        }
    }

    func remove() { file.remove() }
}

/// Rebuilds states from their ids by re-executing their paths (parent log + successor log)
/// from the initial states. Ids asked in increasing order within a level share most of their
/// ancestors (a BFS numbers children in parent order), so the replayer keeps the chain of the
/// last state and each ancestor's successors: every ancestor is expanded once.
@usableFromInline
struct LogReplayer<System: TransitionSystem> {
    @usableFromInline let system: System
    @usableFromInline let initialStates: [System.State]
    /// The last chain, root first: ids, states, and each state's successors once expanded.
    @usableFromInline var ids: [Int] = []
    @usableFromInline var states: [System.State] = []
    @usableFromInline var successors: [[System.State]?] = []

    @usableFromInline
    init(system: System) {
        self.system = system
        initialStates = system.initialStates
    }

    /// The state with id `id`; `nil` if its path does not re-execute (a corrupt log or a
    /// nondeterministic model).
    @usableFromInline
    mutating func state(of id: Int, log: ParentLog, successorLog: SuccessorLog) -> System.State? {
        guard id >= 0, id < log.count, id < successorLog.count else { return nil }
        // Walk up until an ancestor of the last chain (same id at the same depth) is met.
        var newIds: [Int] = []
        var current = id
        var kept = -1
        while true {
            let position = ids.count - 1 - newIds.count
            if position >= 0, ids[position] == current {
                kept = position
                break
            }
            newIds.append(current)
            let parent = UInt32(truncatingIfNeeded: log.entry(current) >> 32)
            if parent == ParentLog.noParent { break }
            guard Int(parent) < current, newIds.count <= log.count else { return nil }
            current = Int(parent)
        }
        ids.removeLast(ids.count - (kept + 1))
        states.removeLast(states.count - (kept + 1))
        successors.removeLast(successors.count - (kept + 1))
        for next in newIds.reversed() {
            let index = Int(successorLog.index(of: next))
            let state: System.State
            if let last = states.indices.last {
                if successors[last] == nil {
                    var all: [System.State] = []
                    system.forEachSuccessor(of: states[last]) { _, successor in all.append(successor) }
                    successors[last] = all
                }
                guard let all = successors[last], index < all.count else { return nil }
                state = all[index]
            } else {
                guard index < initialStates.count else { return nil }
                state = initialStates[index]
            }
            // The fingerprint's low bits are in the parent log: a cheap check of the replay.
            guard UInt32(truncatingIfNeeded: state.fingerprint) == UInt32(truncatingIfNeeded: log.entry(next)) else { return nil }
            ids.append(next)
            states.append(state)
            successors.append(nil)
        }
        return states.last
    }
}
