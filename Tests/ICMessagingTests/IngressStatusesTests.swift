import ModelChecking
import Testing
@testable import ICMessaging

/// `IngressStatuses` packs two bits per slot into two words: it must behave as the array of
/// statuses it replaced, on both words and across their boundary.
@Suite struct IngressStatusesTests {
    @Test func behavesAsAnArrayOfStatuses() {
        var random = SplitMix64(seed: 7)
        for count in [0, 1, 31, 32, 33, 64] {
            var packed = IngressStatuses(count: count)
            var reference = Array(repeating: IngressStatus.notSent, count: count)
            for _ in 0..<(count * 8) {
                let slot = Int(random.next() % UInt64(count))
                let status = [IngressStatus.notSent, .sent, .answered][Int(random.next() % 3)]
                packed[slot] = status
                reference[slot] = status
                #expect(Array(packed) == reference)
            }
            #expect(IngressStatuses(reference) == packed)
            #expect(packed.count == count)
        }
    }

    @Test func everySlotChangesEqualityAndFingerprint() {
        let base = IngressStatuses(count: 64)
        var variants = [base, IngressStatuses(count: 63)]
        for slot in [0, 1, 31, 32, 63] {
            for status in [IngressStatus.sent, .answered] {
                var variant = base
                variant[slot] = status
                variants.append(variant)
            }
        }
        #expect(FingerprintAudit.inconsistencies(in: variants).isEmpty)
        #expect(Set(variants).count == variants.count)
        #expect(Set(variants.map(\.fingerprint)).count == variants.count)
    }

    @Test func repeatingAndLiteralAgree() {
        #expect(IngressStatuses(repeating: .answered, count: 40) == IngressStatuses(Array(repeating: IngressStatus.answered, count: 40)))
        #expect(([.sent, .notSent, .answered] as IngressStatuses).map { $0 } == [.sent, .notSent, .answered])
    }
}
