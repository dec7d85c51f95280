import Testing
@testable import ICProofs
import SMT

struct BoundedModelCheckerTests {
    let config = BMCConfiguration(balances: [100, 50], calls: 1)
    /// Per query. The default minute is a product bound; a verdict test must not turn into
    /// `unknown` when a loaded machine (the whole suite runs at once) starves Z3 of CPU.
    let timeout = 900.0

    @Test func findsBestEffortCycleLossAfterSysUnknown() throws {
        let r = try BoundedModelChecker(configuration: config, timeout: timeout).search(bound: 6)
        guard case let .violation(trace) = r else { Issue.record("expected a violation, got \(r)"); return }
        print(trace)
        // Shortest: issue a best-effort call with cycles, let it expire, deliver SYS_UNKNOWN.
        #expect(trace.steps.map(\.rule) == ["issueCall", "expireCall", "deliverUnknownReject"])
        #expect(trace.steps[0].params["kind"] == CallKindCode.bestEffort)
        #expect((trace.steps[0].params["cycles"] ?? 0) > 0)
        let c = trace.finalCalls[0]!
        #expect(c["accepted"]! + c["refunded"]! < c["attached"]!)
        #expect(c["callerState"] == CallerState.doneUnknown)
    }

    @Test func guaranteedCallsConserveWithinTheBound() throws {
        let r = try BoundedModelChecker(configuration: config, timeout: timeout).search(bound: 5) { s, c in
            try (s.at(.kind, c) == CallKindCode.guaranteed) && (s.at(.callerState, c) == CallerState.done)
                && (s.at(.accepted, c) + s.at(.refunded, c) != s.at(.attached, c))
        }
        guard case .noViolationUpTo(5) = r else { Issue.record("expected no violation, got \(r)"); return }
    }
}
