import ICProofs
import ICCore
import ModelChecking

/// The canister program of an explicit re-execution of a BMC trace. As a caller it performs the
/// call an ingress message `call [callee, cycles, kind]` names (kind 1 = best effort); as a
/// callee (`work`) it accepts any amount (first choice, 0…available) and replies, rejects or
/// does not respond (second choice 0/1/2), so every symbolic execution outcome has a choice
/// sequence. Callbacks do nothing.
public struct BMCCanisterProgram: CanisterProgram {
    public struct State: CanisterState {
        public var calls = 0
        public var handled = 0
    }
    public typealias Continuation = Int

    public init() {}

    public var name: String { "bmc-canister" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        switch call.method {
        case "call":
            let arguments = try call.arguments(as: [Int].self)
            guard arguments.count == 3 else { try execution.trap("call needs [callee, cycles, kind]") }
            let kind: CallKind = arguments[2] == CallKindCode.bestEffort ? .bestEffort : .guaranteed
            let result = try execution.call(CanisterId(arguments[0]), "work", cycles: arguments[1], kind: kind,
                                            timeout: 1, then: execution.state.calls)
            guard result == .performed else { try execution.trap("call refused: \(result)") }
            execution.state.calls += 1
        case "work":
            execution.state.handled += 1
            execution.accept(try execution.choose(execution.availableCycles + 1))
            switch try execution.choose(3) {
            case 0: try execution.reply()
            case 1: try execution.reject()
            default: break
            }
        default:
            try execution.trap("no method \(call.method)")
        }
    }

    public func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}
