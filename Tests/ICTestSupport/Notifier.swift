import ICCore
import ModelChecking

/// A canister that, on any ingress, sends one one-way call (`Execution.notify`) to C1 and
/// replies. It counts the callbacks it runs: a one-way call's response runs none, so
/// `callbacks` stays 0 in every reachable state. Shared by the model's and the executor's tests.
public struct Notifier: CanisterProgram {
    public struct State: CanisterState {
        public var sent = 0
        public var callbacks = 0

        public init(sent: Int = 0, callbacks: Int = 0) {
            self.sent = sent
            self.callbacks = callbacks
        }
    }

    public typealias Continuation = Int

    /// The method notified at C1 and its arguments.
    public let method: String
    public let arguments: Payload

    public init(method: String, arguments: Payload = .empty) {
        self.method = method
        self.arguments = arguments
    }

    public var name: String { "notifier" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        if try execution.notify(1, method, arguments: arguments).succeeded { execution.state.sent += 1 }
        try execution.reply()
    }

    public func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.callbacks += 1
    }
}
