import ICCore
import ICSpec

/// An ICRC-2 ledger, abridged: `approve` sets the allowance of a spender on the caller's
/// account (optionally only if the current allowance is `expectedAllowance`, ICRC-2's
/// `expected_allowance`), and `transferFrom` lets the spender move tokens from the owner's
/// account within the allowance. Accounts are canister indices.
public struct ApprovingLedger: CanisterProgram {
    public struct Approve: PayloadValue, CustomStringConvertible {
        public var spender: Int
        public var amount: Int
        public var expectedAllowance: Int?

        public var description: String {
            "spender \(spender), amount \(amount)" + (expectedAllowance.map { ", expected \($0)" } ?? "")
        }
    }

    public struct TransferFrom: PayloadValue, CustomStringConvertible {
        public var from: Int
        public var to: Int
        public var amount: Int

        public var description: String { "\(amount) from account \(from) to \(to)" }
    }

    public struct State: CanisterState {
        public var balances: [Int]
        /// Allowances: `allowances[owner][spender]`.
        public var allowances: [[Int]]
    }

    public enum Continuation: ContinuationValue { case none }

    public let initialBalances: [Int]

    public init(balances: [Int]) { initialBalances = balances }

    public var name: String { "icrc2-ledger" }
    public var initialState: State {
        State(balances: initialBalances, allowances: Array(repeating: Array(repeating: 0, count: initialBalances.count), count: initialBalances.count))
    }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        guard case .canister(let caller) = call.caller, execution.state.balances.indices.contains(caller.index) else {
            return try execution.reject("users hold no accounts on this ledger")
        }
        let me = caller.index
        switch call.method {
        case "approve":
            let approve = try call.arguments(as: Approve.self)
            guard execution.state.balances.indices.contains(approve.spender), approve.amount >= 0 else {
                return try execution.reject("bad approve")
            }
            if let expected = approve.expectedAllowance, expected != execution.state.allowances[me][approve.spender] {
                return try execution.reject("allowance changed")
            }
            execution.state.allowances[me][approve.spender] = approve.amount
            try execution.reply()
        case "transferFrom":
            let transfer = try call.arguments(as: TransferFrom.self)
            let (from, to, amount) = (transfer.from, transfer.to, transfer.amount)
            guard execution.state.balances.indices.contains(from), execution.state.balances.indices.contains(to), amount >= 0 else {
                return try execution.reject("bad transfer")
            }
            guard execution.state.allowances[from][me] >= amount else { return try execution.reject("insufficient allowance") }
            guard execution.state.balances[from] >= amount else { return try execution.reject("insufficient funds") }
            execution.state.allowances[from][me] -= amount
            execution.state.balances[from] -= amount
            execution.state.balances[to] += amount
            try execution.reply()
        default:
            try execution.reject("no method \(call.method)")
        }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}

/// An account owner that approves a spender twice: first 2 tokens, then lowers it to 1. With
/// `usesExpectedAllowance` the second approval says it expects the allowance to still be 2.
public struct ApprovingOwner: CanisterProgram {
    public struct State: CanisterState {}
    public enum Continuation: ContinuationValue { case approved }

    public let ledger: CanisterId
    public let spender: Int
    public let usesExpectedAllowance: Bool

    public init(ledger: CanisterId, spender: Int, usesExpectedAllowance: Bool) {
        self.ledger = ledger
        self.spender = spender
        self.usesExpectedAllowance = usesExpectedAllowance
    }

    public var name: String { usesExpectedAllowance ? "owner(expected allowance)" : "owner" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let approve = switch call.method {
        case "approve2": ApprovingLedger.Approve(spender: spender, amount: 2)
        default: ApprovingLedger.Approve(spender: spender, amount: 1, expectedAllowance: usesExpectedAllowance ? 2 : nil)
        }
        let result = try execution.call(ledger, "approve", arguments: approve, then: .approved)
        if !result.succeeded { try execution.reject("ledger unreachable") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if response.isReply { try execution.reply() } else { try execution.reject("approve failed") }
    }
}

/// A spender (a DEX) that pulls `amount` tokens from the owner's account into its own with
/// `transferFrom`, once per `pull` call.
public struct PullingSpender: CanisterProgram {
    public struct State: CanisterState {}
    public enum Continuation: ContinuationValue { case pulled }

    public let ledger: CanisterId
    public let owner: Int

    public init(ledger: CanisterId, owner: Int) {
        self.ledger = ledger
        self.owner = owner
    }

    public var name: String { "spender" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let amount = try call.arguments(as: Int.self)
        let transfer = ApprovingLedger.TransferFrom(from: owner, to: execution.me.index, amount: amount)
        let result = try execution.call(ledger, "transferFrom", arguments: transfer, then: .pulled)
        if !result.succeeded { try execution.reject("ledger unreachable") }
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        if response.isReply { try execution.reply() } else { try execution.reject("pull failed") }
    }
}

/// ICRC-2 approve / transfer_from: the approve race, buggy (no expected allowance) and fixed.
enum ICRC2Approve {
    /// The spender never gets more than the larger of the two allowances the owner granted.
    static let spentWithinApproval = ICProperty(
        name: "spent-within-approval",
        statement: "The spender C2 never moves more than 2 tokens (the larger allowance C0 granted) out of C0's account.",
        observes: .none, observesContextRemoval: false
    ) { view in (view.programState(of: 1, as: ApprovingLedger.State.self)?.balances[2] ?? 0) <= 2 }

    static func configuration(fixed: Bool) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(ApprovingOwner(ledger: 1, spender: 2, usesExpectedAllowance: fixed)),
                CanisterSetup(ApprovingLedger(balances: [5, 0, 0])),
                CanisterSetup(PullingSpender(ledger: 1, owner: 0)),
            ],
            ingress: [
                IngressMessage(to: 0, "approve2"), IngressMessage(to: 0, "approve1"),
                IngressMessage(to: 2, "pull", arguments: 2), IngressMessage(to: 2, "pull", arguments: 1),
            ])
    }

    static var specs: [Spec] {
        Spec.bugPattern(
            "ICRC2-approve-transfer-from", category: .application, callKinds: [.guaranteed], properties: [spentWithinApproval],
            violates: "spent-within-approval",
            buggy: .init(
                summary: "ICRC-2: lowering an allowance with a plain approve lets the spender spend the old and the new one.",
                details: "The approve race (ERC-20's, which ICRC-2's `expected_allowance` exists to prevent). C0 owns 5 tokens on the ICRC-2 ledger C1; it approves the DEX C2 for 2 tokens and later lowers the approval to 1 with a second plain `approve`. C2 pulls 2 and then 1 with `transfer_from`. If C2's first pull executes between the two approvals, the second approval grants a fresh 1 and C2 moves 3 tokens in all. Claim: C2 never moves more than 2 tokens from C0's account. No faults; two approvals, two pulls, all guaranteed calls. Expected: violated (spent-within-approval).",
                configuration: configuration(fixed: false)),
            fixed: .init(
                summary: "ICRC-2 with expected_allowance: the lowering approve fails if the spender has already used the allowance.",
                details: "Fix: the second approve carries `expected_allowance = 2`; the ledger applies it only if the allowance is still 2, so after C2 has pulled it fails and C2 can move at most 2 tokens. C0 owns 5 tokens on the ICRC-2 ledger C1; two approvals, two pulls (2 and 1), all guaranteed calls. No faults. Claim: C2 never moves more than 2 tokens from C0's account. Expected: holds.",
                configuration: configuration(fixed: true))
        )
    }
}
