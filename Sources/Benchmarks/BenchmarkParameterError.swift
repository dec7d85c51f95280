/// A benchmark parameter outside what a model supports; its description is one clear line
/// suitable for a command-line error.
public struct BenchmarkParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
