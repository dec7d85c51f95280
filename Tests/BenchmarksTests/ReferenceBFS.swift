import ModelChecking

/// A deliberately simple sequential BFS (full states in a `Set`), independent of the engine:
/// it cross-checks the engine's counts and counterexample lengths on small instances.
struct ReferenceBFS<System: TransitionSystem> {
    struct Result {
        var distinct = 0
        var transitions = 0
        var terminal = 0
        var maxDepth = 0
        /// The first `always` property found violated (BFS order) and the number of steps of
        /// the shortest path to a violating state.
        var violation: (property: String, steps: Int)?
    }

    let system: System

    func run(stopAtViolation: Bool = true) -> Result {
        var result = Result()
        var seen = Set<System.State>()
        var frontier: [System.State] = []
        let invariants = system.properties.filter { $0.expectation == .always }
        for state in system.initialStates where seen.insert(state).inserted {
            frontier.append(state)
        }
        var depth = 0
        while !frontier.isEmpty {
            var nextFrontier: [System.State] = []
            for state in frontier {
                if result.violation == nil, let broken = invariants.first(where: { !$0.condition(state) }) {
                    result.violation = (broken.name, depth)
                    if stopAtViolation { result.distinct = seen.count; return result }
                }
                var successors = 0
                system.forEachSuccessor(of: state) { _, successor in
                    successors += 1
                    if seen.insert(successor).inserted { nextFrontier.append(successor) }
                }
                result.transitions += successors
                if successors == 0 { result.terminal += 1 }
            }
            result.maxDepth = depth
            depth += 1
            frontier = nextFrontier
        }
        result.distinct = seen.count
        return result
    }
}
