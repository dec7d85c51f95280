import ICCore
import Testing
@testable import ICMessaging

@Test func moduleLinks() {
    #expect(ICProperties.guaranteed.isEmpty == false)
}
