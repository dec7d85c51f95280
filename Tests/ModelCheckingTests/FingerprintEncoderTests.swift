import Testing
@testable import ModelChecking

private struct Inner: Codable, Hashable { var tag: String; var values: [Int] }
private struct Sample: Codable, Hashable, Fingerprintable {
    var counter: Int
    var flag: Bool
    var name: String?
    var inner: [Inner]
    var mailbox: [String: Int]
    var members: Set<UInt8>
}
private struct Nested: Codable, Fingerprintable { var a: [[Int]] }
private struct Mixed: Codable, Fingerprintable { var a: [Int]; var b: [Int] }

@Suite struct FingerprintEncoderTests {
    fileprivate let sample = Sample(
        counter: 7, flag: true, name: "x", inner: [Inner(tag: "t", values: [1, 2])],
        mailbox: ["alice": 1, "bob": 2, "carol": 3], members: [3, 1, 2, 9])

    @Test func encodableFingerprintIsStableAcrossRuns() {
        // Regression value: must never change between runs, processes or machines.
        #expect(sample.fingerprint == sample.fingerprint)
        #expect(sample.fingerprint == 0x12a2_bc59_0ebc_dc11)
        let rebuilt = Sample(
            counter: 7, flag: true, name: "x", inner: [Inner(tag: "t", values: [1, 2])],
            mailbox: Dictionary(uniqueKeysWithValues: [("carol", 3), ("bob", 2), ("alice", 1)]),
            members: Set([9, 2, 1, 3]))
        #expect(rebuilt.fingerprint == sample.fingerprint)
    }

    @Test func encodableFingerprintSeparatesValues() {
        var other = sample
        other.counter = 8
        #expect(other.fingerprint != sample.fingerprint)
        other = sample
        other.name = nil
        #expect(other.fingerprint != sample.fingerprint)
        other = sample
        other.mailbox["alice"] = 2
        #expect(other.fingerprint != sample.fingerprint)
        other = sample
        other.members.insert(4)
        #expect(other.fingerprint != sample.fingerprint)
        #expect(Nested(a: [[1], [2]]).fingerprint != Nested(a: [[1, 2]]).fingerprint)
        #expect(Nested(a: [[1, 2], []]).fingerprint != Nested(a: [[1], [2]]).fingerprint)
        #expect(Mixed(a: [1], b: [2]).fingerprint != Mixed(a: [1, 2], b: []).fingerprint)
        #expect(Mixed(a: [1], b: [2]).fingerprint != Mixed(a: [2], b: [1]).fingerprint)
    }
}
