import ICCore

/// A request as the executor carries it through queues and streams.
struct RequestMessage: Hashable, Sendable {
    let call: CallId
    let callee: CanisterId
    let method: String
    let arguments: Payload
    let cycles: Cycles
    let kind: CallKind
    /// Absolute deadline of a best-effort call (seconds); `nil` for guaranteed calls.
    let deadline: Time?
    let payloadBytes: Int
}

/// A response as the executor carries it.
struct ResponseMessage: Hashable, Sendable {
    let call: CallId
    let response: Response
    let refund: Cycles
    let kind: CallKind
    /// The system's own `SYS_UNKNOWN` (callback expired, or the real response was shed): the IC's
    /// compact `DeadlineExpired` / `ResponseDropped` inputs. Distinguishes it from the callee's
    /// real response, which may still be travelling and is then discarded on arrival.
    let synthetic: Bool
    let payloadBytes: Int
    /// Sent by the callee's call context (its code's answer, or its system's on uninstall or
    /// starvation) into the callee's output queue: it may hold a response slot there until the
    /// caller consumes it. The system's own rejects (T2, T6, DESTINATION_INVALID) do not.
    var answeredByContext = false
}

/// One entry of a canister queue or a stream.
enum QueuedMessage: Hashable, Sendable {
    case request(RequestMessage)
    case response(ResponseMessage)

    var request: RequestMessage? {
        if case .request(let request) = self { return request }
        return nil
    }

    var response: ResponseMessage? {
        if case .response(let response) = self { return response }
        return nil
    }

    var isBestEffort: Bool {
        switch self {
        case .request(let request): request.kind.isBestEffort
        case .response(let response): response.kind.isBestEffort
        }
    }

    var bytes: Int {
        switch self {
        case .request(let request): request.payloadBytes
        case .response(let response): response.payloadBytes
        }
    }
}

/// A message in a stream between two subnets, with the canister pair it travels between.
struct StreamEntry: Hashable, Sendable {
    let from: CanisterId
    let to: CanisterId
    let message: QueuedMessage
}
