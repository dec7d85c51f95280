import Foundation
import ICCore
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// Simulation under big and bad input: runs end when nothing but the environment can act, only
/// the faults the spec allows are injected, long violations are reported without their trace,
/// and the time limit stops the simulation.

private func model(faults: FaultSwitches = .benign, controller: ControllerActions? = nil,
                   ingress: [IngressMessage] = [IngressMessage(to: 0, "pay")]) -> ICModel {
    var configuration = Fixtures.configuration(ingress: ingress, faults: faults)
    if let controller { configuration.controller = controller }
    return ICModel(name: "bounds", configuration: configuration, properties: [Fixtures.noDoubleTransfer])
}

@Test func aRunEndsWhenOnlyTheEnvironmentCanAct() {
    let start = ContinuousClock.now
    let report = Simulator(model: model()).simulate(seed: 1, runs: 5, steps: 1_000_000, faultRate: 0)
    #expect(report.runs == 5)
    #expect(report.steps < 5 * 200, "a one-payment protocol needs a few dozen steps, not a million: \(report.steps)")
    #expect(report.endings.values.reduce(0, +) == 5, "\(report.endings)")
    #expect(ContinuousClock.now - start < .seconds(30))
}

@Test func onlyTheFaultsTheSpecAllowsFire() {
    // Benign faults and no controller: at rate 1 nothing can be injected.
    let none = Simulator(model: model(controller: ControllerActions.none)).simulate(seed: 2, runs: 20, steps: 60, faultRate: 1)
    #expect(none.faults.isEmpty, "\(none.faults)")
    #expect(none.allowedFaults.isEmpty)
    // Spontaneous rejects only: every fault that fires is a reject.
    let rejects = Simulator(model: model(faults: FaultSwitches(spontaneousRejects: true), controller: ControllerActions.none))
        .simulate(seed: 2, runs: 20, steps: 60, faultRate: 1)
    #expect(!rejects.faults.isEmpty)
    #expect(rejects.faults.keys.allSatisfy { $0.hasPrefix("reject-") }, "\(rejects.faults)")
    #expect(rejects.allowedFaults.allSatisfy { $0.hasPrefix("reject-") }, "\(rejects.allowedFaults)")
    // The override replaces the spec's set.
    let adversarial = Simulator(model: model(controller: ControllerActions.none), faults: .adversarial)
        .simulate(seed: 2, runs: 20, steps: 60, faultRate: 1)
    #expect(adversarial.faults.keys.contains { !$0.hasPrefix("reject-") }, "\(adversarial.faults)")
}

@Test func theFaultRateScalesHowOftenFaultsFire() {
    let simulator = Simulator(model: model(faults: .adversarial))
    let low = simulator.simulate(seed: 4, runs: 100, steps: 60, faultRate: 0.05).faults.values.reduce(0, +)
    let high = simulator.simulate(seed: 4, runs: 100, steps: 60, faultRate: 0.6).faults.values.reduce(0, +)
    #expect(low < high, "rate 0.05: \(low) faults, rate 0.6: \(high)")
}

@Test func aViolationLongerThanTheCapIsReportedWithItsLastActions() throws {
    let configuration = Fixtures.configuration(client: Client(retry: true), ingress: [IngressMessage(to: 0, "pay")])
    let simulator = Simulator(model: ICModel(name: "b4", configuration: configuration, properties: [Fixtures.noDoubleTransfer]),
                              faults: .adversarial)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-cap-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = simulator.simulate(seed: 1, runs: 200, steps: 40, faultRate: 0.5, tracesDirectory: directory,
                                    bounds: SimulationBounds(keepLast: 3, maxTraceSteps: 1))
    let violation = try #require(report.violations.first)
    #expect(violation.tracePath == nil)
    #expect(violation.note?.contains("cap of 1") == true, "\(violation)")
    #expect(violation.lastActions.count == min(3, violation.step))
    // With the default cap the same violation's trace is rebuilt from the seed and replays.
    let full = simulator.simulate(seed: 1, runs: 200, steps: 40, faultRate: 0.5, tracesDirectory: directory)
    let path = try #require(full.violations.first?.tracePath)
    let replay = Replayer(model: simulator.model).replay(data: try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(replay.outcome == .reproduced, "\(replay.rendered)")
}

@Test func theTimeLimitStopsTheSimulation() {
    let start = ContinuousClock.now
    let report = Simulator(model: model(faults: .adversarial)).simulate(
        seed: 5, runs: 1_000_000_000, steps: 200, faultRate: 0.3, bounds: SimulationBounds(timeLimit: .milliseconds(300)))
    #expect(report.stoppedBy == "time limit")
    #expect(report.runs < 1_000_000_000)
    #expect(ContinuousClock.now - start < .seconds(20))
    #expect(report.runDigests.count <= SimulationReport.maxDigests)
}
