import ICCore
import ICMessaging
import ICSpec

/// A wallet that deposits cycles into a vault with a best-effort call and books what it spent
/// the documented way: attached minus `msg_cycles_refunded`, whatever the response.
public struct DepositingWallet: CanisterProgram {
    public struct State: CanisterState {
        /// Cycles the wallet booked as spent on deposits.
        public var spent = 0
        /// Cycles the vault confirmed it credited (from its replies).
        public var confirmed = 0
    }

    public enum Continuation: ContinuationValue { case deposit }

    public let vault: CanisterId
    public static let amount: Cycles = 10

    public init(vault: CanisterId) { self.vault = vault }

    public var name: String { "wallet" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        try execution.call(vault, "deposit", cycles: Self.amount, kind: .bestEffort, timeout: 1, then: .deposit)
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {
        execution.state.spent += Self.amount - execution.context.refundedCycles
        if let credited = response.payload(as: Int.self) { execution.state.confirmed += credited }
    }
}

/// A vault that accepts every cycle deposited and credits it to the depositor.
public struct CycleVault: CanisterProgram {
    public struct State: CanisterState {
        /// Cycles credited, by depositor canister index.
        public var credits: [Int: Int] = [:]
    }

    public enum Continuation: ContinuationValue { case none }

    public init() {}

    public var name: String { "vault" }
    public var initialState: State { State() }

    public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let accepted = execution.accept(execution.availableCycles)
        if case .canister(let depositor) = call.caller { execution.state.credits[depositor.index, default: 0] += accepted }
        try execution.reply(accepted)
    }

    public func handleResponse(
        _ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>
    ) throws {}
}

/// Deposits through best-effort calls (seed 002): whether cycles are lost, and whether the
/// wallet's books are right, depends on where dropped cycles go (`CycleRefunds`).
public enum DepositSpecs {
    static let walletBooksRight = ICProperty(
        name: "wallet-books-match-balance",
        statement: "When the wallet awaits nothing, its balance plus the cycles it booked as spent is its initial balance.",
        observes: .none, observesContextRemoval: false
    ) { view in
        guard view.openCallbacks(of: 0).isEmpty else { return true }
        guard let spent = view.programState(of: 0, as: DepositingWallet.State.self)?.spent else { return false }
        return view.balance(of: 0) + spent == 100
    }

    static func configuration(_ refunds: CycleRefunds) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(DepositingWallet(vault: 1), balance: 100), CanisterSetup(CycleVault())],
            ingress: [IngressMessage(to: 0, "deposit")], faults: .lossy, limits: MessagingLimits(maxTime: 1), cycleRefunds: refunds)
    }

    public static var all: [Spec] {
        let setting = "C0, a wallet with 100 cycles, deposits 10 cycles into the vault C1 with a best-effort call (timeout 1 s); the vault accepts them all and replies the amount credited. The wallet books `attached − msg_cycles_refunded` as spent for every response, as the interface spec documents. Claims: (1) no cycles are lost (`cycles-conserved-without-sink`); (2) when the wallet awaits nothing, its balance plus its booked spending is 100 (`wallet-books-match-balance`). Environment: lossy (best-effort drops, early expiry); clock up to 1 s."
        return [
            Spec(
                name: "D1-deposit-best-effort-specification",
                summary: "Deposit through a best-effort call under the spec's semantics: cycles can be lost, but the wallet's books stay right.",
                details: "Seed 002. \(setting) Cycle refunds: specification (CycleRefunds.specification: a dropped message's cycles are lost). A dropped deposit loses its 10 cycles, and the callback's SYS_UNKNOWN refunds nothing, so booking 10 as spent matches the balance. Expected: violated (cycles-conserved-without-sink), while wallet-books-match-balance holds (a test asserts both). Under the replica it is the other way round: D1-deposit-best-effort-replica.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort], configuration: configuration(.specification),
                properties: [ICProperties.cyclesConservedWithoutSink, walletBooksRight],
                expectation: .violated(property: ICProperties.cyclesConservedWithoutSink.name)),
            Spec(
                name: "D1-deposit-best-effort-replica",
                summary: "Deposit through a best-effort call on today's replica: no cycles are lost, but the wallet's books go wrong.",
                details: "Seed 002. \(setting) Cycle refunds: replica (CycleRefunds.replica, the default: a shed or expired deposit's cycles return to the wallet's balance as an anonymous refund, without a callback; dfinity/ic RefundPool). The callback still gets SYS_UNKNOWN with refund 0 and books 10 as spent, though the 10 came back: the books over-count spending by 10. Expected: violated (wallet-books-match-balance), while cycles-conserved-without-sink holds (a test asserts both). Under the spec's semantics it is the other way round: D1-deposit-best-effort-specification.",
                category: .scalableMessagingClaim, callKinds: [.bestEffort], configuration: configuration(.replica),
                properties: [ICProperties.cyclesConservedWithoutSink, walletBooksRight],
                expectation: .violated(property: walletBooksRight.name)),
        ]
    }
}
