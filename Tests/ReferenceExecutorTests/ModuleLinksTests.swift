import Testing
@testable import ReferenceExecutor

@Test func moduleLinks() {
    #expect(String(describing: ReferenceExecutor.self).isEmpty == false)
}
