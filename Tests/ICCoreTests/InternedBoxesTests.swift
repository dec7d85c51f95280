import Dispatch
import ModelChecking
import Synchronization
import Testing
@testable import ICCore

/// A box whose equality the test decides, so that fingerprints can collide on purpose.
private final class Probe: Sendable {
    let value: Int
    init(_ value: Int) { self.value = value }
}

/// A program state type with a fingerprint that collides for every value: interning must still
/// tell the values apart by equality.
private struct Colliding: CanisterState {
    var value: Int
    func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(UInt64(7)) }
}

/// `InternedBoxes`: equal values share one number, different values never do (even with equal
/// fingerprints), from any number of threads.
@Suite struct InternedBoxesTests {
    @Test func equalValuesShareANumberAndCollisionsDoNot() {
        let boxes = InternedBoxes()
        let number = { (value: Int) in boxes.number(of: Probe(value), fingerprint: 42) { $0.value == value } }
        let one = number(1), two = number(2), oneAgain = number(1)
        #expect(one == oneAgain)
        #expect(one != two)
        #expect(boxes.reader.box(one, as: Probe.self).value == 1)
        #expect(boxes.reader.box(two, as: Probe.self).value == 2)
    }

    @Test func manyValuesCrossChunksAndKeepTheirNumbers() {
        let boxes = InternedBoxes()
        let count = 3 << InternedBoxes.chunkBits
        let numbers = (0..<count).map { value in boxes.number(of: Probe(value), fingerprint: UInt64(value % 97)) { $0.value == value } }
        #expect(Set(numbers).count == count)
        for value in stride(from: 0, to: count, by: 977) {
            #expect(boxes.reader.box(numbers[value], as: Probe.self).value == value)
            #expect(boxes.number(of: Probe(value), fingerprint: UInt64(value % 97)) { $0.value == value } == numbers[value])
        }
    }

    @Test func concurrentInterningAgrees() {
        let boxes = InternedBoxes()
        let values = 2_000
        let results = Mutex<[[UInt32]]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            // Each thread interns every value, in its own order.
            let order = thread % 2 == 0 ? Array(0..<values) : Array((0..<values).reversed())
            var numbers = [UInt32](repeating: 0, count: values)
            for value in order {
                numbers[value] = boxes.number(of: Probe(value), fingerprint: UInt64(value % 13)) { $0.value == value }
            }
            results.withLock { $0.append(numbers) }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        #expect(all.allSatisfy { $0 == all[0] })
        #expect(Set(all[0]).count == values)
    }

    @Test func payloadsAndProgramValuesCompareByValue() {
        #expect(Payload([1, 2]) == Payload([1, 2]))
        #expect(Payload([1, 2]) != Payload([2, 1]))
        #expect(Payload(1) != Payload("1"))
        #expect(AnyCanisterState(Colliding(value: 1)) == AnyCanisterState(Colliding(value: 1)))
        #expect(AnyCanisterState(Colliding(value: 1)) != AnyCanisterState(Colliding(value: 2)))
        #expect(AnyCanisterState(Colliding(value: 2)).as(Colliding.self)?.value == 2)
        // The same value as a state and as a continuation: two roles, two tables.
        let state = AnyCanisterState(Colliding(value: 3)), continuation = AnyContinuation(Colliding(value: 3))
        #expect(state.cachedFingerprint == continuation.cachedFingerprint)
        #expect(continuation.as(Colliding.self)?.value == 3)
    }

    /// A response in flight is stored as plain data and read back as it was.
    @Test func compactResponsesRoundTrip() {
        let responses: [Response] = [
            .reply([1, 2]), .reply(.empty), .reject(.canisterReject, ""), .reject(.canisterReject, "no funds"),
            .reject(.sysUnknown, ""), .reject(.canisterReject, "no funds, really"),
        ]
        for response in responses { #expect(CompactResponse(response).response == response) }
        #expect(CompactResponse(.reject(.canisterReject, "no funds")) == CompactResponse(.reject(.canisterReject, "no funds")))
        #expect(CompactResponse(.reject(.canisterReject, "no funds")) != CompactResponse(.reject(.canisterReject, "no funds, really")))
        #expect(CompactResponse(.reject(.canisterReject, "")) != CompactResponse(.reject(.sysTransient, "")))
        #expect(CompactResponse(.reply([1])) != CompactResponse(.reply([2])))
        #expect(CompactResponse(.reply([1])).response.isReply && !CompactResponse(.reject(.sysUnknown, "")).response.isReply)
    }

    @Test func internedStringsRoundTripAndCompareByValue() {
        let strings = ["", "transfer", "callEach", "ünïcödé ✓", String(repeating: "long method name ", count: 8)]
        for string in strings {
            #expect(InternedString(string).string == string)
            #expect(InternedString(string) == InternedString(String(string)))
            #expect(InternedString(string).isEmpty == string.isEmpty)
        }
        #expect(Set(strings.map(InternedString.init)).count == strings.count)
    }
}
