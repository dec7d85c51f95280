import Foundation
import ICCore
import ModelChecking
import Testing

/// A runtime that answers choices from a script, admits every call the caller can pay for, and
/// keeps the cycle accounts the simplest way (the model and the executor each do it on their own).
final class ScriptedRuntime: ExecutionRuntime {
    var script: [Int]
    var asked: [Int] = []
    init(_ script: [Int] = [], liquidBalance: Cycles = 10) {
        self.script = script
        self.liquidBalance = liquidBalance
    }
    func choose(_ count: Int) -> Int {
        asked.append(count)
        return script.isEmpty ? 0 : script.removeFirst()
    }
    var availableCycles: Cycles = 3
    var liquidBalance: Cycles = 10
    func perform(_ call: OutgoingCall) -> CallPerformResult {
        guard call.cycles <= liquidBalance else { return .failed(.insufficientCycles) }
        liquidBalance -= call.cycles
        return .performed
    }
    func accept(_ amount: Cycles) -> Cycles {
        let moved = min(amount, availableCycles)
        availableCycles -= moved
        liquidBalance += moved
        return moved
    }
}

struct Counter: CanisterProgram {
    struct State: Hashable, Codable, Fingerprintable, Sendable { var value = 0 }
    enum Continuation: Hashable, Codable, Fingerprintable, Sendable { case afterIncrement }
    var name: String { "counter" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "increment":
            execution.state.value += 1 + (try execution.choose(2))
            try execution.reply([execution.state.value])
        case "forward":
            execution.state.value += 10
            try execution.call(CanisterId(1), "increment", cycles: 5, then: .afterIncrement)
        case "trap":
            execution.state.value = 99
            try execution.trap("boom")
        default:
            try execution.reject("no such method")
        }
    }

    func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {
        execution.state.value += 100
    }
}

private func context(balance: Cycles = 10) -> ExecutionContext {
    ExecutionContext(canister: 0, now: 0, balance: balance, availableCycles: 3, refundedCycles: 0, deadline: nil, needsToRespond: true)
}

@Test func methodReturnsEffectsAndRecordsChoices() throws {
    let program = AnyCanisterProgram(Counter())
    let runtime = ScriptedRuntime([1])
    let outcome = program.execute(
        .method(IncomingCall(method: "increment", arguments: [], caller: .user(slot: 0))),
        state: program.initialState, context: context(), runtime: runtime
    )
    guard case .returned(let effects) = outcome else { Issue.record("trapped"); return }
    #expect(effects.state.as(Counter.State.self)?.value == 2)
    #expect(effects.response == .reply([2]))
    #expect(runtime.asked == [2])
}

@Test func trapDiscardsEverything() {
    let program = AnyCanisterProgram(Counter())
    let outcome = program.execute(
        .method(IncomingCall(method: "trap", arguments: [], caller: .user(slot: 0))),
        state: program.initialState, context: context(), runtime: ScriptedRuntime()
    )
    #expect(outcome == .trapped("boom"))
}

@Test func callsAttachCyclesAndFailSynchronouslyWhenUnaffordable() {
    let program = AnyCanisterProgram(Counter())
    let call = EntryPoint.method(IncomingCall(method: "forward", arguments: [], caller: .user(slot: 0)))
    guard case .returned(let ok) = program.execute(call, state: program.initialState, context: context(balance: 10), runtime: ScriptedRuntime())
    else { Issue.record("trapped"); return }
    #expect(ok.calls.count == 1)
    #expect(ok.calls.first?.cycles == 5)
    guard case .returned(let poor) = program.execute(call, state: program.initialState, context: context(balance: 2), runtime: ScriptedRuntime(liquidBalance: 2))
    else { Issue.record("trapped"); return }
    #expect(poor.calls.isEmpty)
}

@Test func replyingTwiceTraps() {
    struct Twice: CanisterProgram {
        var name: String { "twice" }
        var initialState: Int { 0 }
        func handleCall(_ call: IncomingCall, in execution: inout Execution<Int, Int>) throws {
            try execution.reply()
            try execution.reply()
        }
        func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<Int, Int>) throws {}
    }
    let program = AnyCanisterProgram(Twice())
    let outcome = program.execute(
        .method(IncomingCall(method: "m", arguments: [], caller: .user(slot: 0))),
        state: program.initialState, context: context(), runtime: ScriptedRuntime()
    )
    guard case .trapped = outcome else { Issue.record("expected a trap"); return }
}

@Test func actionsRoundTripThroughJSON() throws {
    let actions: [ICAction] = [
        .deliverRequest(from: 0, to: 1, choices: [1, 0], trap: false),
        .expireCall(call: CallId(caller: 0, sequence: 2)),
        .starveContext(.ingress(slot: 1)),
        .tick,
    ]
    let data = try JSONEncoder().encode(actions)
    #expect(try JSONDecoder().decode([ICAction].self, from: data) == actions)
}

@Test func historyEncodesDeterministically() throws {
    var history = CallHistory()
    history.calls[CallId(caller: 1, sequence: 0)] = CallRecord(callee: 0, method: "m", kind: .bestEffort, attached: 4, deadline: 3)
    history.calls[CallId(caller: 0, sequence: 0)] = CallRecord(callee: 1, method: "m", kind: .guaranteed, attached: 0, deadline: nil)
    history.sent[QueuePair(from: 0, to: 1)] = [CallId(caller: 0, sequence: 0)]
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = try encoder.encode(history)
    #expect(try JSONDecoder().decode(CallHistory.self, from: data) == history)
    #expect(try encoder.encode(history) == data)
}
