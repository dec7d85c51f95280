import Testing
@testable import Benchmarks

@Test func moduleLinks() {
    #expect(String(describing: Benchmarks.self).isEmpty == false)
}
