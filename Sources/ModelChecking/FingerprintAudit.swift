/// Checks hand-written `fingerprint(into:)` implementations on sample values.
///
/// The visited set keeps fingerprints only, so a hand-written fingerprint that forgets a field
/// silently merges distinct states: the search misses everything beyond them and still reports
/// "holds". Run these checks in your tests on varied samples (at best, every field changed
/// once, and the reachable states of a small model); an empty result means no merge was seen.
public enum FingerprintAudit {
    /// Pairs of samples that differ (`!=`) but share a fingerprint, or are equal but do not.
    public static func inconsistencies<Value: Hashable & Fingerprintable>(in samples: [Value]) -> [String] {
        var problems: [String] = []
        var byFingerprint: [UInt64: Value] = [:]
        var byValue: [Value: UInt64] = [:]
        for sample in samples {
            let fingerprint = sample.fingerprint
            if let earlier = byFingerprint[fingerprint], earlier != sample {
                problems.append("distinct values share fingerprint \(hex(fingerprint)): \(earlier) and \(sample)")
            } else {
                byFingerprint[fingerprint] = sample
            }
            if let earlier = byValue[sample], earlier != fingerprint {
                problems.append("equal values get different fingerprints \(hex(earlier)) and \(hex(fingerprint)): \(sample)")
            } else {
                byValue[sample] = fingerprint
            }
        }
        return problems
    }

    /// Pairs of samples that the encoder-based fingerprint (every encoded field) tells apart
    /// but the type's own `fingerprint(into:)` does not: a field the hand-written one forgot.
    public static func mergedFields<Value: Encodable & Fingerprintable>(in samples: [Value]) -> [String] {
        var problems: [String] = []
        var encodedByOwn: [UInt64: (encoded: UInt64, sample: Value)] = [:]
        for sample in samples {
            let own = sample.fingerprint
            let encoded = encodedFingerprint(of: sample)
            if let earlier = encodedByOwn[own] {
                if earlier.encoded != encoded {
                    problems.append("fingerprint \(hex(own)) merges values whose encodings differ: \(earlier.sample) and \(sample)")
                }
            } else {
                encodedByOwn[own] = (encoded, sample)
            }
        }
        return problems
    }

    /// The encoder-based fingerprint of `value` (the default for `Encodable` types), whatever
    /// the type's own `fingerprint(into:)` does.
    public static func encodedFingerprint<Value: Encodable>(of value: Value) -> UInt64 {
        FingerprintSink.isolatedFingerprint(value)
    }

    private static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
