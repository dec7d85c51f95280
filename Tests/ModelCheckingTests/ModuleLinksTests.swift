import Testing
@testable import ModelChecking

@Test func fingerprintIsStable() {
    // A fixed value: fingerprints must not depend on the process (unlike hashValue).
    let first = [1, 2, 3].fingerprint
    #expect(first == [1, 2, 3].fingerprint)
    #expect(first != [3, 2, 1].fingerprint)
}
