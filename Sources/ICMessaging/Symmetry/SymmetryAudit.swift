import ICCore
import ModelChecking

/// Checks that a symmetry declaration is true of the programs, not only of the configuration:
/// on every state reachable within a bound, swapping two members of a group (and renumbering
/// calls) must give a state with the same representative, the same property verdicts and the
/// same successors up to representatives. `SymmetryGroups` cannot look inside programs; this
/// finds, e.g., a server that answers one member differently from another.
public enum SymmetryAudit {
    /// Up to `limit` descriptions of what breaks the symmetry (empty: none found) among the
    /// first `maxStates` states `system` reaches.
    public static func problems(
        system: ICSystem, reduction: SymmetryReduction, maxStates: Int = 20_000, limit: Int = 5
    ) -> [String] {
        var problems: [String] = []
        var seen: Set<ICState> = []
        var frontier = system.initialStates
        while let state = frontier.popLast(), seen.count < maxStates, problems.count < limit {
            guard seen.insert(state).inserted else { continue }
            let successors = system.successors(of: state)
            frontier += successors.map(\.state)
            var images = [("the representative", reduction.canonical(state).state)]
            for group in reduction.groups.groups {
                for (a, b) in zip(group, group.dropFirst()) {
                    images.append(("swapping \(a) and \(b)", reduction.swapping(a, b, canisters: state.canisterCount).stateAfter(state)))
                }
            }
            for (how, image) in images {
                if let problem = difference(state, successors, image, how, system, reduction) { problems.append(problem) }
            }
        }
        return Array(problems.prefix(limit))
    }

    private static func difference(
        _ state: ICState, _ successors: [(action: ICAction, state: ICState)], _ image: ICState, _ how: String,
        _ system: ICSystem, _ reduction: SymmetryReduction
    ) -> String? {
        if reduction.canonical(image).state != reduction.canonical(state).state {
            return "\(how) changes the representative of a state at time \(state.now)"
        }
        for property in system.icProperties where property.holds(in: state) != property.holds(in: image) {
            return "\(how) changes the verdict of \(property.name)"
        }
        let expected = Set(successors.map { reduction.canonical($0.state).state.fingerprint })
        let found = Set(system.successors(of: image).map { reduction.canonical($0.state).state.fingerprint })
        if expected != found {
            return "\(how) changes the successors of a state (\(expected.count) classes before, \(found.count) after; enabled: \(successors.map(\.action.description).joined(separator: "; ")))"
        }
        return nil
    }
}
