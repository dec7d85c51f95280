import ICCore
import ModelChecking
import Testing
@testable import ICMessaging

/// `RequestQueues` against the `[[QueuedRequest]]` it replaces: after any sequence of appends,
/// removals and whole-queue writes, both hold the same queues, compare alike and have the same
/// fingerprint (states keep theirs; a forgotten queue would merge distinct states).
@Suite struct RequestQueuesTests {
    static func request(_ sequence: Int) -> QueuedRequest {
        QueuedRequest(
            call: CallId(caller: CanisterId(sequence % 3), sequence: sequence), callee: CanisterId((sequence + 1) % 3), method: "m",
            arguments: [sequence], cycles: sequence, kind: sequence % 2 == 0 ? .guaranteed : .bestEffort, deadline: nil)
    }

    @Test func behavesLikeAnArrayOfQueues() {
        let count = 11
        var sparse = RequestQueues(count: count)
        var dense = [[QueuedRequest]](repeating: [], count: count)
        var generator = SplitMix64(seed: 7)
        var seen: [RequestQueues] = []
        for step in 0 ..< 400 {
            let index = Int(generator.next() % UInt64(count))
            switch generator.next() % 4 {
            case 0, 1:
                sparse[index].append(Self.request(step))
                dense[index].append(Self.request(step))
            case 2 where !dense[index].isEmpty:
                let position = Int(generator.next() % UInt64(dense[index].count))
                sparse.removeRequest(at: position, fromQueue: index)
                dense[index].remove(at: position)
            default:
                sparse[index] = []
                dense[index] = []
            }
            #expect(Array(sparse) == dense, "step \(step)")
            #expect(sparse.indices.allSatisfy { sparse[$0] == dense[$0] })
            #expect(sparse.fingerprint == dense.fingerprint, "step \(step)")
            #expect(RequestQueues(count: count) { dense[$0] } == sparse)
            seen.append(sparse)
        }
        // Distinct contents give distinct values and (here) distinct fingerprints.
        let distinct = Set(seen.map { Array($0) })
        #expect(Set(seen).count == distinct.count && Set(seen.map(\.fingerprint)).count == distinct.count)
    }
}

/// A small deterministic generator (the test must give the same sequence on every run).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
