import ICCore
import ModelChecking
import Testing
@testable import ICMessaging

func check(_ system: ICSystem, stopOnViolation: Bool = true, maxStates: Int? = 150_000) -> CheckResult<ICSystem> {
    Checker(system, options: CheckerOptions(maxStates: maxStates, stopOnViolation: stopOnViolation, progressInterval: nil)).run()
}

func report(_ label: String, _ result: CheckResult<ICSystem>) {
    let stats = result.statistics
    print("[icmessaging] \(label): \(result.outcome.rawValue), \(stats.distinctStates) states, \(stats.transitions) transitions, depth \(stats.maxDepth), \(String(format: "%.2f", stats.seconds)) s")
}

/// A relay: `work` forwards to `target` with the same kind; the callback passes the answer on.
struct Relay: CanisterProgram {
    struct State: CanisterState { var forwarded = 0 }
    typealias Continuation = Int
    let target: CanisterId
    let kind: CallKind
    var name: String { "relay" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.forwarded += 1
        let cycles = execution.availableCycles
        execution.accept(cycles)
        if try execution.call(target, "reply", cycles: cycles, kind: kind, timeout: 1, then: 0) != .performed {
            try execution.reject("cannot forward")
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        switch response {
        case .reply(let payload): try execution.reply(payload)
        case .reject(_, let message): try execution.reject(message)
        }
    }
}

@Suite(.serialized) struct ExhaustiveAdversarialTests {
    /// Three canisters: a guaranteed call to one worker and a best-effort call to another, every
    /// fault switch on (early expiry stands in for the clock).
    @Test func guaranteedAndBestEffortAllFaultsPropertiesHold() {
        let system = clientSystem(
            [Client.Plan(callee: B, kind: .guaranteed, cycles: 2), Client.Plan(callee: C, kind: .bestEffort, cycles: 2)],
            third: Worker(), faults: .adversarial, limits: MessagingLimits(queueCapacity: 1, maxTime: 0)
        )
        let result = check(system)
        report("3 canisters, guaranteed + best effort, adversarial", result)
        #expect(result.outcome == .complete)
        for verdict in result.verdicts { #expect(verdict.status.label == "holds", "\(verdict.name)") }
    }

    /// A small guaranteed-response call, all faults, with a stop or an uninstall of the callee.
    @Test func smallGuaranteedWithControllerAllFaultsPropertiesHold() {
        let system = clientSystem(
            [Client.Plan(callee: B, method: "reply", kind: .smallGuaranteed, cycles: 2)],
            third: Worker(), faults: .adversarial, limits: MessagingLimits(queueCapacity: 1, smallQuotaOut: 1, smallQuotaIn: 1, maxTime: 0),
            controller: ControllerActions(stop: [B], uninstall: [B], maxActions: 1)
        )
        let result = check(system)
        report("3 canisters, small guaranteed + stop/uninstall, adversarial", result)
        #expect(result.outcome == .complete)
        for verdict in result.verdicts { #expect(verdict.status.label == "holds", "\(verdict.name)") }
    }

    /// A chain client → relay (best effort) → worker (guaranteed), lossy network, one retry.
    @Test func relayChainWithRetryLossy() {
        let system = clientSystem(
            [Client.Plan(callee: B, kind: .bestEffort, cycles: 4, timeout: 1)], retries: 1,
            worker: Worker(), third: nil, faults: .lossy, limits: MessagingLimits(queueCapacity: 1, maxTime: 1)
        )
        let chain = ICSystem(
            configuration: SystemConfiguration(
                canisters: [
                    system.configuration.canisters[0],
                    CanisterSetup(Relay(target: C, kind: .guaranteed), balance: 50),
                    CanisterSetup(Worker(accept: 1), balance: 50),
                ],
                ingress: system.configuration.ingress, faults: .lossy, limits: system.configuration.limits),
            properties: ICProperties.guaranteed)
        let result = check(chain)
        report("relay chain with retry, lossy", result)
        #expect(result.outcome == .complete)
        for verdict in result.verdicts { #expect(verdict.status.label == "holds", "\(verdict.name)") }
    }

    /// Two clients calling one ledger (guaranteed, cycles attached), injected traps and rejects.
    @Test func ledgerTransfersConserveTokensAndCycles() {
        let tokens = ICProperty(name: "ledger-tokens-conserved", statement: "Ledger transfers never create or destroy tokens.") { view in
            (view.programState(of: C, as: Ledger.State.self)?.balances.reduce(0, +) ?? 0) == 10
        }
        let configuration = SystemConfiguration(
            canisters: [
                CanisterSetup(TransferClient(ledger: C, account: 0), balance: 20),
                CanisterSetup(TransferClient(ledger: C, account: 1), balance: 20),
                CanisterSetup(Ledger(initial: [5, 5], fee: 1), balance: 20),
            ],
            ingress: [IngressMessage(to: A, "go"), IngressMessage(to: B, "go")],
            faults: FaultSwitches(spontaneousRejects: true, injectedTraps: true))
        let result = check(ICSystem(configuration: configuration, properties: ICProperties.guaranteed + [tokens]))
        report("ledger with 2 clients, rejects+traps", result)
        #expect(result.outcome == .complete)
        for verdict in result.verdicts { #expect(verdict.status.label == "holds", "\(verdict.name)") }
    }
}

/// A ledger client: `go` transfers 3 tokens from its account to the other, paying 2 cycles.
struct TransferClient: CanisterProgram {
    struct State: CanisterState { var done = false }
    typealias Continuation = Int
    let ledger: CanisterId
    let account: Int
    var name: String { "transfer-client" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        if try execution.call(ledger, "transfer", arguments: [account, 1 - account, 3], cycles: 2, then: 0) != .performed {
            try execution.reject("call failed")
        }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.done = true
        try execution.reply(response.isReply ? [1] : [0])
    }
}

@Suite(.serialized) struct MutationTests {
    private func violated(_ result: CheckResult<ICSystem>, _ name: String) -> Trace<ICSystem>? {
        if case .violated(let trace)? = result.verdict(named: name)?.status { return trace }
        return nil
    }

    @Test func responsesInSendOrderLosesUnorderedResponses() {
        let plans = [Client.Plan(callee: B, method: "reply"), Client.Plan(callee: B, method: "reply")]
        let witness = [ICProperties.responsesOutOfOrder]
        let correct = check(clientSystem(plans, properties: [], mutations: []).with(witnesses: witness))
        #expect(correct.verdict(named: "responses-unordered")?.status.label == "reached")
        let broken = check(clientSystem(plans, properties: [], mutations: [.responsesInSendOrder]).with(witnesses: witness))
        #expect(broken.verdict(named: "responses-unordered")?.status.label == "not-reached")
    }

    @Test func sysUnknownOnGuaranteedBreaksP8() throws {
        let system = clientSystem([Client.Plan(callee: B, cycles: 2)], mutations: [.sysUnknownOnGuaranteed])
        let trace = try #require(violated(check(system), "P8-guaranteed-response"))
        #expect(trace.steps.map(\.action).contains(.expireCall(call: call0)))
        #expect(check(clientSystem([Client.Plan(callee: B, cycles: 2)], faults: .adversarial)).verdict(named: "P8-guaranteed-response")?.status.label == "holds")
    }

    @Test func refundNotReturnedBreaksP10AndConservation() throws {
        let system = clientSystem([Client.Plan(callee: B, cycles: 2)], mutations: [.refundNotReturned])
        let result = check(system)
        #expect(violated(result, "P10-guaranteed-cycles") != nil)
        #expect(violated(result, "cycles-conserved-with-sink") != nil)
    }

    @Test func keepTrappedStateBreaksTrapAtomicity() throws {
        let counterMatchesReplies = ICProperty(
            name: "counter-matches-replies", statement: "The counter equals the number of replies it gave (P5: a trapped increment leaves no trace)."
        ) { view in
            view.programState(of: A, as: Counter.State.self)?.count == view.history.ingressResponses.values.filter(\.isReply).count
        }
        func counter(_ mutations: Set<SemanticsMutation>) -> ICSystem {
            ICSystem(
                configuration: SystemConfiguration(
                    canisters: [CanisterSetup(Counter())], ingress: [IngressMessage(to: A, "inc"), IngressMessage(to: A, "inc")],
                    faults: FaultSwitches(injectedTraps: true)),
                properties: [counterMatchesReplies], mutations: mutations)
        }
        #expect(check(counter([])).verdict(named: "counter-matches-replies")?.status.label == "holds")
        let trace = try #require(violated(check(counter([.keepTrappedState])), "counter-matches-replies"))
        #expect(trace.length == 1)
    }

    @Test func executeRequestTwiceBreaksP6() throws {
        let system = clientSystem([Client.Plan(callee: B, method: "reply")], mutations: [.executeRequestTwice])
        let result = check(system)
        let trace = try #require(violated(result, "P6-at-most-once-execution"))
        #expect(trace.length == 3)
        #expect(violated(result, "P1-atomic-execution") != nil)
    }
}

@Suite(.serialized) struct CyclesTests {
    @Test func p10FailsForBestEffortWithShortestTraceButSinkConservationHolds() throws {
        let system = clientSystem(
            [Client.Plan(callee: B, kind: .bestEffort, cycles: 5, timeout: 1)], faults: .lossy,
            properties: [ICProperties.p10AllKindsCycles, ICProperties.p11BestEffortCycles, ICProperties.cyclesConservedWithSink])
        let result = check(system, stopOnViolation: false)
        report("P10 on best effort (lossy)", result)
        #expect(result.outcome == .complete)
        guard case .violated(let trace)? = result.verdict(named: "P10-all-kinds-cycles")?.status else {
            Issue.record("P10 for all kinds should be violated")
            return
        }
        // ingress (call performed) → early expiry → SYS_UNKNOWN delivered with refund 0.
        #expect(trace.length == 3)
        #expect(trace.steps.map(\.action) == [go, .expireCall(call: call0), respond(call0)])
        #expect(result.verdict(named: "P11-best-effort-cycles")?.status.label == "holds")
        #expect(result.verdict(named: "cycles-conserved-with-sink")?.status.label == "holds")
        // The trace's states are ObservableStates; #meta carries the model (spec) name.
        let file = try trace.traceFile(property: "P10-all-kinds-cycles")
        #expect(file.vars.contains("history") && file.vars.contains("lostCycles"))
        #expect(file.meta["model"] == .string(system.name))
    }
}

extension ICSystem {
    func with(additional: [Property<ICState>]) -> ICSystem {
        ICSystem(configuration: configuration, properties: icProperties, mutations: mutations, name: name, additionalProperties: additional)
    }

    func with(witnesses: [ICProperty]) -> ICSystem {
        ICSystem(configuration: configuration, properties: icProperties, mutations: mutations, name: name, witnesses: witnesses)
    }
}
