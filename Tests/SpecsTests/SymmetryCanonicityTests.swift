import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import Specs

/// Symmetry reduction's representative is canonical: every renaming of a reachable state has
/// the state's representative, and the shortcut that trusts member keys for tied members
/// (`SymmetryReduction.extendKeysWithCalls`) picks exactly the representative that trying every order of
/// them picks. A representative that depended on names would merge fewer states (never unsound,
/// but the counts and the concretisation of reduced traces rely on it).
@Suite struct SymmetryCanonicityTests {
    @Test(arguments: [
        ("bench-pubsub", ["subscribers": 3, "events": 1]),
        ("bench-pubsub", ["subscribers": 2, "events": 2]),
        ("P3-request-order-guaranteed", ["scale": 2]),
        ("SC-shared-counter-read-write", [:]),
    ])
    func everyRenamingHasTheSameRepresentative(name: String, parameters: [String: Int]) throws {
        var spec = try #require(SpecCatalog.builtInSmall.entry(named: name)).spec(with: parameters)
        spec.reductions.insert(.symmetry)
        let system = SpecSystem(spec: spec)
        let reduction = try #require(system.symmetry, "\(name) declares a symmetry")
        var exhaustive = reduction
        exhaustive.checksEveryTie = true
        let canisters = spec.configuration.canisters.count
        var seen: Set<ICState> = []
        var frontier = system.initialStates
        var (checked, mismatches, renamings) = (0, 0, 0)
        while let state = frontier.popLast(), seen.count < 1_500 {
            guard seen.insert(state).inserted else { continue }
            system.base.forEachSuccessor(of: state) { _, next in
                let representative = reduction.canonical(next).state
                checked += 1
                if exhaustive.canonical(next).state != representative { mismatches += 1 }
                for group in reduction.groups.groups {
                    for (a, b) in zip(group, group.dropFirst()) {
                        let renamed = reduction.swapping(a, b, canisters: canisters).stateAfter(next)
                        if reduction.canonical(renamed).state != representative { renamings += 1 }
                    }
                }
                frontier.append(representative)
            }
        }
        #expect(checked > 500, "\(name): only \(checked) successors")
        #expect(mismatches == 0, "\(name): \(mismatches) of \(checked) successors get another representative than trying every order gives")
        #expect(renamings == 0, "\(name): \(renamings) renamed successors get another representative")
    }
}
