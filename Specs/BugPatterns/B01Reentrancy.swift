import ICCore
import ICSpec

/// B1: a refund service that checks "already refunded?" before an await and records the refund
/// after it. Two concurrent requests both pass the check (reentrancy / TOCTOU).
public struct RefundService: CanisterProgram {
    public struct State: CanisterState {
        public var refunded: [Int] = []
        /// Users whose refund is in flight (the fix's per-user guard, taken before the await).
        public var inFlight: [Int] = []
    }

    public enum Continuation: ContinuationValue { case paid(user: Int) }

    public let ledger: CanisterId
    public let amount: Int
    public let guarded: Bool
    public var callees: Set<CanisterId>? { [ledger] }

    public var name: String { guarded ? "refund-service(guarded)" : "refund-service" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let user = try call.arguments(as: LedgerProgram.Account.self)
        if execution.state.refunded.contains(user) {
            try execution.reject("already refunded")
            return
        }
        if guarded {
            if execution.state.inFlight.contains(user) {
                try execution.reject("refund in progress")
                return
            }
            execution.state.inFlight.append(user)
        }
        let result = try execution.call(ledger, "transfer", arguments: LedgerProgram.Transfer(to: user, amount: amount), then: .paid(user: user))
        if !result.succeeded {
            execution.state.inFlight.removeAll { $0 == user }
            try execution.reject("ledger unreachable")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        guard case .paid(let user) = continuation else { return }
        execution.state.inFlight.removeAll { $0 == user }
        if response.isReply {
            if !execution.state.refunded.contains(user) { execution.state.refunded.append(user) }
            try execution.reply()
        } else {
            try execution.reject("refund failed")
        }
    }
}

enum B01 {
    static func configuration(guarded: Bool, faults: FaultSwitches) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(RefundService(ledger: 1, amount: 5, guarded: guarded)),
                CanisterSetup(LedgerProgram(balances: [20, 0, 0])),
            ],
            ingress: [IngressMessage(to: 0, "refund", arguments: 2), IngressMessage(to: 0, "refund", arguments: 2)],
            faults: faults
        )
    }

    static let noDoubleRefund = ICProperty(name: "no-double-refund", statement: "User 2 is paid at most one refund of 5.", observes: .none, observesContextRemoval: false, reads: .canisters(fields: [1])) { view in
        (view.programState(of: 1, as: LedgerProgram.State.self)?.balances[2] ?? 0) <= 5
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B1-reentrancy", callKinds: [.guaranteed], properties: [noDoubleRefund], violates: "no-double-refund",
            buggy: .init(
                summary: "Check-then-act across an await: two concurrent refund requests both pay out.",
                details: "Bug B1. The refund service (C0) checks `refunded[user]`, calls the ledger (C1) to pay 5 tokens, and sets `refunded[user]` only in the callback. A user sends two refund requests; both pass the check before either callback runs. Claim checked: the user is paid at most once (ledger balance of account 2 ≤ 5). No faults; two ingress messages. Expected: violated (no-double-refund).",
                configuration: configuration(guarded: false, faults: .benign)),
            fixed: .init(
                summary: "A per-user guard taken before the await: at most one refund, whatever the interleaving.",
                details: "Fix of B1 (SEC's CallerGuard): the service records the user as in flight before calling the ledger and rejects a second request while the first is in flight; the guard is released in the callback or when the call fails synchronously. Claim: the user is paid at most once. Environment: spontaneous rejects, injected traps and synchronous call failures on. Bounds: two ingress messages. Expected: holds.",
                configuration: configuration(
                    guarded: true, faults: FaultSwitches(spontaneousRejects: true, injectedTraps: true, syncCallFailures: true)))
        )
    }
}
