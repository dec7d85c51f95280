import ModelChecking

/// A string interned process-wide (see `InternedBoxes`): plain data, so a value holding it
/// (a reject message in flight, a queued request's method name) is copied and dropped without
/// counting a reference; equal strings have equal numbers. The empty string needs no lookup.
public struct InternedString: Hashable, Sendable {
    @usableFromInline let number: UInt32

    @usableFromInline static var empty: UInt32 { .max }

    @inlinable
    public init(_ string: String) { number = string.isEmpty ? Self.empty : Self.number(of: string) }

    @inlinable
    public var string: String { number == Self.empty ? "" : Self.reader.box(number, as: Box.self).string }

    @inlinable
    public var isEmpty: Bool { number == Self.empty }

    @usableFromInline
    final class Box: Sendable {
        @usableFromInline let string: String
        init(_ string: String) { self.string = string }
    }

    /// The interned strings' table (held here), and its hot side.
    private static let boxes = InternedBoxes()
    @usableFromInline static let reader = boxes.reader

    @usableFromInline
    static func number(of string: String) -> UInt32 {
        reader.number(fingerprint: string.fingerprint, as: Box.self, matches: { $0.string == string }) { Box(string) }
    }
}
