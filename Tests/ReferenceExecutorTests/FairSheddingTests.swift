import ICCore
import ICMessaging
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// Fair load shedding (issue 11, a forum proposal; `LoadShedding.fair`, default off): only the
/// messages of the canisters holding the most best-effort messages in flight may be shed.

/// `go [n]` makes n best-effort calls to C2.
struct Flooder: CanisterProgram {
    var name: String { "flooder" }
    var initialState: Int { 0 }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<Int, Int>) throws {
        guard call.method == "go" else { return }
        for _ in 0..<(try call.arguments(as: [Int].self)[0]) {
            try execution.call(CanisterId(2), "work", kind: .bestEffort, timeout: 10, then: 0)
        }
    }
    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<Int, Int>) throws {}
}

private func configuration(_ shedding: LoadShedding) -> SystemConfiguration {
    var configuration = SystemConfiguration(
        canisters: [CanisterSetup(Flooder()), CanisterSetup(Flooder()), CanisterSetup(Flooder())],
        ingress: [IngressMessage(to: 0, "go", arguments: [2]), IngressMessage(to: 1, "go", arguments: [1])],
        faults: .lossy, limits: MessagingLimits(maxTime: 1))
    configuration.loadShedding = shedding
    return configuration
}

private let heavy = CallId(caller: 0, sequence: 0)
private let light = CallId(caller: 1, sequence: 0)
private let flood = [ICAction.ingress(slot: 0, choices: [], trap: false), .ingress(slot: 1, choices: [], trap: false)]

/// Whether dropping `call`'s request is enabled after the flood, in the model and the executor.
private func droppable(_ call: CallId, _ configuration: SystemConfiguration) throws -> (model: Bool, executor: Bool) {
    let system = ICSystem(configuration: configuration, properties: [])
    var state = system.initialStates[0]
    var executor = ICExecutor(configuration: configuration)
    for action in flood {
        state = try #require(system.successor(of: state, via: action))
        try executor.perform(action)
    }
    let model = system.successor(of: state, via: .dropRequest(call: call)) != nil
    return (model, (try? executor.perform(.dropRequest(call: call))) != nil)
}

@Test func fairSheddingDropsOnlyTheHeaviestSendersMessages() throws {
    #expect(try droppable(heavy, configuration(.fair)) == (true, true))
    #expect(try droppable(light, configuration(.fair)) == (false, false))
    #expect(try droppable(light, configuration(.arbitrary)) == (true, true))
}

@Test func fairSheddingAgreesOnRandomWalks() throws {
    let setup = configuration(.fair)
    let system = ICSystem(configuration: setup, properties: [])
    var random = Xoshiro256(seed: 7)
    var drops = 0
    for _ in 0..<200 {
        var state = system.initialStates[0]
        var executor = ICExecutor(configuration: setup)
        for _ in 0..<12 {
            let successors = system.successors(of: state)
            guard !successors.isEmpty else { break }
            let (action, next) = successors[random.next(below: successors.count)]
            if case .dropRequest = action { drops += 1 }
            if case .dropResponse = action { drops += 1 }
            try executor.perform(action)
            #expect(ObservableState(next) == executor.observableState, "\(action)")
            state = next
        }
    }
    #expect(drops > 0)
}
