import Foundation
import ICCore
import ModelChecking
import Testing
@testable import ReferenceExecutor

@Test func sameSeedSameRun() {
    let simulator = Simulator(model: ICModel(name: "sim", configuration: Fixtures.configuration(), properties: [Fixtures.noDoubleTransfer]),
                              faults: .adversarial)
    let first = simulator.simulate(seed: 7, runs: 5, steps: 60, faultRate: 0.3)
    let second = simulator.simulate(seed: 7, runs: 5, steps: 60, faultRate: 0.3)
    let other = simulator.simulate(seed: 8, runs: 5, steps: 60, faultRate: 0.3)
    #expect(first == second)
    #expect(first.runDigests != other.runDigests)
    #expect(first.faults.values.reduce(0, +) > 0)
}

@Test func retryAfterSysUnknownDoubleTransferIsFoundAndReplays() throws {
    let configuration = Fixtures.configuration(client: Client(retry: true), ingress: [IngressMessage(to: 0, "pay")])
    let simulator = Simulator(model: ICModel(name: "b4", configuration: configuration, properties: [Fixtures.noDoubleTransfer]),
                              faults: .adversarial)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-sim-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = simulator.simulate(seed: 1, runs: 200, steps: 40, faultRate: 0.5, tracesDirectory: directory)
    let violation = try #require(report.violations.first)
    #expect(violation.property == "no-double-transfer")
    let path = try #require(violation.tracePath)
    let replay = Replayer(model: ICModel(name: "b4", configuration: configuration, properties: [Fixtures.noDoubleTransfer]))
        .replay(data: try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(replay.outcome == .reproduced, "\(replay.rendered)")
}

@Test func lockNeverReleasedAfterTrappingCallbackIsFound() {
    let configuration = Fixtures.configuration(
        client: Client(kind: .guaranteed, lockBug: true),
        ingress: [IngressMessage(to: 0, "pay"), IngressMessage(to: 0, "pay"), IngressMessage(to: 0, "pay")]
    )
    let simulator = Simulator(model: ICModel(name: "b2", configuration: configuration, properties: [Fixtures.lockReleased]))
    let report = simulator.simulate(seed: 3, runs: 50, steps: 60, faultRate: 0)
    #expect(report.violations.first?.property == "lock-released")
}

@Test func benignCorrectProgramHasNoViolation() {
    let configuration = Fixtures.configuration(ingress: [IngressMessage(to: 0, "pay")])
    let simulator = Simulator(model: ICModel(name: "ok", configuration: configuration, properties: [Fixtures.noDoubleTransfer]),
                              faults: .adversarial)
    let report = simulator.simulate(seed: 11, runs: 20, steps: 50, faultRate: 0.3)
    #expect(report.violations.isEmpty)
    #expect(report.steps > 0)
}
