import ModelChecking
import Testing

/// `DictionaryDigest` and `FingerprintCached.derived` keep derived data beside a value; these
/// tests compare them with the value recomputed from scratch after many random changes.
@Suite struct IncrementalFingerprintTests {
    /// A deterministic pseudo-random sequence (no seeded global state in tests).
    struct Sequence {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func digestMatchesTheDictionaryFingerprintAfterRandomChanges() {
        var random = Sequence(state: 7)
        var dictionary: [Int: [Int]] = [:]
        var digest = DictionaryDigest()
        for _ in 0..<2_000 {
            let key = random.next(40)
            switch random.next(3) {
            case 0:  // insert or replace
                let value = [random.next(5), random.next(5)]
                if let old = dictionary.updateValue(value, forKey: key) { digest.remove(key, old) }
                digest.insert(key, value)
            case 1:  // remove
                if let old = dictionary.removeValue(forKey: key) { digest.remove(key, old) }
            default:  // append to an entry
                var value = dictionary[key] ?? []
                if !value.isEmpty { digest.remove(key, value) }
                value.append(random.next(5))
                digest.insert(key, value)
                dictionary[key] = value
            }
            var incremental = FingerprintHasher()
            digest.fingerprint(into: &incremental)
            #expect(incremental.finalize() == dictionary.fingerprint)
            #expect(digest == DictionaryDigest(of: dictionary))
        }
    }

    @Test func digestTellsDifferentDictionariesApart() {
        var a = DictionaryDigest()
        a.insert(1, 2)
        var b = DictionaryDigest()
        b.insert(2, 1)
        #expect(a != b)
        a.remove(1, 2)
        #expect(a == DictionaryDigest())
    }

    @Test func derivedValuesAreComputedOncePerBoxAndPerType() {
        let component = FingerprintCached([3, 1, 2])
        var runs = 0
        let first = component.derived { values -> [Int] in
            runs += 1
            return values.sorted()
        }
        let second = component.derived { values -> [Int] in
            runs += 1
            return values.reversed()
        }
        #expect(first == [1, 2, 3])
        #expect(second == [1, 2, 3], "the first derived value of this type is kept")
        #expect(runs == 1)
        // Another derived type is computed afresh, not confused with the cached one.
        let text = component.derived { values in values.map(String.init).joined() }
        #expect(text == "312")
        // A changed component gets a new box, hence a fresh derived value.
        var changed = component
        changed.value.append(0)
        #expect(changed.derived { $0.sorted() } == [0, 1, 2, 3])
        #expect(component.derived { $0.sorted() } == [1, 2, 3])
    }

    @Test func derivedValuesAreSharedAcrossThreads() async {
        let component = FingerprintCached(Array(0..<100))
        let sums = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { component.derived { $0.reduce(0, +) } } }
            var all: [Int] = []
            for await sum in group { all.append(sum) }
            return all
        }
        #expect(sums == Array(repeating: 4_950, count: 8))
    }
}
