import Foundation
import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// Upgrade hooks (issue 11): `pre_upgrade`/`post_upgrade` run on both sides, a trapping hook
/// aborts the upgrade atomically, and `stopsBeforeUpgrade` makes the controller upgrade only a
/// stopped canister. Each scenario runs in the model and in the executor, compared step by step.

/// `go` calls C1's `work` (guaranteed). `preUpgrade` keeps `value` (stable memory) and drops
/// `scratch` (heap); it traps while calls are outstanding if `refusesWithCallbacks`, or always
/// if `preTraps`. `postUpgrade` counts migrations, or traps if `postTraps`.
struct MigratingCanister: CanisterProgram {
    struct State: CanisterState {
        var value = 7
        var scratch = 1
        var migrations = 0
    }
    var refusesWithCallbacks = false
    var preTraps = false
    var postTraps = false
    var name: String { "migrating" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        if call.method == "go" { _ = try execution.call(CanisterId(1), "work", then: 0) } else { try execution.reply() }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {
        try execution.reply()
    }

    func preUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws {
        if preTraps || (refusesWithCallbacks && upgrade.outstandingCallbacks > 0) { throw CanisterTrap("pre_upgrade refuses") }
        state.scratch = 0
    }

    func postUpgrade(_ upgrade: UpgradeInfo, state: inout State) throws {
        if postTraps { throw CanisterTrap("post_upgrade traps") }
        state.migrations = upgrade.newVersion
    }
}

private func upgradeConfiguration(_ canister: MigratingCanister, controller: ControllerActions) -> SystemConfiguration {
    SystemConfiguration(
        canisters: [CanisterSetup(canister), CanisterSetup(MigratingCanister())],
        ingress: [IngressMessage(to: 0, "go")], controller: controller)
}

private let go = ICAction.ingress(slot: 0, choices: [], trap: false)
private let upgradeOnly = ControllerActions(upgrade: [0], maxActions: 2)

/// Runs `actions` in the model and in the executor, comparing after every step.

private func migrating(_ state: AnyCanisterState) -> MigratingCanister.State? { state.as(MigratingCanister.State.self) }

@Test func hooksTransformTheStateOfASuccessfulUpgrade() throws {
    let (model, executor) = try runBoth([.upgradeCanister(0)], upgradeConfiguration(MigratingCanister(), controller: upgradeOnly))
    let expected = MigratingCanister.State(value: 7, scratch: 0, migrations: 1)
    #expect(migrating(model[canister: 0].programState) == expected)
    #expect(migrating(executor.state.programState(of: 0)) == expected)
    #expect(model.codeVersion(of: 0) == 1 && executor.state.codeVersion(of: 0) == 1)
    #expect(model.failedUpgrades(of: 0) == 0)
}

@Test(arguments: [(true, false), (false, true)])
func aTrappingHookLeavesCodeAndStateAsTheyWere(preTraps: Bool, postTraps: Bool) throws {
    let canister = MigratingCanister(preTraps: preTraps, postTraps: postTraps)
    let (model, executor) = try runBoth([.upgradeCanister(0)], upgradeConfiguration(canister, controller: upgradeOnly))
    #expect(migrating(model[canister: 0].programState) == MigratingCanister.State())
    #expect(migrating(executor.state.programState(of: 0)) == MigratingCanister.State())
    #expect(model.codeVersion(of: 0) == 0 && executor.state.codeVersion(of: 0) == 0)
    #expect(model.failedUpgrades(of: 0) == 1 && executor.state.failedUpgrades(of: 0) == 1)
    #expect(model.controllerActionsUsed == 1)  // the attempt spends the controller action
}

@Test func outstandingCallbacksReachPreUpgradeInBothImplementations() throws {
    let configuration = upgradeConfiguration(MigratingCanister(refusesWithCallbacks: true), controller: upgradeOnly)
    let call = CallId(caller: 0, sequence: 0)
    // One call awaiting its response: pre_upgrade traps.
    let (blocked, _) = try runBoth([go, .upgradeCanister(0)], configuration)
    #expect(blocked.codeVersion(of: 0) == 0 && blocked.failedUpgrades(of: 0) == 1)
    // After the response, no callback is outstanding: the upgrade goes through.
    let (upgraded, _) = try runBoth(
        [go, .deliverRequest(from: 0, to: 1, choices: [], trap: false), .deliverResponse(call: call, choices: [], trap: false),
         .upgradeCanister(0)], configuration)
    #expect(upgraded.codeVersion(of: 0) == 1 && upgraded.failedUpgrades(of: 0) == 0)
}

@Test func stopsBeforeUpgradeOnlyUpgradesAStoppedCanister() throws {
    let controller = ControllerActions(stop: [0], start: [0], upgrade: [0], maxActions: 3, stopsBeforeUpgrade: true)
    let configuration = upgradeConfiguration(MigratingCanister(refusesWithCallbacks: true), controller: controller)
    let system = ICSystem(configuration: configuration, properties: [])
    let running = system.initialStates[0]
    #expect(system.successor(of: running, via: .upgradeCanister(0)) == nil)
    var executor = ICExecutor(configuration: configuration)
    #expect(throws: ExecutorError.self) { try executor.perform(.upgradeCanister(0)) }
    let (model, _) = try runBoth([.stopCanister(0), .completeStop(0), .upgradeCanister(0), .startCanister(0)], configuration)
    #expect(model.codeVersion(of: 0) == 1 && model.status(of: 0) == .running)
    // The controller's procedure survives a trace file round trip.
    let decoded = try JSONDecoder().decode(ControllerActions.self, from: JSONEncoder().encode(controller))
    #expect(decoded == controller)
    let old = try JSONDecoder().decode(ControllerActions.self, from: Data(#"{"stop":[],"start":[],"upgrade":[0],"uninstall":[],"maxActions":1}"#.utf8))
    #expect(old == ControllerActions(upgrade: [0], maxActions: 1))
}

/// A model that ignored the hooks' verdict would let the trapped upgrade through; the recorded
/// history tells the two apart only when upgrades are recorded.
@Test func failedUpgradesAreRecordedOnlyWhenObserved() throws {
    let configuration = upgradeConfiguration(MigratingCanister(preTraps: true), controller: upgradeOnly)
    let quiet = ICSystem(configuration: configuration, properties: [], recording: .none)
    let state = try #require(quiet.successor(of: quiet.initialStates[0], via: .upgradeCanister(0)))
    #expect(state.failedUpgrades(of: 0) == 0 && state.codeVersion(of: 0) == 0)
    #expect(state.fingerprint != quiet.initialStates[0].fingerprint)  // the controller action was spent
}
