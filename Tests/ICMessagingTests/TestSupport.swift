import ICCore
import ModelChecking
import Testing
@testable import ICMessaging

struct StepNotEnabled: Error, CustomStringConvertible {
    let action: ICAction
    let enabled: [ICAction]
    var description: String { "\(action) is not enabled; enabled: \(enabled.map(\.description))" }
}

extension ICSystem {
    /// Takes `action` from `state`, or throws listing what is enabled.
    func step(_ state: ICState, _ action: ICAction) throws -> ICState {
        guard let next = successor(of: state, via: action) else {
            throw StepNotEnabled(action: action, enabled: successors(of: state).map(\.action))
        }
        return next
    }

    func run(_ actions: [ICAction]) throws -> ICState {
        var state = initialStates[0]
        for action in actions { state = try step(state, action) }
        return state
    }

    func enabled(_ state: ICState) -> [ICAction] { successors(of: state).map(\.action) }
}

let A: CanisterId = 0
let B: CanisterId = 1
let C: CanisterId = 2

/// A client at C0 with `plans`, a worker at C1 (and C2 if `third`), one ingress `go` to C0.
/// Dropped best-effort cycles are lost (`CycleRefunds.specification`) unless `cycleRefunds` says
/// otherwise: these tests state the spec's semantics (the replica's refunds are tested in
/// ReferenceExecutorTests/CyclesFidelityTests, on both implementations).
func clientSystem(
    _ plans: [Client.Plan], retries: Int = 0, cleanup: Bool = false, trapOnReject: Bool = false,
    worker: Worker = Worker(), third: (any CanisterProgram)? = nil, faults: FaultSwitches = .benign,
    limits: MessagingLimits = MessagingLimits(maxTime: 2), controller: ControllerActions = .none,
    workerThreshold: Cycles = 0, properties: [ICProperty] = ICProperties.guaranteed, mutations: Set<SemanticsMutation> = [],
    cycleRefunds: CycleRefunds = .specification
) -> ICSystem {
    var canisters = [
        CanisterSetup(Client(plans: plans, retries: retries, useCleanup: cleanup, trapOnReject: trapOnReject), balance: 100),
        CanisterSetup(worker, balance: 100, freezingThreshold: workerThreshold),
    ]
    if let third { canisters.append(CanisterSetup(third, balance: 100)) }
    let configuration = SystemConfiguration(
        canisters: canisters, ingress: [IngressMessage(to: A, "go")], controller: controller, faults: faults, limits: limits,
        cycleRefunds: cycleRefunds)
    return ICSystem(configuration: configuration, properties: properties, mutations: mutations)
}

let go = ICAction.ingress(slot: 0, choices: [], trap: false)
func deliverAB(_ choices: [Int] = [0]) -> ICAction { .deliverRequest(from: A, to: B, choices: choices, trap: false) }
func respond(_ call: CallId, _ choices: [Int] = []) -> ICAction { .deliverResponse(call: call, choices: choices, trap: false) }
let call0 = CallId(caller: A, sequence: 0)
let call1 = CallId(caller: A, sequence: 1)
