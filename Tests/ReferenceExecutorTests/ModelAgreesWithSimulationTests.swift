import Foundation
import ICCore
import ICMessaging
import ModelChecking
import ReferenceExecutor
import Specs
import Testing

/// The other direction of the model/executor cross-check: runs the executor found on its own
/// (random scheduling with injected faults) must be runs of the model. Every action of a
/// simulated violation trace must be enabled in `ICSystem`, lead to the same observable state,
/// and the model must judge the same property violated at the end.
@Test(arguments: ["B1-reentrancy-buggy", "B2-lock-after-trap-buggy", "B4-retry-without-dedup-buggy", "B8-reject-means-no-effect-buggy"])
func simulatedViolationsAreRunsOfTheModel(_ name: String) throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-sim-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = Simulator(model: spec.model)
        .simulate(seed: 7, runs: 200, steps: 60, faultRate: 0.3, tracesDirectory: directory)
    let violations = report.violations.filter { $0.tracePath != nil }.prefix(3)
    #expect(!violations.isEmpty, "\(name): the simulation found nothing to cross-check")

    for violation in violations {
        let file = try TraceFile(jsonData: Data(contentsOf: URL(fileURLWithPath: try #require(violation.tracePath))))
        var configuration = spec.configuration
        let decoder = JSONDecoder()
        if let faults = file.meta["faults"] {
            configuration.faults = try decoder.decode(FaultSwitches.self, from: JSONEncoder().encode(faults))
        }
        if let controller = file.meta["controller"] {
            configuration.controller = try decoder.decode(ControllerActions.self, from: JSONEncoder().encode(controller))
        }
        if case .int(let maxTime) = file.meta["maxTime"] { configuration.limits.maxTime = maxTime }
        let system = ICSystem(configuration: configuration, properties: spec.properties, name: spec.name)

        var state = try #require(system.initialStates.first)
        #expect(JSONValue(encoding: ObservableState(state)) == .object(file.states[0]), "\(name): initial states differ")
        for index in 1..<file.states.count {
            let action = try decoder.decode(ICAction.self, from: JSONEncoder().encode(file.actions[index]))
            let next = try #require(system.successor(of: state, via: action), "\(name) run \(violation.run): step \(index) (\(action)) is not enabled in the model")
            #expect(JSONValue(encoding: ObservableState(next)) == .object(file.states[index]),
                    "\(name) run \(violation.run): step \(index) (\(action)) leads to another state in the model")
            state = next
        }
        let property = try #require(spec.properties.first { $0.name == violation.property })
        #expect(!property.holds(state), "\(name) run \(violation.run): the model does not see \(violation.property) violated")
    }
}
