import Escrow
import Foundation
import ICSpec
import ModelChecking
import ReferenceExecutor
import Testing

private func spec(_ name: String, _ parameters: [String: Int] = [:]) throws -> Spec {
    try #require(Escrow.catalog.entry(named: name)).spec(with: parameters)
}

@Test func retryWithoutDedupKeyPaysTheSellerTwice() throws {
    let (result, counterexample) = SpecRunner(workers: 1, traceDirectory: nil).check(try spec("E1-escrow-retry-buggy"))
    #expect(result.verdict == .violated(property: "seller-paid-once"))
    #expect(result.asExpected)
    #expect(result.traceLength == 5)
    // The whole bounded state space (the liveness graph), so the count is exact.
    #expect(result.distinct == 1_441)
    let trace = try #require(counterexample)
    #expect(!Escrow.sellerPaidOnce.holds(trace.trace.finalState))
}

@Test func oneDedupKeyForEveryAttemptPaysOnce() throws {
    let result = SpecRunner(workers: 1, traceDirectory: nil).run(try spec("E1-escrow-retry-fixed"))
    #expect(result.verdict == .holds)
    #expect(result.distinct == 1_441)
    #expect(result.violatedProperties.isEmpty)
}

@Test func moreRetriesMoreStatesSameVerdict() throws {
    let result = SpecRunner(workers: 1, traceDirectory: nil).run(try spec("E1-escrow-retry-buggy", ["retries": 2]))
    #expect(result.verdict == .violated(property: "seller-paid-once"))
    #expect(result.distinct == 11_277)
    #expect(throws: SpecParameterError.self) { try spec("E1-escrow-retry-buggy", ["retries": 4]) }
}

@Test func theCounterexampleReplaysOnTheReferenceExecutor() throws {
    let buggy = try spec("E1-escrow-retry-buggy")
    let counterexample = try #require(SpecRunner(workers: 1, traceDirectory: nil).check(buggy).counterexample)
    let file = try SpecRunner.traceFile(for: counterexample, of: buggy)
    let report = Replayer(model: buggy.model).replay(try TraceFile(jsonData: try file.jsonData()))
    #expect(report.outcome == .reproduced, "\(report.rendered)")
}

@Test func simulationWithFaultsFindsTheDoublePayment() throws {
    let report = Simulator(model: try spec("E1-escrow-retry-buggy").model).simulate(seed: 1, runs: 300, steps: 40, faultRate: 0.3)
    #expect(report.violations.contains { $0.property == "seller-paid-once" })
    let fixed = Simulator(model: try spec("E1-escrow-retry-fixed").model).simulate(seed: 1, runs: 300, steps: 40, faultRate: 0.3)
    #expect(!fixed.violations.contains { $0.property == "seller-paid-once" })
}
