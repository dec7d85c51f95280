/// A `Response` as plain data: the payload by its number (`Payload` is interned) and a reject's
/// message as an `InternedString` (empty messages, nearly all, need no lookup).
///
/// Why: responses in flight are copied with their arrays on every step that changes them, and a
/// `String` inside made every copy and every drop of a response count a reference. Stored as
/// this, a response costs nothing to copy; `response` rebuilds the `Response` where it is read.
public struct CompactResponse: Hashable, Sendable {
    /// `nil` for a reply.
    @usableFromInline let rejectCode: RejectCode?
    /// The reply's data (`Payload.empty` for a reject).
    @usableFromInline let payload: Payload
    /// The reject's message ("" for a reply).
    @usableFromInline let message: InternedString

    @inlinable
    public init(_ response: Response) {
        switch response {
        case .reply(let payload):
            rejectCode = nil
            self.payload = payload
            message = InternedString("")
        case .reject(let code, let text):
            rejectCode = code
            payload = .empty
            message = InternedString(text)
        }
    }

    /// The response as programs and properties see it.
    @inlinable
    public var response: Response {
        guard let rejectCode else { return .reply(payload) }
        return .reject(rejectCode, message.string)
    }
}
