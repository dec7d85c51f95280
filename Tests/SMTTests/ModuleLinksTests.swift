import Testing
@testable import SMT

@Test func moduleLinks() {
    #expect(String(describing: SMT.self).isEmpty == false)
}
