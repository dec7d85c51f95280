import Foundation
import ICCore
import ICTestSupport
import ICSpec
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// `Execution.notify` on the executor: the response arrives and is consumed, but no code of the
/// caller runs; a counterexample through a one-way call replays step by step.
@Suite struct OneWayCallTests {
    let configuration = SystemConfiguration(
        canisters: [CanisterSetup(Notifier(method: "transfer", arguments: [7]), balance: 100), CanisterSetup(Ledger(), balance: 50)],
        ingress: [IngressMessage(to: 0, "go")], faults: .lossy, limits: MessagingLimits(maxTime: 2))

    /// Claims, wrongly, that a notification's response never comes back.
    let neverAnswered = ICProperty(name: "notification-never-answered", statement: "No response of C0#0 is delivered.") { view in
        view.history.calls[CallId(caller: 0, sequence: 0)]?.deliveredResponses.isEmpty ?? true
    }

    @Test func theResponseRunsNoCallback() throws {
        var executor = ICExecutor(configuration: configuration)
        try executor.perform(.ingress(slot: 0, choices: [], trap: false))
        #expect(executor.state.callbacks.map(\.kind) == [.bestEffort])
        try executor.perform(.deliverRequest(from: 0, to: 1, choices: [], trap: false))
        #expect(executor.state.programState(of: 1, as: Ledger.State.self)?.transferred == 7)
        try executor.perform(.deliverResponse(call: Fixtures.c0c1, choices: [], trap: false))
        #expect(executor.state.history.calls[Fixtures.c0c1]?.deliveredResponses == [.reply([1])])
        #expect(executor.state.callbacks.isEmpty)
        #expect(executor.state.programState(of: 0, as: Notifier.State.self) == Notifier.State(sent: 1, callbacks: 0))
    }

    @Test func aTraceThroughAOneWayCallReplays() throws {
        let spec = Spec(
            name: "one-way", summary: "A notification's response is delivered.", details: "", category: .bugPattern,
            callKinds: [.bestEffort], configuration: configuration, properties: [neverAnswered],
            expectation: .violated(property: neverAnswered.name))
        let found = try #require(SpecRunner(workers: 1, traceDirectory: nil).check(spec).counterexample)
        #expect(found.trace.steps.map(\.action.name) == ["ingress", "deliverRequest", "deliverResponse"])
        let data = try SpecRunner.traceFile(for: found, of: spec).jsonData()
        let report = Replayer(model: spec.model).replay(try TraceFile(jsonData: data))
        #expect(report.outcome == .reproduced, "\(report.rendered)")
        #expect(report.matchedSteps == 3)
    }
}
