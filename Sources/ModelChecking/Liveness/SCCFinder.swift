/// Tarjan's strongly connected components, iterative (an explicit stack instead of
/// recursion, so that million-state graphs cannot overflow the thread stack).
///
/// Runs on the subgraph induced by an `allowed` predicate and can be re-run on subsets of it
/// (the strong-fairness refinement): its per-state arrays are allocated once and only the
/// states visited by a run are reset afterwards. Cost: 8 B per state of the graph plus the
/// stacks, proportional to the states visited.
struct SCCFinder {
    private var number: [UInt32]
    private var lowlink: [UInt32]
    private var onStack: LivenessBitSet
    private var stack: [UInt32] = []
    private var frames: [(state: UInt32, nextEdge: UInt32)] = []
    private var visited: [UInt32] = []
    private var counter: UInt32 = 0

    init(stateCount: Int) {
        number = Array(repeating: 0, count: stateCount)
        lowlink = Array(repeating: 0, count: stateCount)
        onStack = LivenessBitSet(count: stateCount)
    }

    /// Calls `component` with the members of every SCC of the `allowed` subgraph reachable
    /// from `roots` (each root must be allowed), in Tarjan's order (successors first).
    mutating func run(
        _ graph: LivenessGraph,
        roots: some Sequence<Int>,
        allowed: (Int) -> Bool,
        component: ([UInt32]) -> Void
    ) {
        for root in roots where number[root] == 0 && allowed(root) {
            enter(graph, UInt32(root))
            while let frame = frames.last {
                let state = Int(frame.state)
                let edge = Int(frame.nextEdge)
                if edge < Int(graph.edgeStart[state + 1]) {
                    frames[frames.count - 1].nextEdge += 1
                    let target = Int(graph.edgeTarget[edge])
                    guard allowed(target) else { continue }
                    if number[target] == 0 {
                        enter(graph, UInt32(target))
                    } else if onStack[target] {
                        lowlink[state] = min(lowlink[state], number[target])
                    }
                    continue
                }
                frames.removeLast()
                if lowlink[state] == number[state] {
                    var members: [UInt32] = []
                    while true {
                        let member = stack.removeLast()
                        onStack[Int(member)] = false
                        members.append(member)
                        if Int(member) == state { break }
                    }
                    component(members)
                }
                if let parent = frames.last {
                    let parentState = Int(parent.state)
                    lowlink[parentState] = min(lowlink[parentState], lowlink[state])
                }
            }
        }
        for state in visited {
            number[Int(state)] = 0
            lowlink[Int(state)] = 0
        }
        visited.removeAll(keepingCapacity: true)
        counter = 0
    }

    private mutating func enter(_ graph: LivenessGraph, _ state: UInt32) {
        counter += 1
        number[Int(state)] = counter
        lowlink[Int(state)] = counter
        stack.append(state)
        onStack[Int(state)] = true
        frames.append((state, graph.edgeStart[Int(state)]))
        visited.append(state)
    }
}
