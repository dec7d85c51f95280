import Testing
@testable import ICMessaging

@Test func moduleLinks() {
    #expect(String(describing: ICMessaging.self).isEmpty == false)
}
