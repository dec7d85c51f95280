import Foundation

/// Predecessor links of a search, indexed by state id (ids are dense, in discovery order):
/// per state one `UInt64` holding the parent's id (high 32 bits; all ones for an initial
/// state) and the low 32 bits of the state's own fingerprint.
///
/// As in TLC, the links live on disk: full segments are appended to an unlinked temporary file
/// and read back (8 bytes per step) only to rebuild a trace, so the search's memory per state is
/// the fingerprint table's 10–15 bytes. Where no temporary file can be made, segments stay in
/// memory (8 more bytes per state). A trace is rebuilt by re-executing the model from an initial
/// state along the chain, at each step taking the successor whose fingerprint matches; the final
/// state is compared with the expected one.
@usableFromInline
struct ParentLog {
    @usableFromInline static var noParent: UInt32 { .max }
    /// Largest number of states the 32-bit ids can name.
    @usableFromInline static var maxStates: Int { Int(UInt32.max) - 1 }

    /// Entries of full segments not spilled to disk (only when no spill file could be made).
    @usableFromInline var segments: [[UInt64]] = []
    /// The newest, partly filled segment.
    @usableFromInline var current: [UInt64] = []
    /// Entries written to the spill file (a multiple of `segmentSize`).
    @usableFromInline var spilled = 0
    @usableFromInline let spillFile: SpillFile?
    @usableFromInline var count = 0

    /// `directory`: where the spill file goes (the temporary directory by default; `--disk DIR`).
    @usableFromInline init(directory: String? = nil) {
        spillFile = SpillFile(directory: directory ?? NSTemporaryDirectory())
        current.reserveCapacity(Self.segmentSize)
    }

    @inlinable static var segmentShift: Int { 16 }
    @inlinable static var segmentSize: Int { 1 << segmentShift }

    @inlinable @inline(__always)
    mutating func append(parent: UInt32, fingerprint: UInt64) {
        if current.count == Self.segmentSize { retireCurrentSegment() }
        current.append(UInt64(parent) << 32 | (fingerprint & 0xFFFF_FFFF))
        count += 1
    }

    /// Moves the full current segment to the spill file (or, failing that, to memory).
    @usableFromInline
    mutating func retireCurrentSegment() {
        if segments.isEmpty, let file = spillFile, file.append(current) {
            spilled += current.count
        } else {
            segments.append(current)
        }
        current.removeAll(keepingCapacity: true)
    }

    @inlinable
    func entry(_ id: Int) -> UInt64 {
        if id < spilled, let file = spillFile { return file.read(at: id) }
        let inMemory = id - spilled
        let segment = inMemory >> Self.segmentShift
        return segment < segments.count
            ? segments[segment][inMemory & (Self.segmentSize - 1)] : current[inMemory - segments.count * Self.segmentSize]
    }

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

/// An unlinked temporary file of `UInt64` entries: appended in segments, read one entry at a
/// time. Owned by one `ParentLog`; closed when the last copy goes.
@usableFromInline
final class SpillFile: @unchecked Sendable {
    // @unchecked: the descriptor is written only by the search thread that owns the log, and
    // read only after the search, for trace reconstruction.
    let descriptor: Int32
    private var written = 0

    /// `nil` when no temporary file can be created (read-only or full temporary directory).
    @usableFromInline init?(directory: String) {
        var template = Array((directory + "/icmc-parents-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Appends `entries`; false (and nothing to rely on) if the write fails.
    @usableFromInline func append(_ entries: [UInt64]) -> Bool {
        let bytes = entries.count * 8
        let done = entries.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < bytes {
                let n = pwrite(descriptor, buffer.baseAddress! + offset, bytes - offset, off_t(written + offset))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        if done { written += bytes }
        return done
    }

    @usableFromInline func read(at index: Int) -> UInt64 {
        var value: UInt64 = 0
        let n = withUnsafeMutableBytes(of: &value) { pread(descriptor, $0.baseAddress!, 8, off_t(index * 8)) }
        precondition(n == 8, "parent log: cannot read entry \(index) back from its spill file")
        return value
    }
}
