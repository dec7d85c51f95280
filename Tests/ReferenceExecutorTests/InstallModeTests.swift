import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// `install_code` in `install` and `reinstall` mode (issue 11), from a controller canister
/// through the management canister and as controller actions: each scenario runs in the model
/// and in the executor, compared after every step (`runBoth`).

/// `ingress(mode)` calls `install_code` on C1 in that mode (2 cycles attached); the callback
/// records the answer.
private struct Installer: CanisterProgram {
    struct State: CanisterState { var answers: [String] = [] }
    var name: String { "installer" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        let mode = InstallMode(rawValue: call.method) ?? .upgrade
        try execution.callManagement(.installCode, 1, mode: mode, cycles: 2, then: 0)
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.answers.append(response.rejectCode.map(\.description) ?? "reply")
    }
}

/// `work` counts, calls C2 and awaits; the callback counts and replies. Its state shows which
/// code and which heap a callback ran on.
private struct Worker: CanisterProgram {
    struct State: CanisterState { var calls = 0, callbacks = 0 }
    var name: String { "worker" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.calls += 1
        try execution.call(2, "ping", cycles: 3, kind: .guaranteed, then: 0)
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.callbacks += 1
        try execution.reply()
    }
}

private struct Echo: CanisterProgram {
    struct State: CanisterState {}
    var name: String { "echo" }
    var initialState: State { State() }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws { try execution.reply() }
    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

/// C0 (the installer) controls C1 (the worker), which calls C2. Ingress: C1 `work`, then one
/// `install_code` call of C0 per mode in `modes`.
private func configuration(_ modes: [InstallMode], controller: ControllerActions = .none) -> SystemConfiguration {
    var worker = CanisterSetup(Worker(), balance: 50)
    worker.controllers = [0]
    return SystemConfiguration(
        canisters: [CanisterSetup(Installer()), worker, CanisterSetup(Echo())],
        ingress: [IngressMessage(to: 1, "work")] + modes.map { IngressMessage(to: 0, $0.rawValue) },
        controller: controller)
}

private func ingress(_ slot: Int) -> ICAction { .ingress(slot: slot, choices: [], trap: false) }
private func respond(_ caller: CanisterId, _ sequence: Int) -> ICAction {
    .deliverResponse(call: CallId(caller: caller, sequence: sequence), choices: [], trap: false)
}
private func answers(_ state: ICState) -> [String] { state.programState(of: 0, as: Installer.State.self)?.answers ?? [] }
private func worker(_ state: ICState) -> Worker.State? { state.programState(of: 1, as: Worker.State.self) }

@Test func installOnACanisterWithCodeIsRejectedAndChangesNothing() throws {
    let (model, _) = try runBoth([ingress(0), ingress(1), .managementCall(from: 0), respond(0, 0)], configuration([.install]))
    #expect(answers(model) == ["CANISTER_ERROR"] && model.balance(of: 0) == 100)
    #expect(model.codeVersion(of: 1) == 0 && worker(model)?.calls == 1)
}

@Test func installOnAnUninstalledCanisterInstallsFreshCode() throws {
    let config = configuration([.install], controller: ControllerActions(uninstall: [1], maxActions: 1))
    let (model, _) = try runBoth([ingress(0), .uninstallCanister(1), ingress(1), .managementCall(from: 0), respond(0, 0)], config)
    #expect(answers(model) == ["reply"] && model.balance(of: 0) == 100)
    #expect(model.codeVersion(of: 1) == 1 && worker(model)?.calls == 0)
}

/// Reinstall wipes the heap but, unlike uninstall, rejects nothing and keeps callbacks: the
/// callback of the call the old code made runs on the new code's fresh state and answers the
/// ingress context the old code left open.
@Test func reinstallWipesTheStateAndKeepsOutstandingCallbacks() throws {
    let steps = [ingress(0), ingress(1), .managementCall(from: 0), respond(0, 0)]
    let (reinstalled, _) = try runBoth(steps, configuration([.reinstall]))
    #expect(answers(reinstalled) == ["reply"] && reinstalled.codeVersion(of: 1) == 1)
    #expect(worker(reinstalled)?.calls == 0 && reinstalled.openCallbacks.count == 1)
    #expect(reinstalled.history.ingressResponses[0] == nil)
    let (answered, _) = try runBoth(steps + [.deliverRequest(from: 1, to: 2, choices: [], trap: false), respond(1, 0)],
                                    configuration([.reinstall]))
    #expect(worker(answered) == Worker.State(calls: 0, callbacks: 1))
    #expect(answered.history.ingressResponses[0] == .reply(.empty))
}

@Test func theControllerInstallsOnlyOnAnEmptyCanisterAndReinstallsAnyCanister() throws {
    let controller = ControllerActions(uninstall: [1], install: [1], reinstall: [1], maxActions: 3)
    let config = configuration([], controller: controller)
    let system = ICSystem(configuration: config, properties: [])
    let (running, executor) = try runBoth([ingress(0)], config)
    #expect(system.successor(of: running, via: .installCanister(1)) == nil)
    var replay = executor
    #expect(throws: ExecutorError.self) { try replay.perform(.installCanister(1)) }
    let (reinstalled, _) = try runBoth([ingress(0), .reinstallCanister(1)], config)
    #expect(reinstalled.codeVersion(of: 1) == 1 && worker(reinstalled)?.calls == 0 && reinstalled.openCallbacks.count == 1)
    let (installed, _) = try runBoth([ingress(0), .uninstallCanister(1), .installCanister(1)], config)
    #expect(installed.codeVersion(of: 1) == 1 && worker(installed)?.calls == 0)
    // The uninstall rejected the open ingress context; the install reopens nothing.
    #expect(installed.history.ingressResponses[0]?.rejectCode == .canisterReject)
}
