import ICCore
import ModelChecking

/// A counter: `inc` adds one and replies with the new count.
struct Counter: CanisterProgram {
    struct State: CanisterState { var count = 0 }
    typealias Continuation = Int
    var name: String { "counter" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        switch call.method {
        case "inc":
            execution.state.count += 1
            try execution.reply([execution.state.count])
        default: try execution.trap("no method \(call.method)")
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

/// A ledger: `transfer(from, to, amount)` moves tokens if covered, accepts `fee` attached cycles.
struct Ledger: CanisterProgram {
    struct State: CanisterState { var balances: [Int] }
    typealias Continuation = Int
    let initial: [Int]
    let fee: Cycles
    var name: String { "ledger" }
    var initialState: State { State(balances: initial) }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        let arguments = try call.arguments(as: [Int].self)
        guard call.method == "transfer", arguments.count == 3 else { try execution.trap("bad call") }
        let (from, to, amount) = (arguments[0], arguments[1], arguments[2])
        guard execution.state.balances.indices.contains(from), execution.state.balances.indices.contains(to) else {
            try execution.reject("no such account")
            return
        }
        if execution.state.balances[from] >= amount {
            execution.state.balances[from] -= amount
            execution.state.balances[to] += amount
            execution.accept(fee)
            try execution.reply([1])
        } else {
            try execution.reject("insufficient funds")
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

/// A worker: `work` accepts `accept` cycles, then nondeterministically replies or rejects;
/// `silent` returns without responding (the context starves).
struct Worker: CanisterProgram {
    struct State: CanisterState { var handled = 0 }
    typealias Continuation = Int
    var accept: Cycles = 1
    var name: String { "worker" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.handled += 1
        execution.accept(accept)
        switch call.method {
        case "work":
            if try execution.choose(2) == 0 { try execution.reply([execution.state.handled]) } else { try execution.reject("no") }
        case "reply": try execution.reply([execution.state.handled])
        case "silent": break
        default: try execution.trap("no method \(call.method)")
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

/// A client: on `go` it performs its planned calls (one per plan, in order); a rejected call is
/// retried up to `retries` times; once nothing is pending it replies with the outcomes.
struct Client: CanisterProgram {
    struct Plan: Hashable, Sendable {
        var callee: CanisterId
        var method: String = "work"
        var kind: CallKind = .guaranteed
        var cycles: Cycles = 0
        var timeout: Time = 1
    }

    struct State: CanisterState {
        var outcomes: [Int]  // 0 pending/none, 1 replied, 2 rejected, 3 cleanup ran
        var attempts: [Int]
        var pending = 0
    }
    typealias Continuation = Int

    let plans: [Plan]
    var retries = 0
    var useCleanup = false
    var trapOnReject = false
    var name: String { "client" }
    var initialState: State { State(outcomes: plans.map { _ in 0 }, attempts: plans.map { _ in 0 }) }

    private func perform(_ index: Int, in execution: inout Execution<State, Int>) throws {
        let plan = plans[index]
        let result = try execution.call(
            plan.callee, plan.method, cycles: plan.cycles, kind: plan.kind, timeout: plan.timeout, then: index, cleanup: useCleanup)
        execution.state.attempts[index] += 1
        if result == .performed { execution.state.pending += 1 } else { execution.state.outcomes[index] = 2 }
    }

    private func finishIfDone(_ execution: inout Execution<State, Int>) throws {
        if execution.state.pending == 0, execution.context.needsToRespond { try execution.reply(execution.state.outcomes) }
    }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        guard call.method == "go" else { try execution.trap("no method \(call.method)") }
        for index in plans.indices { try perform(index, in: &execution) }
        try finishIfDone(&execution)
    }

    func handleResponse(_ response: Response, to index: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.pending -= 1
        if response.isReply {
            execution.state.outcomes[index] = 1
        } else {
            if trapOnReject { try execution.trap("callback traps on reject") }
            if execution.state.attempts[index] <= retries {
                try perform(index, in: &execution)
            } else {
                execution.state.outcomes[index] = 2
            }
        }
        try finishIfDone(&execution)
    }

    func cleanup(after index: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.pending -= 1
        execution.state.outcomes[index] = 3
    }
}
