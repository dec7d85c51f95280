import ModelChecking

/// The response to a call: a reply with its data, or a reject with a code and message.
public enum Response: Hashable, Sendable, Codable, CustomStringConvertible, Fingerprintable {
    case reply(Payload)
    case reject(RejectCode, String)

    public var rejectCode: RejectCode? {
        if case .reject(let code, _) = self { return code }
        return nil
    }

    public var isReply: Bool {
        if case .reply = self { return true }
        return false
    }

    /// The reply's data as `type` (see `Payload.as(_:)`); `nil` for a reject or other data.
    public func payload<Value: PayloadValue>(as type: Value.Type) -> Value? {
        if case .reply(let payload) = self { return payload.as(type) }
        return nil
    }

    public var description: String {
        switch self {
        case .reply(let payload): "reply(\(payload))"
        case .reject(let code, let message): message.isEmpty ? "reject(\(code))" : "reject(\(code): \(message))"
        }
    }

    public func fingerprint(into hasher: inout FingerprintHasher) {
        switch self {
        case .reply(let payload):
            hasher.combine(UInt64(0))
            hasher.combine(payload)
        case .reject(let code, let message):
            hasher.combine(UInt64(1))
            hasher.combine(code)
            hasher.combine(message)
        }
    }
}
