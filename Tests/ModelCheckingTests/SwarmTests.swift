import Testing
@testable import ModelChecking

@Suite struct SwarmTests {
    private func swarm(_ system: BitFlips, members: Int = 12, workers: Int, seed: UInt64 = 7) -> SwarmResult<BitFlips> {
        Swarm(system, configuration: SwarmConfiguration(members: members, walksPerMember: 3, depth: 24, seed: seed, workers: workers)).run()
    }

    @Test func findingIsTheSameForAnyNumberOfWorkers() throws {
        // Seven of twelve bits set: random walks find it, but not every member does.
        let system = BitFlips(bits: 12)
        let results = [1, 2, 3].map { swarm(system, workers: $0) }
        let first = try #require(results[0].finding)
        let trace = try #require(first.result.verdict(named: "fewBitsSet")?.status.trace)
        #expect(trace.finalState.nonzeroBitCount == 7)
        for result in results.dropFirst() {
            #expect(result.finding?.member == first.member)
            #expect(result.finding?.result.verdict(named: "fewBitsSet")?.status.trace?.states == trace.states)
            #expect(result.finishedMembers == results[0].finishedMembers)
            #expect(result.transitions == results[0].transitions)
        }
        #expect(results[0].finishedMembers == first.member.index + 1)
    }

    @Test func aMembersStrategyReproducesItsFinding() throws {
        let system = BitFlips(bits: 12)
        let finding = try #require(swarm(system, workers: 2).finding)
        let again = Checker(system, options: CheckerOptions(strategy: finding.member.strategy, workers: 1, progressInterval: nil)).run()
        #expect(again.verdict(named: "fewBitsSet")?.status.trace?.states
            == finding.result.verdict(named: "fewBitsSet")?.status.trace?.states)
    }

    @Test func membersAreDiversified() {
        let members = Swarm(BitFlips(bits: 4), configuration: SwarmConfiguration(members: 6, walksPerMember: 1, depth: 40, seed: 1)).members
        #expect(Set(members.map(\.seed)).count == 6)
        #expect(members.map(\.depth) == [40, 20, 10, 40, 20, 10])
        // Another swarm seed, other member seeds.
        let other = Swarm(BitFlips(bits: 4), configuration: SwarmConfiguration(members: 6, walksPerMember: 1, depth: 40, seed: 2)).members
        #expect(Set(other.map(\.seed)).isDisjoint(with: Set(members.map(\.seed))))
    }

    @Test func noViolationMeansEveryMemberFinished() {
        // Twelve bits, walks of at most 6 steps (depth 6, 3, 1): never seven bits set.
        let system = BitFlips(bits: 12)
        let result = Swarm(system, configuration: SwarmConfiguration(members: 9, walksPerMember: 4, depth: 6, seed: 3, workers: 2)).run()
        #expect(result.finding == nil)
        #expect(result.finishedMembers == 9)
        #expect(result.transitions == [6, 3, 1].reduce(0) { $0 + 3 * 4 * $1 * 12 })
    }
}
