import Testing
@testable import ICMCCommandLine

@Test func commandName() {
    #expect(ICMCCommand.configuration.commandName == "icmc")
}
