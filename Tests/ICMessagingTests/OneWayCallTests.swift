import ICCore
import ICTestSupport
import ModelChecking
import Testing
@testable import ICMessaging

/// `Execution.notify`: a best-effort call whose response reaches no callback of the caller.
@Suite struct OneWayCallTests {
    let system = ICSystem(
        configuration: SystemConfiguration(
            canisters: [CanisterSetup(Notifier(method: "inc"), balance: 100), CanisterSetup(Counter(), balance: 100)],
            ingress: [IngressMessage(to: A, "go")], faults: .lossy, limits: MessagingLimits(maxTime: 2)),
        properties: ICProperties.guaranteed)

    @Test func theResponseRunsNoCode() throws {
        let sent = try system.run([go])
        #expect(sent.queue(from: A, to: B).map(\.method) == ["inc"])
        #expect(sent.callback(call0)?.kind == .bestEffort)
        #expect(sent.callback(call0)?.continuation.isOneWay == true)
        #expect(sent.history.ingressResponses[0] == .reply(.empty))
        let executed = try system.step(sent, deliverAB([]))
        #expect(executed.programState(of: B, as: Counter.State.self)?.count == 1)
        let delivered = try system.step(executed, respond(call0))
        #expect(delivered.history.calls[call0]?.deliveredResponses == [.reply([1])])
        #expect(delivered.callback(call0) == nil, "the callback closes")
        #expect(delivered.programState(of: A, as: Notifier.State.self) == executed.programState(of: A, as: Notifier.State.self))
    }

    /// In every reachable state (drops and expiry included) no callback ran, and the
    /// properties the IC guarantees hold.
    @Test func noReachableStateRunsACallback() throws {
        let result = check(system, stopOnViolation: false)
        #expect(result.outcome == .complete)
        #expect(result.verdicts.allSatisfy { !$0.isFailure })
        var delivered = 0
        var stack = system.initialStates
        var seen: Set<UInt64> = []
        while let state = stack.popLast() {
            guard seen.insert(state.fingerprint).inserted else { continue }
            #expect(state.programState(of: A, as: Notifier.State.self)?.callbacks == 0)
            if !(state.history.calls[call0]?.deliveredResponses.isEmpty ?? true) { delivered += 1 }
            stack.append(contentsOf: system.successors(of: state).map(\.state))
        }
        #expect(delivered > 0, "some run delivers the notification's response")
    }
}
