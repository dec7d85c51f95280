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

/// A chunk's deduplicator is reused chunk after chunk. A growth triggered by a fingerprint that
/// was already there once left the moved slots uncleared: stale fingerprints piled up uncounted
/// until the table was full and a probe never ended (a parallel `bench-pubsub` 8 × 4 hung).
@Test func chunkDeduplicatorIsEmptyAfterAGrowthOnADuplicate() {
    var deduplicator = ChunkDeduplicator(table: FingerprintTable(capacity: 64))
    defer { deduplicator.table.deallocate() }
    func fingerprint(_ n: UInt64) -> UInt64 { n &* 0x9E37_79B9_7F4A_7C15 | 1 }
    var n: UInt64 = 1
    while deduplicator.table.count < deduplicator.table.growthThreshold {
        let inserted = deduplicator.insert(fingerprint(n))
        #expect(inserted)
        n += 1
    }
    let capacity = deduplicator.table.capacity
    let duplicateInserted = deduplicator.insert(fingerprint(1))
    #expect(!duplicateInserted, "a duplicate at the threshold is not new")
    #expect(deduplicator.table.capacity > capacity, "and it made the table grow")
    deduplicator.reset()
    let slots = UnsafeBufferPointer(start: deduplicator.table.slots, count: deduplicator.table.capacity)
    #expect(slots.allSatisfy { $0 == 0 }, "every slot is empty after the reset")
    let insertedAgain = deduplicator.insert(fingerprint(1))
    #expect(insertedAgain, "and what was there is new again")
}
