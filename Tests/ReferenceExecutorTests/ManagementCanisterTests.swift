import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// The management canister as a call target (issue 11): `deposit_cycles`, and `stop_canister`,
/// `start_canister`, `install_code` from controller canisters, with their replies and rejects.
/// Each scenario runs in the model and in the executor, compared after every step (`runBoth`).

/// `ingress(method)` calls the management canister's `method` for `target` (5 cycles attached);
/// the callback records the answer.
struct ManagerProgram: CanisterProgram {
    struct State: CanisterState { var answers: [String] = [] }
    let target: CanisterId
    var name: String { "manager" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        guard let method = ManagementMethod(rawValue: call.method) else {
            // A method the management canister does not have, called as a plain call.
            try execution.call(.management, call.method, arguments: target, cycles: 5, then: 0)
            return
        }
        try execution.callManagement(method, target, cycles: 5, then: 0)
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.answers.append(response.rejectCode.map(\.description) ?? "reply")
    }
}

/// A program whose `pre_upgrade` always traps (install_code must fail).
struct UnupgradeableProgram: CanisterProgram {
    struct State: CanisterState { var calls = 0 }
    var name: String { "unupgradeable" }
    var initialState: State { State() }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws { try execution.reply() }
    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
    func preUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws { throw CanisterTrap("pre_upgrade traps") }
}

/// C0 manages C1; C2 is a manager too but not C1's controller. `ingress` names the methods C0
/// (and then C2) call, one ingress message each.
private func configuration(
    _ methods: [ManagementMethod], byStranger: [ManagementMethod] = [], target: some CanisterProgram = ManagerProgram(target: 0),
    controllers: Set<CanisterId> = [0], timeouts: Bool = false
) -> SystemConfiguration {
    var managed = CanisterSetup(target, balance: 50)
    managed.controllers = controllers
    return SystemConfiguration(
        canisters: [CanisterSetup(ManagerProgram(target: 1)), managed, CanisterSetup(ManagerProgram(target: 1))],
        ingress: methods.map { IngressMessage(to: 0, $0.rawValue) } + byStranger.map { IngressMessage(to: 2, $0.rawValue) },
        faults: FaultSwitches(stopTimeouts: timeouts))
}

private func ingress(_ slot: Int) -> ICAction { .ingress(slot: slot, choices: [], trap: false) }
private func respond(_ caller: CanisterId, _ sequence: Int) -> ICAction {
    .deliverResponse(call: CallId(caller: caller, sequence: sequence), choices: [], trap: false)
}
private func answers(_ state: ICState, _ canister: CanisterId) -> [String] {
    state.programState(of: canister, as: ManagerProgram.State.self)?.answers ?? []
}

@Test func depositCyclesMovesTheAttachedCyclesToTheTarget() throws {
    let (model, executor) = try runBoth([ingress(0), .managementCall(from: 0), respond(0, 0)], configuration([.depositCycles]))
    #expect(model.balance(of: 0) == 95 && model.balance(of: 1) == 55)
    #expect(answers(model, 0) == ["reply"])
    #expect(model.history.calls[CallId(caller: 0, sequence: 0)]?.accepted == 5)
    #expect(model.accountedCycles == model.initialTotalCycles && executor.state.accountedCycles == executor.state.initialTotalCycles)
    // Anyone may deposit: C2 is no controller of C1.
    let (stranger, _) = try runBoth([ingress(0), .managementCall(from: 2), respond(2, 0)], configuration([], byStranger: [.depositCycles]))
    #expect(stranger.balance(of: 1) == 55 && answers(stranger, 2) == ["reply"])
}

@Test func aNonControllerIsRejectedWithItsCyclesBack() throws {
    for method in [ManagementMethod.stopCanister, .startCanister, .installCode] {
        let (model, _) = try runBoth([ingress(0), .managementCall(from: 2), respond(2, 0)], configuration([], byStranger: [method]))
        #expect(answers(model, 2) == ["CANISTER_ERROR"], "\(method)")
        #expect(model.balance(of: 2) == 100 && model.status(of: 1) == .running && model.codeVersion(of: 1) == 0)
    }
}

@Test func stopCanisterRepliesOnlyOnceTheTargetIsStopped() throws {
    let config = configuration([.stopCanister])
    let system = ICSystem(configuration: config, properties: [])
    let (held, _) = try runBoth([ingress(0), .managementCall(from: 0)], config)
    #expect(held.status(of: 1) == .stopping(pendingStopRequests: 0))
    #expect(held.pendingResponses.isEmpty && held.pendingRequests(from: .management, to: 1).count == 1)
    // Nothing answers the held call but the stop: the caller's callback is not enabled yet.
    #expect(system.successor(of: held, via: respond(0, 0)) == nil)
    let (stopped, _) = try runBoth([ingress(0), .managementCall(from: 0), .completeStop(1), respond(0, 0)], config)
    #expect(stopped.status(of: 1) == .stopped && answers(stopped, 0) == ["reply"] && stopped.balance(of: 0) == 100)
}

@Test func aStopThatTimesOutIsRejectedAndTheTargetStaysStopping() throws {
    let steps = [ingress(0), .managementCall(from: 0), .stopCallTimeout(call: CallId(caller: 0, sequence: 0)), respond(0, 0)]
    let (model, _) = try runBoth(steps, configuration([.stopCanister], timeouts: true))
    #expect(answers(model, 0) == ["SYS_TRANSIENT"] && model.status(of: 1) == .stopping(pendingStopRequests: 0))
    #expect(model.balance(of: 0) == 100)
    // Without the fault switch no stop call times out.
    let system = ICSystem(configuration: configuration([.stopCanister]), properties: [])
    let (held, _) = try runBoth([ingress(0), .managementCall(from: 0)], configuration([.stopCanister]))
    #expect(system.successor(of: held, via: .stopCallTimeout(call: CallId(caller: 0, sequence: 0))) == nil)
}

@Test func withAClockAHeldStopCallTimesOutOnlyAfterTheStopTimeout() throws {
    // The replica's stop timer: the call times out `stopTimeout` after the management canister
    // took it, not before; without a clock (the test above) at any moment.
    var config = configuration([.stopCanister], timeouts: true)
    config.limits = MessagingLimits(maxTime: 3, stopTimeout: 2)
    let system = ICSystem(configuration: config, properties: [])
    let timeout = ICAction.stopCallTimeout(call: CallId(caller: 0, sequence: 0))
    for ticks in 0 ... 3 {
        let (held, executor) = try runBoth([ingress(0), .managementCall(from: 0)] + Array(repeating: .tick, count: ticks), config)
        var replay = executor
        if ticks < 2 {
            #expect(system.successor(of: held, via: timeout) == nil, "timed out after \(ticks) ticks")
            #expect(throws: ExecutorError.self) { try replay.perform(timeout) }
        } else {
            let (model, _) = try runBoth([ingress(0), .managementCall(from: 0)] + Array(repeating: .tick, count: ticks) + [timeout, respond(0, 0)], config)
            #expect(answers(model, 0) == ["SYS_TRANSIENT"] && model.status(of: 1) == .stopping(pendingStopRequests: 0))
        }
    }
    // The timer starts when the management canister takes the call: one tick before it does
    // moves the timeout one tick later.
    let late = try runBoth([ingress(0), .tick, .managementCall(from: 0), .tick], config).model
    #expect(system.successor(of: late, via: timeout) == nil)
}

@Test func startCanisterRejectsTheHeldStopCalls() throws {
    let steps = [ingress(0), .managementCall(from: 0), ingress(1), .managementCall(from: 0), respond(0, 0), respond(0, 1)]
    let (model, _) = try runBoth(steps, configuration([.stopCanister, .startCanister]))
    #expect(model.status(of: 1) == .running)
    #expect(answers(model, 0) == ["CANISTER_ERROR", "reply"])
}

@Test func installCodeRepliesOrRejectsAsTheHooksGo() throws {
    let (upgraded, _) = try runBoth([ingress(0), .managementCall(from: 0), respond(0, 0)], configuration([.installCode]))
    #expect(upgraded.codeVersion(of: 1) == 1 && answers(upgraded, 0) == ["reply"])
    let (failed, _) = try runBoth(
        [ingress(0), .managementCall(from: 0), respond(0, 0)], configuration([.installCode], target: UnupgradeableProgram()))
    #expect(failed.codeVersion(of: 1) == 0 && failed.failedUpgrades(of: 1) == 1 && answers(failed, 0) == ["CANISTER_ERROR"])
}

@Test func anUnknownManagementMethodIsRejectedByTheManagementCanister() throws {
    var config = configuration([])
    config.ingress = [IngressMessage(to: 0, "raw_rand")]
    let (model, _) = try runBoth([ingress(0), .managementCall(from: 0), respond(0, 0)], config)
    #expect(answers(model, 0) == ["CANISTER_REJECT"] && model.balance(of: 0) == 100)
}

@Test func withoutTheManagementCanisterACallToItIsAnInvalidDestination() throws {
    let (model, _) = try runBoth([ingress(0), respond(0, 0)], configuration([.depositCycles], controllers: []))
    #expect(answers(model, 0) == ["DESTINATION_INVALID"] && model.balance(of: 1) == 50)
}

/// The simulator rejects ingress at the fault rate when `faults.ingressRejects` is on (it never
/// produced `rejectIngress` before).
@Test func theSimulatorRejectsIngressWhenIngressRejectsAreOn() {
    let noTransientIngress = ICProperty(name: "no-transient-ingress", statement: "No ingress message is rejected SYS_TRANSIENT.") { view in
        !view.history.ingressResponses.values.contains { $0.rejectCode == .sysTransient }
    }
    let model = ICModel(name: "ingress", configuration: configuration([.depositCycles]), properties: [noTransientIngress])
    let rejecting = Simulator(model: model, faults: FaultSwitches(ingressRejects: true)).simulate(seed: 1, runs: 10, steps: 20, faultRate: 0.5)
    #expect(rejecting.violations.first?.property == "no-transient-ingress")
    let benign = Simulator(model: model, faults: .benign).simulate(seed: 1, runs: 10, steps: 20, faultRate: 0.5)
    #expect(benign.violations.isEmpty && benign.steps > 0)
}
