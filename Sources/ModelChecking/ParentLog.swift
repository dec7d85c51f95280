/// Predecessor links of a search, indexed by state id (ids are dense, in discovery order):
/// per state one `UInt64` holding the parent's id (high 32 bits; all ones for an initial
/// state) and the low 32 bits of the state's own fingerprint.
///
/// With the fingerprint table that is 8 + 10…15 bytes per state. A trace is rebuilt by
/// re-executing the model from an initial state along the chain, at each step taking the
/// successor whose fingerprint matches; the final state is compared with the expected one.
@usableFromInline
struct ParentLog {
    @usableFromInline static var noParent: UInt32 { .max }
    /// Largest number of states the 32-bit ids can name.
    @usableFromInline static var maxStates: Int { Int(UInt32.max) - 1 }

    /// Entries in segments of `segmentSize`: growing never copies what is stored (no 2×
    /// transient as with one big array).
    @usableFromInline var segments: [[UInt64]] = []
    @usableFromInline var count = 0

    @usableFromInline init() {}

    @inlinable static var segmentShift: Int { 16 }
    @inlinable static var segmentSize: Int { 1 << segmentShift }

    @inlinable @inline(__always)
    mutating func append(parent: UInt32, fingerprint: UInt64) {
        if count & (Self.segmentSize - 1) == 0 {
            var segment: [UInt64] = []
            segment.reserveCapacity(Self.segmentSize)
            segments.append(segment)
        }
        segments[segments.count - 1].append(UInt64(parent) << 32 | (fingerprint & 0xFFFF_FFFF))
        count += 1
    }

    @inlinable
    func entry(_ id: Int) -> UInt64 { segments[id >> Self.segmentShift][id & (Self.segmentSize - 1)] }

    /// The trace to the state with id `id`, which must equal `finalState`; `nil` (with a
    /// warning) if re-execution diverges, i.e. the model is not deterministic.
    @usableFromInline
    func trace<System: TransitionSystem>(
        to id: UInt32, finalState: System.State, system: System, warnings: inout [String]
    ) -> Trace<System>? {
        var chain: [UInt32] = []
        var current = id
        while true {
            let entry = entry(Int(current))
            chain.append(UInt32(truncatingIfNeeded: entry))
            let parent = UInt32(truncatingIfNeeded: entry >> 32)
            if parent == Self.noParent { break }
            current = parent
        }
        chain.reverse()
        func low(_ state: System.State) -> UInt32 { UInt32(truncatingIfNeeded: state.fingerprint) }
        guard let initial = system.initialStates.first(where: { low($0) == chain[0] }) else {
            warnings.append("trace reconstruction: no initial state matches the recorded fingerprint (nondeterministic model?)")
            return nil
        }
        var state = initial
        var steps: [Trace<System>.Step] = []
        for (position, expected) in chain.enumerated().dropFirst() {
            let isLast = position == chain.count - 1
            var found: Trace<System>.Step?
            system.forEachSuccessor(of: state) { action, successor in
                guard found == nil, low(successor) == expected else { return }
                if isLast && successor != finalState { return }
                found = Trace<System>.Step(action: action, state: successor)
            }
            guard let step = found else {
                warnings.append("trace reconstruction diverged at step \(position) (nondeterministic model?)")
                return nil
            }
            steps.append(step)
            state = step.state
        }
        guard state == finalState else {
            warnings.append("trace reconstruction ended in a different state (nondeterministic model?)")
            return nil
        }
        return Trace(system: system, initialState: initial, steps: steps)
    }
}
