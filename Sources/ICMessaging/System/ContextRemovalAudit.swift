import ICCore
import ModelChecking

/// Checks `ICProperty.observesContextRemoval` declarations against the states they judge: on
/// every state reachable within a bound (with T9 its own step), a property that declares it
/// does not observe context removal must give the same verdict once the removable contexts are
/// gone. A wrong declaration would let the invisible-steps reduction miss a violation, and the
/// compiler cannot see inside a property's closure; this finds, e.g., a property that counts
/// every context of a canister.
public enum ContextRemovalAudit {
    /// Up to `limit` descriptions of declarations the states contradict (empty: none found)
    /// among the first `maxStates` states `system` reaches (T9 kept separate whatever `system`
    /// says, so that states with removable contexts are reached).
    public static func problems(system: ICSystem, maxStates: Int = 20_000, limit: Int = 5) -> [String] {
        let plain = system.reportingSystem
        let declared = plain.icProperties.filter { !$0.observesContextRemoval }
        guard !declared.isEmpty else { return [] }
        var problems: [String] = []
        var seen: Set<ICState> = []
        var frontier = plain.initialStates
        while let state = frontier.popLast(), seen.count < maxStates, problems.count < limit {
            guard seen.insert(state).inserted else { continue }
            frontier += plain.successors(of: state).map(\.state)
            guard state.hasRemovableContexts else { continue }
            var merged = state
            merged.removeRemovableContexts()
            for property in declared where property.holds(in: state) != property.holds(in: merged) {
                problems.append(
                    "\(property.name) declares that it does not observe context removal, but removing \(state.removableContexts.map(\.description).joined(separator: ", ")) at time \(state.now) changes its verdict")
            }
        }
        return Array(problems.prefix(limit))
    }
}
