/// A fairness constraint resolved to a class id of the graph.
struct FairnessConstraint: Sendable {
    var strong: Bool
    var classID: UInt8
}

/// A set of states where a fair run can stay forever: a fair SCC (any run that visits all its
/// states and edges infinitely often is fair), or a single terminal state (a finite maximal
/// run, fair since nothing is enabled).
struct FairComponent {
    var members: [UInt32]
    var isTerminal: Bool
    /// Edges (source, edge) the cycle must take to satisfy the fairness constraints.
    var witnessEdges: [(source: Int, edge: Int)]
    /// States the cycle must visit (where a weakly fair class is disabled).
    var witnessStates: [Int]
}

/// Finds the fair components of a subgraph: SCC decomposition, then per SCC the fairness
/// check, refining SCCs for strong fairness (Emerson–Lei style):
/// - WF(A) holds in an SCC iff it has an internal A-edge or a state where A is disabled.
///   Otherwise no sub-SCC can satisfy it either (fewer edges, still always enabled): drop it.
/// - SF(A) holds iff it has an internal A-edge or A is disabled in all its states.
///   Otherwise drop the states where A is enabled, recompute SCCs and check those again.
struct FairComponentSearch {
    let graph: LivenessGraph
    let constraints: [FairnessConstraint]
    private(set) var sccsFound = 0
    private var finder: SCCFinder
    /// Component stamp per state: `mark[s] == stamp` iff `s` is in the SCC being checked.
    private var mark: [UInt32]
    private var stamp: UInt32 = 0

    init(graph: LivenessGraph, constraints: [FairnessConstraint]) {
        self.graph = graph
        self.constraints = constraints
        finder = SCCFinder(stateCount: graph.stateCount)
        mark = Array(repeating: 0, count: graph.stateCount)
    }

    /// All fair components of the `allowed` subgraph reachable from `roots`.
    mutating func fairComponents(
        roots: some Sequence<Int>,
        allowed: (Int) -> Bool,
        progress: (Int) -> Void
    ) -> [FairComponent] {
        let graph = self.graph
        var found: [FairComponent] = []
        var pending: [[UInt32]] = []
        var count = 0
        finder.run(graph, roots: roots, allowed: allowed) { members in
            count += 1
            if count % 65_536 == 0 { progress(count) }
            if members.count == 1, graph.isTerminal(Int(members[0])) {
                found.append(FairComponent(members: members, isTerminal: true, witnessEdges: [], witnessStates: []))
            } else if Self.isCycle(graph, members) {
                pending.append(members)
            }
        }
        while let members = pending.popLast() {
            stamp += 1
            let current = stamp
            for member in members { mark[Int(member)] = current }
            switch check(members) {
            case .unfair:
                continue
            case .fair(let witnessEdges, let witnessStates):
                found.append(FairComponent(members: members, isTerminal: false, witnessEdges: witnessEdges, witnessStates: witnessStates))
            case .refine(let classes):
                let mark = self.mark
                let inside: (Int) -> Bool = { state in
                    guard mark[state] == current else { return false }
                    for edge in graph.edges(of: state) where classes.contains(graph.edgeClass[edge]) { return false }
                    for index in graph.leftOutClasses(of: state) where classes.contains(graph.leftOutClass[index]) { return false }
                    return true
                }
                finder.run(graph, roots: members.lazy.map { Int($0) }, allowed: inside) { sub in
                    count += 1
                    if Self.isCycle(graph, sub) { pending.append(sub) }
                }
            }
        }
        sccsFound += count
        progress(count)
        return found
    }

    /// Whether an SCC (of the subgraph it was computed in) contains a cycle: more than one
    /// state, or a self-loop.
    private static func isCycle(_ graph: LivenessGraph, _ members: [UInt32]) -> Bool {
        if members.count > 1 { return true }
        let state = Int(members[0])
        return graph.edges(of: state).contains { Int(graph.edgeTarget[$0]) == state }
    }

    private enum Verdict {
        case fair(witnessEdges: [(source: Int, edge: Int)], witnessStates: [Int])
        case unfair
        case refine(Set<UInt8>)
    }

    /// Checks the constraints on the currently marked SCC.
    private func check(_ members: [UInt32]) -> Verdict {
        if constraints.isEmpty { return .fair(witnessEdges: [], witnessStates: []) }
        let classCount = graph.classCount
        var internalEdge = [(source: Int, edge: Int)?](repeating: nil, count: classCount)
        var enabledCount = [Int](repeating: 0, count: classCount)
        var disabledState = [Int?](repeating: nil, count: classCount)
        var enabledHere = [Bool](repeating: false, count: classCount)
        let current = stamp
        for member in members {
            let state = Int(member)
            for edge in graph.edges(of: state) {
                let classID = graph.edgeClass[edge]
                guard classID != LivenessGraph.noClass else { continue }
                enabledHere[Int(classID)] = true
                if internalEdge[Int(classID)] == nil, mark[Int(graph.edgeTarget[edge])] == current {
                    internalEdge[Int(classID)] = (state, edge)
                }
            }
            // Enabled although no stored edge takes it (a reduced state): not disabled here.
            for index in graph.leftOutClasses(of: state) { enabledHere[Int(graph.leftOutClass[index])] = true }
            for classID in 0 ..< classCount {
                if enabledHere[classID] {
                    enabledCount[classID] += 1
                    enabledHere[classID] = false
                } else if disabledState[classID] == nil {
                    disabledState[classID] = state
                }
            }
        }
        var witnessEdges: [(source: Int, edge: Int)] = []
        var witnessStates: [Int] = []
        var refine = Set<UInt8>()
        for constraint in constraints {
            let classID = Int(constraint.classID)
            if let edge = internalEdge[classID] {
                if !witnessEdges.contains(where: { $0.edge == edge.edge }) { witnessEdges.append(edge) }
            } else if constraint.strong {
                if enabledCount[classID] > 0 { refine.insert(constraint.classID) }
            } else if let state = disabledState[classID] {
                if !witnessStates.contains(state) { witnessStates.append(state) }
            } else {
                return .unfair
            }
        }
        return refine.isEmpty ? .fair(witnessEdges: witnessEdges, witnessStates: witnessStates) : .refine(refine)
    }

    /// A cycle through `start` inside the component that takes every witness edge and visits
    /// every witness state, so that repeating it forever is a fair run. Returned as the edges
    /// to follow and the states reached (the last state is `start`).
    mutating func fairCycle(
        in component: FairComponent,
        from start: Int,
        paths: inout PathFinder
    ) -> (edges: [Int], states: [Int]) {
        stamp += 1
        let current = stamp
        for member in component.members { mark[Int(member)] = current }
        let graph = self.graph
        let mark = self.mark
        let neighbors: (Int, inout [(edge: Int, node: Int)]) -> Void = { state, out in
            for edge in graph.edges(of: state) {
                let target = Int(graph.edgeTarget[edge])
                if mark[target] == current { out.append((edge, target)) }
            }
        }
        var edges: [Int] = []
        var states: [Int] = []
        var position = start
        func walk(to target: Int, allowEmpty: Bool) {
            // The component is strongly connected, so a path always exists.
            guard let path = paths.shortestPath(from: [position], allowEmpty: allowEmpty, neighbors: neighbors, isTarget: { $0 == target })
            else { return }
            edges += path.edges
            states += path.nodes.dropFirst()
            position = target
        }
        for witness in component.witnessEdges {
            walk(to: witness.source, allowEmpty: true)
            edges.append(witness.edge)
            position = Int(graph.edgeTarget[witness.edge])
            states.append(position)
        }
        for witness in component.witnessStates { walk(to: witness, allowEmpty: true) }
        walk(to: start, allowEmpty: !edges.isEmpty)
        return (edges, states)
    }
}
