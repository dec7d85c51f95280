import ICCore
import ICSpec

/// B5: a canister that books the cycles it spent on best-effort calls, assuming a reject
/// refunds everything.
public struct TippingCaller: CanisterProgram {
    public struct State: CanisterState { public var spent = 0 }
    public enum Continuation: ContinuationValue { case tip }

    public let callee: CanisterId
    /// Book `attached − refunded` for every response (the fix), not only for replies.
    public let bookActualRefund: Bool
    public static let tip: Cycles = 10

    public var name: String { "tipper" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        try execution.call(callee, "work", cycles: Self.tip, kind: .bestEffort, timeout: 1, then: .tip)
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if response.isReply || bookActualRefund {
            execution.state.spent += Self.tip - execution.context.refundedCycles
        }
    }
}

enum B05 {
    static let booksMatchBalance = ICProperty(
        name: "cycle-books-match-balance", statement: "When C0 awaits nothing, its balance plus the cycles it booked as spent is its initial balance."
    , observes: .none, observesContextRemoval: false) { view in
        guard view.openCallbacks(of: 0).isEmpty else { return true }
        guard let spent = view.programState(of: 0, as: TippingCaller.State.self)?.spent else { return false }
        return view.balance(of: 0) + spent == 100
    }

    /// Under the replica's anonymous refunds exact books are impossible (the refund comes without
    /// a callback); what a careful canister keeps is books that never under-count its spending.
    static let booksCoverSpending = ICProperty(
        name: "cycle-books-cover-spending", statement: "When C0 awaits nothing, its balance plus the cycles it booked as spent is at least its initial balance: it never spent more than it booked."
    , observes: .none) { view in
        guard view.openCallbacks(of: 0).isEmpty else { return true }
        guard let spent = view.programState(of: 0, as: TippingCaller.State.self)?.spent else { return false }
        return view.balance(of: 0) + spent >= 100
    }

    static func configuration(fixed: Bool, refunds: CycleRefunds) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(TippingCaller(callee: 1, bookActualRefund: fixed), balance: 100),
                CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: true)),
            ],
            ingress: [IngressMessage(to: 0, "tip")], faults: .lossy, limits: MessagingLimits(maxTime: 1), cycleRefunds: refunds)
    }

    static var specs: [Spec] {
        let specification = "Cycle refunds: specification (CycleRefunds.specification: the cycles of dropped best-effort messages are lost, as in the spec's 'Dropping expired messages')."
        let replica = "Cycle refunds: replica (CycleRefunds.replica, the default: the cycles of shed, expired and late best-effort messages return to C0's balance as an anonymous refund, without a callback; dfinity/ic RefundPool)."
        return Spec.bugPattern(
            "B5-best-effort-cycles", callKinds: [.bestEffort], properties: [booksMatchBalance], violates: "cycle-books-match-balance",
            buggy: .init(
                summary: "Assuming a rejected best-effort call refunds its cycles: after SYS_UNKNOWN they are gone.",
                details: "Bug B5 (P11). C0 attaches 10 cycles to a best-effort call and books them as spent only when the callee replies, assuming any reject refunds everything. SYS_UNKNOWN refunds nothing, even if the callee accepted nothing. Claim: when C0 awaits nothing, balance + booked spending = initial balance. \(specification) Environment: lossy; clock up to 1 s. Expected: violated (cycle-books-match-balance). The replica's variant: B5-best-effort-cycles-replica-buggy.",
                configuration: configuration(fixed: false, refunds: .specification)),
            fixed: .init(
                summary: "Book attached minus the refund actually received (msg_cycles_refunded) for every response.",
                details: "Fix of B5: the callback books `attached − msg_cycles_refunded` whatever the response. Claim: balance + booked spending = initial balance when C0 awaits nothing. \(specification) Environment: lossy; clock up to 1 s. Expected: holds. Under the replica these exact books fail (an anonymous refund raises the balance after the cycles were booked as spent): see B5-best-effort-cycles-replica-fixed.",
                configuration: configuration(fixed: true, refunds: .specification))
        ) + Spec.bugPattern(
            "B5-best-effort-cycles-replica", callKinds: [.bestEffort], properties: [booksCoverSpending], violates: "cycle-books-cover-spending",
            buggy: .init(
                summary: "Under today's replica, booking best-effort cycles only on a reply still under-counts: a callee may accept them and the caller get SYS_UNKNOWN.",
                details: "Bug B5 under the replica. C0 attaches 10 cycles to a best-effort call and books them only when the callee replies. \(replica) If the callee accepted the cycles and the reply was dropped or came after expiry, nothing comes back and nothing was booked. Claim: when C0 awaits nothing, balance + booked spending ≥ initial balance (exact books are impossible under the replica). Environment: lossy; clock up to 1 s. Expected: violated (cycle-books-cover-spending). The spec's variant: B5-best-effort-cycles-buggy.",
                configuration: configuration(fixed: false, refunds: .replica)),
            fixed: .init(
                summary: "Booking attached minus msg_cycles_refunded for every response never under-counts under the replica either.",
                details: "Fix of B5 under the replica: the callback books `attached − msg_cycles_refunded` whatever the response. \(replica) The books may over-count (an anonymous refund arrives without a callback), never under-count. Claim: when C0 awaits nothing, balance + booked spending ≥ initial balance. Environment: lossy; clock up to 1 s. Expected: holds. The spec's variant: B5-best-effort-cycles-fixed.",
                configuration: configuration(fixed: true, refunds: .replica))
        )
    }
}

enum B06 {
    static var specs: [Spec] {
        let stops = ScalableMessagingSpecs.stopsEventually
        let details = "Checked form: liveness `stopping ~> stopped` under weak fairness of system steps; the untrusted callee C1 never answers; the user call and the controller's single stop happen before the clock first ticks, and the clock ticks only when no system step is enabled; time is relative (no clock bound: each deadline is kept as the time it has left)."
        return Spec.bugPattern(
            "B6-cannot-stop", livenessProperties: [stops], silentCanisters: [1], eagerSchedule: true,
            violates: "stopping-leads-to-stopped",
            buggy: .init(
                summary: "Calling an untrusted canister with a guaranteed-response call: the caller may never stop (or be upgraded safely).",
                details: "Bug B6. C0 makes a guaranteed-response call to an untrusted C1 that never answers; once C0 is asked to stop it stays stopping for ever. \(details) Expected: violated (stopping-leads-to-stopped).",
                configuration: ScalableMessagingSpecs.stopConfiguration(StoppableCaller(callee: 1, kind: .guaranteed, maxRetries: 0), maxTime: 2),
                callKinds: [.guaranteed]),
            fixed: .init(
                summary: "Use a bounded-wait (best-effort) call to untrusted canisters: the caller can always stop.",
                details: "Fix of B6: the call to the untrusted C1 is best-effort (timeout 1 s); it expires, the callback runs and C0 stops. \(details) Expected: holds.",
                configuration: ScalableMessagingSpecs.stopConfiguration(StoppableCaller(callee: 1, kind: .bestEffort, maxRetries: 0), maxTime: 2),
                callKinds: [.bestEffort])
        ).map { ScalableMessagingSpecs.relativeTime($0) }
    }
}
