import Testing
@testable import Specs

@Test func moduleLinks() {
    #expect(String(describing: Specs.self).isEmpty == false)
}
