import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// Heartbeats and the global timer (issue 11): system tasks with their own call context, no
/// caller and no cycles; only on a running canister; at most `maxSystemTasks` per canister.
/// Each scenario runs in the model and in the executor, compared after every step.

/// `arm [t]` sets the global timer to `t` (0 deactivates). A system task records itself and
/// calls C1's `work`; replying from it traps.
struct Ticker: CanisterProgram {
    struct State: CanisterState { var tasks: [String] = [] }
    var heartbeat = false
    var replyFromTask = false
    var name: String { "ticker" }
    var initialState: State { State() }
    var exportsHeartbeat: Bool { heartbeat }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        if call.method == "arm" { execution.setGlobalTimer(try call.arguments(as: [Int].self)[0]) }
        try execution.reply()
    }

    func handleSystemTask(_ task: SystemTask, in execution: inout Execution<State, Int>) throws {
        execution.state.tasks.append("\(task.rawValue)@\(execution.now)")
        _ = try execution.call(CanisterId(1), "work", then: 0)
        if replyFromTask { try execution.reply() }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

private func configuration(
    _ ticker: Ticker, timer: Time = 2, maxSystemTasks: Int = 2, controller: ControllerActions = .none, faults: FaultSwitches = .benign
) -> SystemConfiguration {
    SystemConfiguration(
        canisters: [CanisterSetup(ticker, maxSystemTasks: maxSystemTasks), CanisterSetup(Ticker())],
        ingress: [IngressMessage(to: 0, "arm", arguments: [timer])], controller: controller, faults: faults,
        limits: MessagingLimits(maxTime: 3))
}

private let arm = ICAction.ingress(slot: 0, choices: [], trap: false)
private let timer = ICAction.globalTimer(0, choices: [], trap: false)
private let heartbeat = ICAction.heartbeat(0, choices: [], trap: false)

/// Runs `actions` in both implementations; returns the model's state and the executor.

/// Whether `action` is enabled after `actions`, in the model and (by trying it) in the executor.
private func enabledInBoth(_ action: ICAction, after actions: [ICAction], _ configuration: SystemConfiguration) throws -> (Bool, Bool) {
    let (state, reached) = try runBoth(actions, configuration)
    var executor = reached
    let model = ICSystem(configuration: configuration, properties: []).successor(of: state, via: action) != nil
    let performed = (try? executor.perform(action)) != nil
    return (model, performed)
}

private func tasks(_ state: AnyCanisterState) -> [String] { state.as(Ticker.State.self)?.tasks ?? [] }

@Test func theTimerFiresOnceItsTimeHasPassedAndIsDeactivated() throws {
    let setup = configuration(Ticker())
    #expect(try enabledInBoth(timer, after: [arm, .tick], setup) == (false, false))  // timer 2, now 1
    let (model, executor) = try runBoth([arm, .tick, .tick, timer], setup)
    #expect(tasks(model[canister: 0].programState) == ["globalTimer@2"])
    #expect(model.globalTimer(of: 0) == nil && executor.state.globalTimer(of: 0) == nil)
    // The task's call has its callback in the task's own context, which needs no response.
    let call = CallId(caller: 0, sequence: 0)
    let context = ContextId.systemTask(canister: 0, sequence: 0)
    #expect(model.callback(call)?.callerContext == context)
    #expect(model.context(context)?.needsToRespond == false && model.context(context)?.availableCycles == 0)
    #expect(try enabledInBoth(timer, after: [arm, .tick, .tick, timer], setup) == (false, false))  // fired once
}

@Test func heartbeatsAreBoundedAndOnlyRunOnARunningCanister() throws {
    let setup = configuration(Ticker(heartbeat: true), controller: ControllerActions(stop: [0], maxActions: 1))
    let (model, _) = try runBoth([heartbeat, heartbeat], setup)
    #expect(tasks(model[canister: 0].programState) == ["heartbeat@0", "heartbeat@0"])
    #expect(model.systemTasksRun(of: 0) == 2)
    #expect(try enabledInBoth(heartbeat, after: [heartbeat, heartbeat], setup) == (false, false))  // budget of 2 spent
    #expect(try enabledInBoth(heartbeat, after: [.stopCanister(0)], setup) == (false, false))
    // A program that exports no heartbeat never gets one; no budget, no system tasks at all.
    #expect(try enabledInBoth(heartbeat, after: [], configuration(Ticker())) == (false, false))
    #expect(try enabledInBoth(heartbeat, after: [], configuration(Ticker(heartbeat: true), maxSystemTasks: 0)) == (false, false))
}

@Test func aSystemTaskCannotReplyAndATrapKeepsTheTimerDeactivated() throws {
    let replying = configuration(Ticker(replyFromTask: true), timer: 1)
    let (trapped, _) = try runBoth([arm, .tick, timer], replying)
    #expect(tasks(trapped[canister: 0].programState).isEmpty)  // replying trapped: no effect
    #expect(trapped.openCallbacks.isEmpty && trapped.globalTimer(of: 0) == nil)
    let injected = configuration(Ticker(), timer: 1, faults: FaultSwitches(injectedTraps: true))
    let (model, _) = try runBoth([arm, .tick, .globalTimer(0, choices: [], trap: true)], injected)
    #expect(model.globalTimer(of: 0) == nil && model.systemTasksRun(of: 0) == 1)
    #expect(model.contexts.contains { $0.id == .systemTask(canister: 0, sequence: 0) })
}

@Test func anUpgradeDeactivatesTheTimer() throws {
    let setup = configuration(Ticker(), controller: ControllerActions(upgrade: [0], maxActions: 1))
    let (model, executor) = try runBoth([arm, .upgradeCanister(0)], setup)
    #expect(model.globalTimer(of: 0) == nil && executor.state.globalTimer(of: 0) == nil)
    let (armed, _) = try runBoth([arm], setup)
    #expect(armed.globalTimer(of: 0) == 2)
}

/// States of configurations without system tasks hash as before: the new fields are left out.
@Test func recordsWithoutSystemTasksKeepTheirFingerprints() {
    let record = CanisterRecord(status: .running, programState: AnyCanisterState(0), balance: 5, codeVersion: 0, nextCallSequence: 1)
    var hasher = FingerprintHasher()
    hasher.combine(CanisterStatus.running)
    hasher.combine(AnyCanisterState(0))
    hasher.combine(Cycles(5))
    hasher.combine(Optional(0))
    hasher.combine(1)
    #expect(record.fingerprint == hasher.finalize())
    var timed = record
    timed.globalTimer = 3
    #expect(timed.fingerprint != record.fingerprint)
}
