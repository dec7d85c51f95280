import ICCore
import ModelChecking

/// A ledger: `transfer(amount)` adds to the total transferred and replies.
struct Ledger: CanisterProgram {
    struct State: Hashable, Codable, Fingerprintable, Sendable { var transferred = 0; var transfers = 0 }
    var name: String { "ledger" }
    var initialState: State { State() }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.transferred += try call.arguments(as: [Int].self).first ?? 0
        execution.state.transfers += 1
        execution.accept(execution.availableCycles)
        try execution.reply([execution.state.transfers])
    }
    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

/// A client that pays `amount` out through the ledger. `retry` re-sends after a SYS_UNKNOWN
/// without a dedup key (bug B4); `lockBug` takes a lock that a trapping callback never releases
/// (bug B2: the callback traps when the ledger replies with an even count).
struct Client: CanisterProgram {
    struct State: Hashable, Codable, Fingerprintable, Sendable {
        var locked = false
        var done = 0
        var responses: [Int] = []
    }
    enum Continuation: Hashable, Codable, Fingerprintable, Sendable { case paid(attempt: Int), first, second }
    var ledger: CanisterId = 1
    var kind: CallKind = .bestEffort
    var retry = false
    var lockBug = false
    var name: String { "client" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
        switch call.method {
        case "pay":
            if lockBug && execution.state.locked { try execution.reject("locked"); return }
            execution.state.locked = true
            try execution.call(ledger, "transfer", arguments: [10], cycles: 2, kind: kind, timeout: 5, then: .paid(attempt: 0))
        case "two":
            try execution.call(ledger, "transfer", arguments: [1], kind: kind, then: .first)
            try execution.call(ledger, "transfer", arguments: [1], kind: kind, then: .second)
        default:
            try execution.reject("unknown method")
        }
    }

    func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {
        switch continuation {
        case .paid(let attempt):
            if response.rejectCode == .sysUnknown, retry, attempt < 2 {
                try execution.call(ledger, "transfer", arguments: [10], kind: kind, timeout: 5, then: .paid(attempt: attempt + 1))
                return
            }
            if lockBug, let count = response.payload(as: [Int].self)?.first, count % 2 == 0 {
                try execution.trap("callback bug")
            }
            execution.state.locked = false
            execution.state.done += 1
            try execution.reply()
        case .first: execution.state.responses.append(1)
        case .second: execution.state.responses.append(2)
        }
    }
}

/// Shared fixtures.
enum Fixtures {
    static let allCanisters: Set<CanisterId> = [0, 1]

    static func configuration(client: Client = Client(), ingress: [IngressMessage]? = nil, faults: FaultSwitches = .benign) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(client, balance: 100), CanisterSetup(Ledger(), balance: 50)],
            ingress: ingress ?? [IngressMessage(to: 0, "pay"), IngressMessage(to: 0, "two")],
            controller: ControllerActions(stop: allCanisters, start: allCanisters, maxActions: 4),
            faults: faults, limits: MessagingLimits(queueCapacity: 4, maxTime: 10)
        )
    }

    /// The ledger never transfers more than one payment per `pay` ingress (B4's invariant).
    static let noDoubleTransfer = ICProperty(name: "no-double-transfer", statement: "at most one transfer per payment") { view in
        (view.programState(of: 1, as: Ledger.State.self)?.transferred ?? 0) <= 10
    }

    /// Whenever the client is locked, some call of it is still open (B2's invariant).
    static let lockReleased = ICProperty(name: "lock-released", statement: "a held lock has an open call that releases it") { view in
        guard view.programState(of: 0, as: Client.State.self)?.locked == true else { return true }
        return view.callbacks.contains { $0.call.caller == 0 }
    }

    /// The client's callbacks run in the order it sent the calls (B10's wrong assumption).
    static let responsesInOrder = ICProperty(name: "responses-in-order", statement: "callbacks run in send order") { view in
        let responses = view.programState(of: 0, as: Client.State.self)?.responses ?? []
        return responses == responses.sorted()
    }

    static let c0c1 = CallId(caller: 0, sequence: 0)
    static let c0c2 = CallId(caller: 0, sequence: 1)

    /// "two" sends two calls; the second response is consumed first (legal on the IC).
    static let reorderActions: [ICAction] = [
        .ingress(slot: 1, choices: [], trap: false),
        .deliverRequest(from: 0, to: 1, choices: [], trap: false),
        .deliverRequest(from: 0, to: 1, choices: [], trap: false),
        .deliverResponse(call: c0c2, choices: [], trap: false),
        .deliverResponse(call: c0c1, choices: [], trap: false),
    ]
}
