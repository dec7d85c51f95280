import Foundation
import Testing
@testable import ModelChecking

@Suite struct EngineUtilityTests {
    @Test func fingerprintRegressionValues() {
        // Literal values: a change here changes every stored fingerprint and trace file.
        #expect([1, 2, 3].fingerprint == [1, 2, 3].fingerprint)
        var hasher = FingerprintHasher()
        hasher.combine(UInt64(42))
        let value = hasher.finalize()
        var again = FingerprintHasher()
        again.combine(UInt64(42))
        #expect(value == again.finalize())
        #expect(value == 0x36b2_1936_d5d6_bc4b)
        #expect([1, 2, 3].fingerprint == 0x6e33_6766_7114_8f58)
        #expect("icmc".fingerprint == 0x669a_9dbb_e29f_1081)
    }

    @Test func fingerprintTableSetSemantics() {
        let set = ShardedFingerprintSet(shardCount: 4, initialCapacity: 16)
        var random = SplitMix64(seed: 9)
        var inserted: [UInt64] = [0]
        #expect(set.insert(0))
        #expect(!set.insert(0))
        for _ in 0..<10_000 {
            let value = random.next()
            #expect(set.insert(value))
            inserted.append(value)
        }
        #expect(set.count == inserted.count)
        #expect(inserted.allSatisfy { set.contains($0) && !set.insert($0) })
        #expect(!set.contains(12345))
        // Memory stays within the advertised 15 bytes per fingerprint (plus the initial slots).
        #expect(set.memoryBytes <= 15 * set.count + 4 * 16 * 8)
    }

    @Test func randomGeneratorsAreDeterministic() {
        var a = Xoshiro256(seed: 1)
        var b = Xoshiro256(seed: 1)
        var c = Xoshiro256(seed: 2)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
        var split = SplitMix64(seed: 0)
        // Reference value of SplitMix64 seeded with 0.
        #expect(split.next() == 0xE220_A839_7B1D_CDAF)
        for _ in 0..<1000 { #expect(a.next(below: 7) < 7) }
    }

    // The SIGINT route (InterruptHandler) is tested end to end on the icmc binary, in a child
    // process: icmcTests/CommandLineTests.ctrlCStopsWithStatistics.

    @Test func depthFirstCancellationAndProgress() {
        let flag = CancellationFlag()
        var reports = 0
        let options = CheckerOptions(
            strategy: .depthFirst, workers: 1, maxStates: 200_000, progressInterval: .zero, cancellation: flag)
        let result = Checker(Counter(limit: nil), options: options).run { _ in
            reports += 1
            flag.cancel()
        }
        #expect(reports == 1)
        #expect(result.outcome == .interrupted)
        #expect(result.statistics.distinctStates < 200_000)
    }
}
