/// The reachable state graph of a model, stored compactly for the liveness analysis.
///
/// States are numbered 0..<stateCount in breadth-first discovery order; the distinct initial
/// states come first. The states themselves are not kept: a counterexample is rebuilt by
/// re-executing the model along the edges' *ordinals* (an edge's position among the calls of
/// `forEachSuccessor` for its source), which the determinism contract of `TransitionSystem`
/// permits. Edges are kept in CSR form, one per `forEachSuccessor` call (duplicates included),
/// so an edge's ordinal is `edge - edgeStart[source]` and needs no storage.
///
/// Memory after construction:
/// - per state: 8 B fingerprint + 4 B edge offset + 1 bit per evaluated predicate + 1 bit
///   "outside the boundary" ≈ 12.3 B;
/// - per edge: 4 B target + 1 B fairness class (0 B when the model declares no fairness).
///
/// During construction add the fingerprint table (`Dictionary<UInt64, UInt32>`, 16–32 B per
/// state), the queue of discovered but unexpanded states (full `State` values) and one batch of
/// expanded successors. The analysis adds about 16 B per state (Tarjan numbers, component
/// marks) and 8–16 B per state for the shortest-path searches.
struct LivenessGraph: Sendable {
    /// Class id of an edge whose action is in no fairness class.
    static let noClass: UInt8 = .max

    /// The stable fingerprint of each state, used to verify re-execution.
    var fingerprints: [UInt64] = []
    /// CSR offsets: the edges of state `s` are `edgeStart[s] ..< edgeStart[s + 1]`.
    var edgeStart: [UInt32] = [0]
    /// The target state of each edge.
    var edgeTarget: [UInt32] = []
    /// The fairness class id of each edge; empty when the model declares no fairness.
    var edgeClass: [UInt8] = []
    /// Bit `s` of `predicates[p]`: predicate `p` holds in state `s`.
    var predicates: [LivenessBitSet] = []
    /// States outside the model's boundary: counted but not expanded.
    var outsideBoundary = LivenessBitSet(count: 0)
    /// For each distinct initial state (index `i < initialCount`), its position in `initialStates`.
    var initialPositions: [Int] = []
    /// The number of fairness classes (edge class ids are `0 ..< classCount`).
    var classCount = 0
    /// CSR offsets into `leftOutClass` per state: the fairness classes enabled in the state
    /// that no stored edge takes (its successors were reduced, partial-order reduction). Empty
    /// until some state has one, and then covering the states up to the last such.
    var leftOutStart: [UInt32] = []
    /// The classes of `leftOutStart`, each once per state.
    var leftOutClass: [UInt8] = []

    var stateCount: Int { fingerprints.count }
    var edgeCount: Int { edgeTarget.count }
    var initialCount: Int { initialPositions.count }

    @inline(__always)
    func edges(of state: Int) -> Range<Int> {
        Int(edgeStart[state]) ..< Int(edgeStart[state + 1])
    }

    @inline(__always)
    func holds(_ predicate: Int, in state: Int) -> Bool {
        predicates[predicate][state]
    }

    @inline(__always)
    func edgeClassID(_ edge: Int) -> UInt8 {
        edgeClass.isEmpty ? Self.noClass : edgeClass[edge]
    }

    /// The fairness classes enabled in `state` that its stored edges leave out (indices into
    /// `leftOutClass`).
    @inline(__always)
    func leftOutClasses(of state: Int) -> Range<Int> {
        guard state + 1 < leftOutStart.count else { return 0 ..< 0 }
        return Int(leftOutStart[state]) ..< Int(leftOutStart[state + 1])
    }

    /// Records the classes left out in `state`, the state expanded last.
    mutating func recordLeftOut(_ classes: [UInt8], of state: Int) {
        if leftOutStart.isEmpty {
            guard !classes.isEmpty else { return }
            leftOutStart = [UInt32](repeating: 0, count: state + 1)
        }
        leftOutClass += classes
        leftOutStart.append(UInt32(leftOutClass.count))
    }

    /// A state with no successors that the model did expand: a finite maximal run ends here.
    func isTerminal(_ state: Int) -> Bool {
        edgeStart[state] == edgeStart[state + 1] && !outsideBoundary[state]
    }

    /// Whether some action of class `classID` is enabled in `state`.
    func isEnabled(_ classID: UInt8, in state: Int) -> Bool {
        if edgeClass.isEmpty { return false }
        for edge in edges(of: state) where edgeClass[edge] == classID { return true }
        for index in leftOutClasses(of: state) where leftOutClass[index] == classID { return true }
        return false
    }

    /// Bytes held by the graph's arrays (capacity may add slack).
    var byteCount: Int {
        fingerprints.count * 8 + edgeStart.count * 4 + edgeTarget.count * 4 + edgeClass.count
            + predicates.reduce(0) { $0 + $1.byteCount } + outsideBoundary.byteCount + leftOutStart.count * 4 + leftOutClass.count
    }
}
