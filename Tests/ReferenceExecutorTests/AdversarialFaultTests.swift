import Foundation
import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// The two faults `.adversarial` gained with issue 11: trapping cleanup handlers and spontaneous
/// rejection of ingress. Each scenario runs in the model and in the executor, compared step by
/// step.

/// `go` calls C1's `work` with a cleanup; the callback traps; the cleanup releases `lock`.
struct LockingCaller: CanisterProgram {
    struct State: CanisterState {
        var lock = false
        var cleanups = 0
    }
    var name: String { "locking-caller" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.lock = true
        try execution.call(CanisterId(1), "work", then: 0, cleanup: true)
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        try execution.trap("the callback traps")
    }

    func cleanup(after continuation: Int, in execution: inout Execution<State, Int>) throws {
        execution.state.lock = false
        execution.state.cleanups += 1
    }
}

/// Replies to everything.
struct Answering: CanisterProgram {
    struct State: CanisterState {}
    var name: String { "answering" }
    var initialState: State { State() }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws { try execution.reply() }
    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

private func faultConfiguration(_ faults: FaultSwitches) -> SystemConfiguration {
    SystemConfiguration(
        canisters: [CanisterSetup(LockingCaller()), CanisterSetup(Answering())], ingress: [IngressMessage(to: 0, "go")],
        faults: faults)
}

private let go = ICAction.ingress(slot: 0, choices: [], trap: false)
private let deliver = ICAction.deliverRequest(from: 0, to: 1, choices: [], trap: false)
private let call = CallId(caller: 0, sequence: 0)

@Test func aCleanupMayTrapAndThenLeavesTheLockTaken() throws {
    let configuration = faultConfiguration(FaultSwitches(cleanupTraps: true))
    let system = ICSystem(configuration: configuration, properties: [])
    let (before, _) = try runBoth([go, deliver], configuration)
    // The cleanup's fate is a choice among 2: it runs (0) or the system traps it (1).
    let responses = system.successors(of: before).map(\.action).filter { $0.name == "deliverResponse" }
    #expect(responses == [.deliverResponse(call: call, choices: [0], trap: false), .deliverResponse(call: call, choices: [1], trap: false)])
    let (ran, _) = try runBoth([go, deliver, .deliverResponse(call: call, choices: [0], trap: false)], configuration)
    #expect(ran.programState(of: 0, as: LockingCaller.State.self) == LockingCaller.State(lock: false, cleanups: 1))
    let (trapped, executor) = try runBoth([go, deliver, .deliverResponse(call: call, choices: [1], trap: false)], configuration)
    #expect(trapped.programState(of: 0, as: LockingCaller.State.self) == LockingCaller.State(lock: true, cleanups: 0))
    #expect(executor.state.programState(of: 0, as: LockingCaller.State.self)?.lock == true)
    // Off (the default outside `.adversarial`): no choice, the cleanup always runs.
    let benign = faultConfiguration(.benign)
    let (plain, _) = try runBoth([go, deliver], benign)
    #expect(ICSystem(configuration: benign, properties: []).successors(of: plain).map(\.action).contains(
        .deliverResponse(call: call, choices: [], trap: false)))
    #expect(FaultSwitches.adversarial.cleanupTraps && FaultSwitches.adversarial.ingressRejects)
}

@Test func theSystemMayRejectIngressBeforeItRuns() throws {
    let configuration = faultConfiguration(FaultSwitches(ingressRejects: true))
    let system = ICSystem(configuration: configuration, properties: [])
    #expect(system.successors(of: system.initialStates[0]).map(\.action).contains(.rejectIngress(slot: 0)))
    let (state, executor) = try runBoth([.rejectIngress(slot: 0)], configuration)
    #expect(state.history.ingressResponses[0] == .reject(.sysTransient, ""))
    #expect(state.programState(of: 0, as: LockingCaller.State.self)?.lock == false)
    #expect(executor.state.history.ingressResponses[0] == .reject(.sysTransient, ""))
    // Once rejected it cannot also run; without the switch the executor refuses the step.
    #expect(system.successor(of: state, via: go) == nil)
    var off = ICExecutor(configuration: faultConfiguration(.benign))
    #expect(throws: ExecutorError.self) { try off.perform(.rejectIngress(slot: 0)) }
}

@Test func oldTracesWithoutTheNewSwitchesStillDecode() throws {
    let json = #"{"spontaneousRejects":true,"dropBestEffort":false,"earlyExpiry":false,"injectedTraps":true,"syncCallFailures":false,"stopTimeouts":false}"#
    let faults = try JSONDecoder().decode(FaultSwitches.self, from: Data(json.utf8))
    #expect(faults == FaultSwitches(spontaneousRejects: true, injectedTraps: true))
    let encoded = String(decoding: try JSONEncoder().encode(faults), as: UTF8.self)
    #expect(!encoded.contains("cleanupTraps") && !encoded.contains("ingressRejects"))
}
