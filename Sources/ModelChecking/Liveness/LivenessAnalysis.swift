/// A refuting run as graph indices: `states[i + 1]` is the target of `edges[i]`.
struct LivenessPath {
    var states: [Int]
    var edges: [Int]
    /// The index in `states` the cycle returns to (the last state equals it); `nil` if the
    /// run ends in a terminal state.
    var loopIndex: Int?
    /// For `leadsTo`, the index in `states` of the P ∧ ¬Q state.
    var premiseIndex: Int?
}

/// The graph algorithms behind `LivenessChecker`, on graph indices only.
struct LivenessAnalysis {
    let graph: LivenessGraph
    private var components: FairComponentSearch
    private var paths: PathFinder
    private let progress: (@Sendable (LivenessProgress) -> Void)?

    var sccsFound: Int { components.sccsFound }

    init(graph: LivenessGraph, constraints: [FairnessConstraint], progress: (@Sendable (LivenessProgress) -> Void)?) {
        self.graph = graph
        components = FairComponentSearch(graph: graph, constraints: constraints)
        // Room for the two-phase search of `leadsTo` (before and after the premise).
        paths = PathFinder(nodeCount: 2 * graph.stateCount)
        self.progress = progress
    }

    /// A fair run violating `eventually goal` (premise `nil`) or `premise leadsTo goal`
    /// (predicate indices of the graph), or `nil` if the property holds.
    mutating func refute(name: String, premise: Int?, goal: Int) -> LivenessPath? {
        let graph = self.graph
        let count = graph.stateCount
        let avoidsGoal: (Int) -> Bool = { !graph.holds(goal, in: $0) }
        let report: (Int) -> Void = { [progress] sccs in
            progress?(LivenessProgress(phase: .analyzing(property: name), statesExplored: count, edges: graph.edgeCount, sccsFound: sccs))
        }
        let found: [FairComponent]
        if let premise {
            let roots = (0 ..< count).lazy.filter { graph.holds(premise, in: $0) && avoidsGoal($0) }
            found = components.fairComponents(roots: roots, allowed: avoidsGoal, progress: report)
        } else {
            found = components.fairComponents(roots: 0 ..< graph.initialCount, allowed: avoidsGoal, progress: report)
        }
        if found.isEmpty { return nil }
        var componentOf = [Int32](repeating: -1, count: count)
        for (index, component) in found.enumerated() {
            for member in component.members { componentOf[Int(member)] = Int32(index) }
        }

        // The stem: a shortest path to a fair component. For `leadsTo` nodes are
        // (state, phase): phase 0 is before the premise, phase 1 (node + count) after it,
        // restricted to ¬goal; the pseudo-edge -1 switches phase at a P ∧ ¬Q state.
        let stem: PathFinder.Path?
        if let premise {
            stem = paths.shortestPath(
                from: Array(0 ..< graph.initialCount), allowEmpty: false,
                neighbors: { node, out in
                    if node < count {
                        if graph.holds(premise, in: node), avoidsGoal(node) { out.append((-1, node + count)) }
                        for edge in graph.edges(of: node) { out.append((edge, Int(graph.edgeTarget[edge]))) }
                    } else {
                        for edge in graph.edges(of: node - count) {
                            let target = Int(graph.edgeTarget[edge])
                            if avoidsGoal(target) { out.append((edge, target + count)) }
                        }
                    }
                },
                isTarget: { $0 >= count && componentOf[$0 - count] >= 0 })
        } else {
            stem = paths.shortestPath(
                from: (0 ..< graph.initialCount).filter(avoidsGoal), allowEmpty: true,
                neighbors: { state, out in
                    for edge in graph.edges(of: state) {
                        let target = Int(graph.edgeTarget[edge])
                        if avoidsGoal(target) { out.append((edge, target)) }
                    }
                },
                isTarget: { componentOf[$0] >= 0 })
        }
        // Every fair component is reachable from the roots, so the stem exists.
        guard let stem else { return nil }

        var path = LivenessPath(states: [stem.nodes[0] % count], edges: [])
        for (edge, node) in zip(stem.edges, stem.nodes.dropFirst()) {
            if edge < 0 {
                path.premiseIndex = path.states.count - 1
            } else {
                path.edges.append(edge)
                path.states.append(node % count)
            }
        }
        let landing = path.states[path.states.count - 1]
        let component = found[Int(componentOf[landing])]
        if !component.isTerminal {
            path.loopIndex = path.states.count - 1
            let cycle = components.fairCycle(in: component, from: landing, paths: &paths)
            path.edges += cycle.edges
            path.states += cycle.states
        }
        return path
    }
}
