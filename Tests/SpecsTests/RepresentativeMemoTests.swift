import ICCore
import ICMessaging
import Testing
@testable import ICSpec
@testable import Specs

/// The per-thread memo of representatives: a hit returns what was made for the same concrete
/// state, and another system (identity) never sees the first one's representatives.
@Suite struct RepresentativeMemoTests {
    @Test func hitsReturnTheRepresentativeMadeForTheSameState() throws {
        let spec = try #require(SpecCatalog.builtInSmall.entry(named: "P6-at-most-once-small")).spec(with: ["scale": 2])
        let system = SpecSystem(spec: spec)
        let state = try #require(system.initialStates.first)
        var successors: [ICState] = []
        system.base.forEachSuccessor(of: state) { _, next in successors.append(next) }
        #expect(!successors.isEmpty)
        let memo = RepresentativeMemo()
        let identity = RepresentativeMemo.newIdentity()
        var made = 0
        for next in successors {
            let first = memo.representative(of: next, identity: identity) { made += 1; return system.representative($0) }
            let again = memo.representative(of: next, identity: identity) { made += 1; return system.representative($0) }
            #expect(first == system.representative(next) && again == first)
        }
        #expect(made == Set(successors.map(\.fingerprint)).count, "a state made twice, or a hit for a state never made")
        // Another identity starts afresh: its maker runs again.
        let other = RepresentativeMemo.newIdentity()
        var remade = 0
        _ = memo.representative(of: successors[0], identity: other) { remade += 1; return $0 }
        #expect(remade == 1 && other != identity)
    }
}
