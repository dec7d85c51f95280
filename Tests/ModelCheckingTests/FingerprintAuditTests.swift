import ModelChecking
import Testing

/// A state whose hand-written fingerprint forgets `retries`: the audit must notice.
private struct ForgetfulState: Hashable, Codable, Fingerprintable, CustomStringConvertible {
    var phase: Int
    var retries: Int
    func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(phase) }
    var description: String { "(\(phase), \(retries))" }
}

private struct CarefulState: Hashable, Codable, Fingerprintable {
    var phase: Int
    var retries: Int
    func fingerprint(into hasher: inout FingerprintHasher) {
        hasher.combine(phase)
        hasher.combine(retries)
    }
}

@Suite struct FingerprintAuditTests {
    @Test func aForgottenFieldIsReported() {
        let samples = [ForgetfulState(phase: 0, retries: 0), ForgetfulState(phase: 0, retries: 1), ForgetfulState(phase: 1, retries: 0)]
        #expect(FingerprintAudit.inconsistencies(in: samples).count == 1)
        #expect(FingerprintAudit.mergedFields(in: samples).count == 1)
    }

    @Test func aCompleteFingerprintPasses() {
        let samples = (0..<4).flatMap { phase in (0..<4).map { CarefulState(phase: phase, retries: $0) } }
        #expect(FingerprintAudit.inconsistencies(in: samples).isEmpty)
        #expect(FingerprintAudit.mergedFields(in: samples).isEmpty)
    }

    @Test func cachedComponentsKeepTheirValuesApart() {
        let samples = (0..<50).map { FingerprintCached([$0, $0 % 3]) } + [FingerprintCached([1, 1])]
        #expect(FingerprintAudit.inconsistencies(in: samples).isEmpty)
        #expect(FingerprintCached([1, 2]) == FingerprintCached([1, 2]))
        #expect(FingerprintCached([1, 2]) != FingerprintCached([2, 1]))
    }

    @Test func memoisedFingerprintsEqualComputedOnes() {
        let memo = FingerprintMemo<CarefulState>(capacity: 4)
        for round in 0..<2 {
            for phase in 0..<8 {
                let value = CarefulState(phase: phase, retries: round)
                #expect(memo.fingerprint(of: value) == value.fingerprint)
                #expect(memo.fingerprint(of: value) == value.fingerprint)
            }
        }
    }
}
