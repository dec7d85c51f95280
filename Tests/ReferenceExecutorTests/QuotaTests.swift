import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor
@testable import Specs

/// The scalable-messaging proposal as written (issue 11) and the replica's two-way queue
/// reservations: each scenario runs in the model and in the executor, compared after every step.

/// On an ingress `[callee, count, kind, bytes]` makes `count` calls of `kind` (0 guaranteed,
/// 1 small, 2 best effort) with `bytes` of payload; records each `call_perform` result and each
/// response (reply, or the reject code).
struct QuotaCaller: CanisterProgram {
    struct State: CanisterState { var log: [String] = [] }
    var name: String { "quota-caller" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        let callee = CanisterId(try call.int(0))
        let kind: [CallKind] = [.guaranteed, .smallGuaranteed, .bestEffort]
        for _ in 0 ..< (try call.int(1)) {
            let result = try execution.call(
                callee, "hold", kind: kind[try call.int(2)], timeout: 1, payloadBytes: try call.int(3), then: 0)
            switch result {
            case .performed: execution.state.log.append("performed")
            case .failed(let error): execution.state.log.append(error.rawValue)
            }
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.log.append(response.rejectCode.map { "\($0)" } ?? "reply")
    }
}

/// `hold` keeps the call open (no response: it starves later); `reply [bytes]` replies with a
/// payload of `bytes`.
struct QuotaCallee: CanisterProgram {
    struct State: CanisterState { var started = 0 }
    var name: String { "quota-callee" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.started += 1
        if call.method == "reply" { try execution.reply(payloadBytes: try call.int(0)) }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

private let c0: CanisterId = 0, c1: CanisterId = 1, c2: CanisterId = 2

/// C0 and C2 are callers, C1 the callee; one ingress per entry of `orders` (to C0, then C2, …).
private func quotaConfiguration(_ orders: [(CanisterId, [Int])], limits: MessagingLimits) -> SystemConfiguration {
    SystemConfiguration(
        canisters: [CanisterSetup(QuotaCaller()), CanisterSetup(QuotaCallee()), CanisterSetup(QuotaCaller())],
        ingress: orders.map { IngressMessage(to: $0.0, "go", arguments: $0.1) }, limits: limits)
}

private func ingress(_ slot: Int) -> ICAction { .ingress(slot: slot, choices: [], trap: false) }
private func log(_ state: ICState, _ canister: CanisterId) -> [String] {
    state.programState(of: canister, as: QuotaCaller.State.self)?.log ?? []
}

@Test func theCalleesIncomingQuotaIsAnAsynchronousReject() throws {
    let limits = MessagingLimits(smallQuotaOut: 5, smallQuotaIn: 1, sharedSmallPool: 0, maxTime: 0)
    let configuration = quotaConfiguration([(c0, [1, 1, 1, 100]), (c2, [1, 1, 1, 100])], limits: limits)
    // Both calls are performed: the caller cannot see the callee's quota.
    let (state, _) = try runBoth(
        [ingress(0), ingress(1), .deliverRequest(from: c0, to: c1, choices: [], trap: false)], configuration)
    #expect(log(state, c0) == ["performed"] && log(state, c2) == ["performed"])
    // C1 holds C0's call: C2's call is over its incoming quota and comes back SYS_TRANSIENT.
    let system = ICSystem(configuration: configuration, properties: [])
    let enabled = system.successors(of: state).map(\.action)
    #expect(!enabled.contains(.deliverRequest(from: c2, to: c1, choices: [], trap: false)))
    let rejected = ICAction.rejectRequest(from: c2, to: c1, code: .sysTransient)
    #expect(enabled.contains(rejected))
    let call = CallId(caller: c2, sequence: 0)
    let (after, _) = try runBoth(
        [ingress(0), ingress(1), .deliverRequest(from: c0, to: c1, choices: [], trap: false), rejected,
         .deliverResponse(call: call, choices: [], trap: false)], configuration)
    #expect(log(after, c2) == ["performed", "SYS_TRANSIENT"])
    // Once C1 has answered C0's call (here: the context starves), the quota is free again.
    let (free, _) = try runBoth(
        [ingress(0), ingress(1), .deliverRequest(from: c0, to: c1, choices: [], trap: false),
         .starveContext(.call(CallId(caller: c0, sequence: 0))), .deliverRequest(from: c2, to: c1, choices: [], trap: false)],
        configuration)
    #expect(free.programState(of: c1, as: QuotaCallee.State.self)?.started == 2)
}

@Test func theSharedPoolServesBothDirections() throws {
    // Own quotas 1, pool 1: C2's incoming overflow at C1 takes the pool, so C0's second
    // outgoing call (over its own quota) is refused synchronously.
    let limits = MessagingLimits(smallQuotaOut: 1, smallQuotaIn: 1, sharedSmallPool: 1, maxTime: 0)
    let configuration = quotaConfiguration([(c0, [1, 1, 1, 100]), (c2, [1, 1, 1, 100]), (c0, [1, 2, 1, 100])], limits: limits)
    let deliver = { (from: CanisterId) in ICAction.deliverRequest(from: from, to: c1, choices: [], trap: false) }
    let (state, _) = try runBoth([ingress(0), ingress(1), deliver(c0), deliver(c2), ingress(2)], configuration)
    #expect(log(state, c0) == ["performed", "quotaExhausted", "quotaExhausted"])
    // Without C2's call in the pool, C0's second call gets the pool's unit.
    let (alone, _) = try runBoth([ingress(0), ingress(2)], configuration)
    #expect(log(alone, c0) == ["performed", "performed", "quotaExhausted"])
}

@Test func aSmallCallsReplyIsLimitedTo1kB() throws {
    let configuration = SystemConfiguration(
        canisters: [CanisterSetup(Proxy()), CanisterSetup(QuotaCallee())],
        ingress: [IngressMessage(to: c0, "go", arguments: [1, 2000]), IngressMessage(to: c0, "go", arguments: [0, 2000])],
        limits: MessagingLimits(maxTime: 0))
    let small = CallId(caller: c0, sequence: 0), guaranteed = CallId(caller: c0, sequence: 1)
    let (state, _) = try runBoth(
        [ingress(0), ingress(1), .deliverRequest(from: c0, to: c1, choices: [], trap: false),
         .deliverRequest(from: c0, to: c1, choices: [], trap: false)], configuration)
    // The 2000-byte reply traps for the small call (its context still needs a response) and goes
    // out for the guaranteed one.
    #expect(state.context(.call(small))?.needsToRespond == true)
    #expect(state.pendingResponses.map(\.call) == [guaranteed])
}

/// On `go [kind, bytes]` calls C1's `reply [bytes]` with a call of that kind (0 guaranteed, 1 small).
struct Proxy: CanisterProgram {
    struct State: CanisterState {}
    var name: String { "proxy" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        let kind: CallKind = try call.int(0) == 1 ? .smallGuaranteed : .guaranteed
        try execution.call(CanisterId(1), "reply", arguments: [try call.int(1)], kind: kind, then: 0)
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

@Test func bestEffortCallsHaveAQuotaPlusThePool() throws {
    let tight = quotaConfiguration([(c0, [1, 3, 2, 100])], limits: MessagingLimits(bestEffortQuota: 1, sharedSmallPool: 1, maxTime: 0))
    let (state, _) = try runBoth([ingress(0)], tight)
    #expect(log(state, c0) == ["performed", "performed", "quotaExhausted"])
}

@Test func aRequestReservesAResponseSlotInBothDirections() throws {
    // Capacity 1. C0's best-effort call expires and its SYS_UNKNOWN is consumed while C1 still
    // holds it: C0 may call again (its own slots are free), but C1 has no response slot left
    // towards C0, so it rejects the new request with SYS_TRANSIENT.
    let limits = MessagingLimits(queueCapacity: 1, maxTime: 0)
    let configuration = SystemConfiguration(
        canisters: [CanisterSetup(QuotaCaller()), CanisterSetup(QuotaCallee())],
        ingress: [IngressMessage(to: c0, "go", arguments: [1, 1, 2, 100]), IngressMessage(to: c0, "go", arguments: [1, 1, 2, 100])],
        faults: FaultSwitches(earlyExpiry: true), limits: limits)
    let first = CallId(caller: c0, sequence: 0)
    let steps: [ICAction] = [
        ingress(0), .deliverRequest(from: c0, to: c1, choices: [], trap: false), .expireCall(call: first),
        .deliverResponse(call: first, choices: [], trap: false), ingress(1),
    ]
    let (state, _) = try runBoth(steps + [.rejectRequest(from: c0, to: c1, code: .sysTransient)], configuration)
    #expect(log(state, c0) == ["performed", "SYS_UNKNOWN", "performed"])
    // While the request is still queued, the request slot is taken: the second call is refused.
    let (queued, _) = try runBoth(
        [ingress(0), .expireCall(call: first), .deliverResponse(call: first, choices: [], trap: false), ingress(1)], configuration)
    #expect(log(queued, c0) == ["performed", "SYS_UNKNOWN", "queueFull"])
}

@Test func aCalleesUnconsumedResponsesMayFillItsOutputQueue() throws {
    // Capacity 1. C1 replies to C0's best-effort call; the call expires at C0 and its SYS_UNKNOWN
    // is consumed, so C0 may call again, but C1's late reply is still unconsumed: it may still sit
    // in C1's output queue towards C0. C1's system may then reject C0's guaranteed call
    // SYS_TRANSIENT (no response slot), or start it (the reply was routed): both are allowed, in
    // both implementations. Without the late reply (discarded first) only the start is.
    let configuration = CalleeQueueSpecs.configuration(fillKind: .bestEffort, capacity: 1)
    let first = CallId(caller: c0, sequence: 0), second = CallId(caller: c0, sequence: 1)
    let prefix: [ICAction] = [
        ingress(0), .deliverRequest(from: c0, to: c1, choices: [], trap: false), .tick, .expireCall(call: first),
        .deliverResponse(call: first, choices: [], trap: false), ingress(1),
    ]
    let (rejected, _) = try runBoth(
        prefix + [.rejectRequest(from: c0, to: c1, code: .sysTransient), .deliverResponse(call: second, choices: [], trap: false)],
        configuration)
    #expect(rejected[canister: c0].programState.as(CalleeQueueSpecs.QueueFiller.State.self)?.transientRejects == 1)
    _ = try runBoth(prefix + [.deliverRequest(from: c0, to: c1, choices: [], trap: false)], configuration)
    // Once the late reply is discarded, C1's output queue has room: the reject is not enabled.
    let (drained, executor) = try runBoth(prefix + [.discardResponse(call: first)], configuration)
    let system = ICSystem(configuration: configuration, properties: [])
    let reject = ICAction.rejectRequest(from: c0, to: c1, code: .sysTransient)
    #expect(system.successor(of: drained, via: reject) == nil)
    var replay = executor
    #expect(throws: ExecutorError.self) { try replay.perform(reject) }
    // The model offers the reject exactly when the late reply is unconsumed.
    let (full, _) = try runBoth(prefix, configuration)
    #expect(system.successor(of: full, via: reject) != nil)
}

extension IncomingCall {
    /// The integer argument at `index` (a trap if there is none).
    fileprivate func int(_ index: Int) throws -> Int {
        let values = try arguments(as: [Int].self)
        guard values.indices.contains(index) else { throw CanisterTrap("\(method): no argument \(index)") }
        return values[index]
    }
}
