// The tutorial's worked example (docs/tutorial.md): a vault canister that pays users through a
// ledger with best-effort calls and retries after SYS_UNKNOWN. Run it with
//     swift run icmc-tutorial            (the buggy vault: a double payment is found)
//     swift run icmc-tutorial --fixed    (the ledger deduplicates: the property holds)
import ICCore
import ICMessaging
import ModelChecking

/// The ledger: executes transfers. With `deduplicates`, a transfer whose key it has already
/// executed is answered without paying again (ICRC-1's created_at_time + memo).
struct Ledger: CanisterProgram {
    struct State: CanisterState {
        var paid = 0
        var executedKeys: [Int] = []
    }
    enum Continuation: ContinuationValue { case none }

    let deduplicates: Bool
    var name: String { "ledger" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let amount = call.arguments[0], key = call.arguments[1]
        if deduplicates && execution.state.executedKeys.contains(key) {
            try execution.reply([amount])  // already done: answer, do not pay again
            return
        }
        execution.state.paid += amount
        execution.state.executedKeys.append(key)
        try execution.reply([amount])
    }

    func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {}
}

/// The vault: `withdraw(amount)` asks the ledger to pay, with a best-effort call (timeout 1 s),
/// and retries once when the answer is SYS_UNKNOWN ("I don't know what happened").
struct Vault: CanisterProgram {
    struct State: CanisterState { var withdrawals = 0 }
    enum Continuation: ContinuationValue { case paid(amount: Int, attempt: Int) }

    var name: String { "vault" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        let amount = call.arguments[0]
        execution.state.withdrawals += 1
        let key = execution.state.withdrawals
        try execution.call(
            1, "transfer", arguments: [amount, key], kind: .bestEffort, timeout: 1,
            then: .paid(amount: amount, attempt: 0))
    }

    func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {
        guard case .paid(let amount, let attempt) = continuation else { return }
        switch response {
        case .reply:
            try execution.reply()
        case .reject(.sysUnknown, _) where attempt == 0:
            // The ledger may or may not have paid. Retry once, with the same key.
            try execution.call(
                1, "transfer", arguments: [amount, execution.state.withdrawals], kind: .bestEffort, timeout: 1,
                then: .paid(amount: amount, attempt: 1))
        case .reject:
            try execution.reject("withdrawal failed")
        }
    }
}

let fixed = CommandLine.arguments.contains("--fixed")

/// The claim: a withdrawal of 10 pays the user at most 10.
let paidAtMostOnce = ICProperty(name: "paid-at-most-once", statement: "The ledger pays at most the amount withdrawn.") { view in
    (view.programState(of: 1, as: Ledger.State.self)?.paid ?? 0) <= 10
}

let configuration = SystemConfiguration(
    canisters: [CanisterSetup(Vault()), CanisterSetup(Ledger(deduplicates: fixed))],
    ingress: [IngressMessage(to: 0, "withdraw", arguments: [10])],
    faults: .lossy,  // best-effort messages may be dropped, calls may time out early
    limits: MessagingLimits(queueCapacity: 2, maxTime: 2)
)

let system = ICSystem(configuration: configuration, properties: [paidAtMostOnce], name: "tutorial-vault")
let result = Checker(system, options: CheckerOptions(workers: 1, progressInterval: nil)).run()
print("explored \(result.statistics.distinctStates) states, \(result.statistics.transitions) transitions")
for verdict in result.verdicts {
    print("\(verdict.name): \(verdict.status.label)")
    if let trace = verdict.status.trace {
        print(trace.render())
    }
}
