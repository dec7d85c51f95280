/// The continuation type of a canister that makes no calls: it has no values, so such a program
/// cannot make a call (every call names a continuation), no response ever reaches it, and it
/// need not write `handleResponse` at all.
///
/// ```swift
/// struct Counter: CanisterProgram {
///     struct State: CanisterState { var count = 0 }
///     typealias Continuation = NoContinuation
///     ...
/// }
/// ```
public enum NoContinuation: ContinuationValue {
    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "NoContinuation has no values"))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {}
    }
}

extension CanisterProgram where Continuation == NoContinuation {
    /// A program without continuations made no call, so there is no response to handle.
    public func handleResponse(
        _ response: Response, to continuation: NoContinuation, in execution: inout Execution<State, NoContinuation>
    ) throws {}
}
