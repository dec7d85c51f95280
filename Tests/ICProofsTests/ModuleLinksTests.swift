import Testing
@testable import ICProofs

@Test func moduleLinks() {
    #expect(String(describing: ICProofs.self).isEmpty == false)
}
