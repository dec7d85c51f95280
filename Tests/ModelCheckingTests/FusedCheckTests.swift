import Testing
@testable import ModelChecking

/// Bit flips (one bit per step, from 0) where each `always` property forbids one state.
///
/// Level `k` holds the C(bits, k) states with `k` bits set, so a forbidden state with many high
/// bits sits late in a wide level: in a later chunk and merge batch than the level's start.
private struct ForbiddenStates: TransitionSystem {
    var bits: Int
    var forbidden: [UInt32]
    var name: String { "forbidden-states(\(bits))" }
    var initialStates: [UInt32] { [0] }

    func forEachSuccessor(of state: UInt32, _ body: (Int, UInt32) -> Void) {
        for bit in 0..<bits { body(bit, state ^ (1 << UInt32(bit))) }
    }

    var properties: [Property<UInt32>] {
        forbidden.enumerated().map { position, state in .always("avoids\(position)") { $0 != state } }
    }
}

/// The checks run inside the expansion (one worker and several); these tests pin what a level
/// that decides them must report, computed from the model rather than from another run.
@Suite struct FusedCheckTests {
    private func binomial(_ n: Int, _ k: Int) -> Int {
        guard k >= 0, k <= n else { return 0 }
        var result = 1
        for step in 0..<k { result = result * (n - step) / (step + 1) }
        return result
    }

    /// States with at most `level` bits set: what a BFS has stored when it finishes level `level`.
    private func statesThrough(_ level: Int, bits: Int) -> Int { (0...level).reduce(0) { $0 + binomial(bits, $1) } }

    @Test(arguments: [1, 2, 3])
    func stopIsAsIfChecksRanBeforeTheLevel(workers: Int) throws {
        // 0x1FE00: bits 9-16, late in level 8 (24,310 states, two merge batches); 0x7: level 3.
        let system = ForbiddenStates(bits: 17, forbidden: [0x1_FE00, 0x7])
        for policy in [WorkerPolicy.fixed, .alternating] {
            var options = CheckerOptions(workers: workers, stopOnViolation: true, progressInterval: nil)
            options.workerPolicy = policy
            let result = Checker(system, options: options).run()
            #expect(result.outcome == .stoppedOnViolation)
            // Stopped at level 8 before expanding it: levels 0-8 stored, levels 0-7 expanded.
            #expect(result.statistics.distinctStates == statesThrough(8, bits: 17), "\(workers) \(policy)")
            #expect(result.statistics.transitions == 17 * statesThrough(7, bits: 17), "\(workers) \(policy)")
            for (position, state) in system.forbidden.enumerated() {
                let trace = try #require(result.verdict(named: "avoids\(position)")?.status.trace)
                #expect(trace.finalState == state)
                #expect(trace.length == state.nonzeroBitCount)
            }
        }
    }

    @Test(arguments: [1, 2, 3])
    func levelsAfterAViolationKeepCheckingTheOthers(workers: Int) throws {
        // Without stopping, both violations are found and the whole space is explored.
        let system = ForbiddenStates(bits: 15, forbidden: [0x7F00, 0x3])
        var options = CheckerOptions(workers: workers, stopOnViolation: false, progressInterval: nil)
        options.workerPolicy = .alternating
        let result = Checker(system, options: options).run()
        #expect(result.outcome == .complete)
        #expect(result.statistics.distinctStates == 1 << 15)
        #expect(result.statistics.transitions == 15 << 15)
        for (position, state) in system.forbidden.enumerated() {
            let trace = try #require(result.verdict(named: "avoids\(position)")?.status.trace)
            #expect(trace.finalState == state)
            #expect(trace.length == state.nonzeroBitCount)
        }
    }
}
