import ICCore
import ICSpec

/// B10: applying responses in the order they arrive, assuming it is the send order. The fix
/// buffers results and applies them by sequence number.
public struct SequencedClient: CanisterProgram {
    public struct State: CanisterState {
        /// Results applied to the canister's state, in application order.
        public var applied: [Int] = []
        /// Results received but not yet applied (the fix's reorder buffer).
        public var buffered: [Int] = []
    }

    public enum Continuation: ContinuationValue { case update(sequence: Int) }

    public let callee: CanisterId
    public var callees: Set<CanisterId>? { [callee] }
    public let reorder: Bool

    public var name: String { reorder ? "sequenced-client(reordering)" : "sequenced-client" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        try execution.call(callee, "work", then: .update(sequence: 1))
        try execution.call(callee, "work", then: .update(sequence: 2))
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        guard case .update(let sequence) = continuation else { return }
        guard reorder else {
            execution.state.applied.append(sequence)
            return
        }
        execution.state.buffered.append(sequence)
        while let next = execution.state.buffered.firstIndex(of: execution.state.applied.count + 1) {
            execution.state.applied.append(execution.state.buffered.remove(at: next))
        }
    }
}

enum B10 {
    static let appliedInOrder = ICProperty(
        name: "updates-applied-in-send-order", statement: "C0 applies the results of its two calls in the order it sent them."
    , observes: .none, observesContextRemoval: false, reads: .canisters(fields: [0])) { view in
        guard let applied = view.programState(of: 0, as: SequencedClient.State.self)?.applied else { return false }
        return applied == Array(1 ... max(1, applied.count)).prefix(applied.count).map { $0 }
    }

    static func configuration(reorder: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(SequencedClient(callee: 1, reorder: reorder)),
                CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false)),
            ],
            ingress: [IngressMessage(to: 0, "update")])
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B10-response-order", callKinds: [.guaranteed], properties: [appliedInOrder], violates: "updates-applied-in-send-order",
            buggy: .init(
                summary: "Applying responses as they arrive assumes they come back in send order; they need not.",
                details: "Bug B10. C0 sends two calls to C1 in one execution and applies each result in its callback. Requests are ordered (P3) but responses are not: the second callback may run first. Claim: results are applied in send order. No faults. Expected: violated (updates-applied-in-send-order).",
                configuration: configuration(reorder: false)),
            fixed: .init(
                summary: "Buffer results and apply them by sequence number.",
                details: "Fix of B10: each callback puts its result in a buffer and applies buffered results while the next sequence number is there. Claim: results are applied in send order. Environment: spontaneous rejects and injected traps on (a lost result just stays unapplied). Expected: holds.",
                configuration: {
                    var configuration = configuration(reorder: true)
                    configuration.faults = FaultSwitches(spontaneousRejects: true, injectedTraps: true)
                    return configuration
                }())
        )
    }
}
