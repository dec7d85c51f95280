import Testing
@testable import icmc

@Test func commandName() {
    #expect(ICMC.configuration.commandName == "icmc")
}
