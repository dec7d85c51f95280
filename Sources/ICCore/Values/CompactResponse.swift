import ModelChecking

/// A `Response` as plain data: the payload by its number (`Payload` is interned) and a reject's
/// message by the number of the interned string (empty messages, nearly all, need no lookup).
///
/// Why: responses in flight are copied with their arrays on every step that changes them, and a
/// `String` inside made every copy and every drop of a response count a reference. Stored as
/// this, a response costs nothing to copy; `response` rebuilds the `Response` where it is read.
public struct CompactResponse: Hashable, Sendable {
    /// `nil` for a reply.
    @usableFromInline let rejectCode: RejectCode?
    /// The reply's data (`Payload.empty` for a reject).
    @usableFromInline let payload: Payload
    /// The reject's message: `InternedStrings` number, or `emptyMessage`.
    @usableFromInline let message: UInt32

    @usableFromInline static var emptyMessage: UInt32 { .max }

    @inlinable
    public init(_ response: Response) {
        switch response {
        case .reply(let payload):
            rejectCode = nil
            self.payload = payload
            message = Self.emptyMessage
        case .reject(let code, let text):
            rejectCode = code
            payload = .empty
            message = text.isEmpty ? Self.emptyMessage : InternedStrings.number(of: text)
        }
    }

    /// The response as programs and properties see it.
    @inlinable
    public var response: Response {
        guard let rejectCode else { return .reply(payload) }
        return .reject(rejectCode, message == Self.emptyMessage ? "" : InternedStrings.string(message))
    }

    /// Whether the response is a reply.
    @inlinable
    public var isReply: Bool { rejectCode == nil }
}

/// Reject messages interned process-wide (see `InternedBoxes`).
@usableFromInline
enum InternedStrings {
    final class Box: Sendable {
        let string: String
        init(_ string: String) { self.string = string }
    }

    static let boxes = InternedBoxes()

    @usableFromInline
    static func number(of string: String) -> UInt32 {
        boxes.number(of: Box(string), fingerprint: string.fingerprint) { $0.string == string }
    }

    @usableFromInline
    static func string(_ number: UInt32) -> String { boxes.box(number, as: Box.self).string }
}
