import ICCore
import ICSpec

/// B8: a warehouse whose `reserve` changes state and may end without replying (the IC then
/// answers CANISTER_ERROR), and a shop that treats every reject as "nothing happened".
public struct Warehouse: CanisterProgram {
    public struct State: CanisterState { public var stock = 3 }
    public enum Continuation: ContinuationValue { case none }
    public var name: String { "warehouse" }
    public var initialState: State { State() }
    /// The warehouse only answers: it calls no one.
    public var callees: Set<CanisterId>? { [] }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "reserve":
            execution.state.stock -= 1
            // A bug path that forgets to reply: the system answers CANISTER_ERROR (IC0506).
            if try execution.choose(2) == 0 { try execution.reply() }
        case "stock":
            try execution.reply(execution.state.stock)
        default:
            try execution.reject("no method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}

public struct Shop: CanisterProgram {
    public struct State: CanisterState {
        public var expectedStock = 3
        /// Stock reads issued and the latest one applied (the fix re-reads after every
        /// response; requests are ordered, so a later read saw a later stock).
        public var readsIssued = 0
        public var lastReadApplied = -1
    }

    public enum Continuation: ContinuationValue { case reserved, stockRead(sequence: Int) }

    public let warehouse: CanisterId
    public var callees: Set<CanisterId>? { [warehouse] }
    /// Only clean rejects (codes 1-3) mean "no effect"; after any other response re-read the
    /// stock (the warehouse is the source of truth).
    public let resyncOnUncleanReject: Bool

    public var name: String { "shop" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        try execution.call(warehouse, "reserve", then: .reserved)
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        switch (continuation, response) {
        case (.reserved, .reply) where !resyncOnUncleanReject:
            execution.state.expectedStock -= 1
        case (.reserved, .reject(let code, _)) where code.isClean || !resyncOnUncleanReject:
            break
        case (.reserved, _):
            let sequence = execution.state.readsIssued
            execution.state.readsIssued += 1
            try execution.call(warehouse, "stock", then: .stockRead(sequence: sequence))
        case (.stockRead(let sequence), .reply(let payload)):
            if let stock = payload.as(Int.self), sequence > execution.state.lastReadApplied {
                execution.state.expectedStock = stock
                execution.state.lastReadApplied = sequence
            }
        case (.stockRead, .reject):
            break
        }
    }
}

enum B08 {
    static let booksMatch = ICProperty(
        name: "books-match", statement: "When the shop awaits nothing, its expected stock equals the warehouse's stock."
    , observes: .none, observesContextRemoval: false, reads: .canisters(fields: [0, 1], callbacks: [0])) { view in
        guard view.openCallbacks(of: 0).isEmpty else { return true }
        guard let shop = view.programState(of: 0, as: Shop.State.self),
            let warehouse = view.programState(of: 1, as: Warehouse.State.self)
        else { return false }
        return shop.expectedStock == warehouse.stock
    }

    static func configuration(fixed: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(Shop(warehouse: 1, resyncOnUncleanReject: fixed)), CanisterSetup(Warehouse())],
            ingress: [IngressMessage(to: 0, "buy"), IngressMessage(to: 0, "buy")])
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "B8-reject-means-no-effect", callKinds: [.guaranteed], properties: [booksMatch], violates: "books-match",
            buggy: .init(
                summary: "Assuming a reject means the callee did nothing: the shop's books drift from the warehouse.",
                details: "Bug B8. The warehouse (C1) decrements its stock and, on a bug path, returns without replying; the IC answers CANISTER_ERROR, but the state change persists. The shop (C0) treats every reject as 'nothing happened'. Claim: when the shop awaits nothing, its expected stock equals the warehouse's. No faults; two purchases. Expected: violated (books-match).",
                configuration: configuration(fixed: false)),
            fixed: .init(
                summary: "Only clean rejects (SYS_FATAL, SYS_TRANSIENT, DESTINATION_INVALID) mean no effect; otherwise re-read.",
                details: "Fix of B8: only a clean reject (the CDK's `is_clean_reject`) means nothing happened; after a reply or any other reject the shop re-reads the warehouse's stock, applying only the latest read (requests are ordered, so a later read saw a later stock; a first version that re-read only after unclean rejects and decremented on replies was itself found wrong by the checker: a stale reply applied after a re-read). Claim: when the shop awaits nothing, its books match. No faults; two purchases. Expected: holds.",
                configuration: configuration(fixed: true))
        )
    }
}
