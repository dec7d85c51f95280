import Foundation
import ICCore
import ModelChecking
import Specs
import Testing

@Test func builtInNamesAreUniqueAndEveryDefaultIsInRange() {
    #expect(SpecCatalog.builtInSmall.duplicateNames.isEmpty)
    for entry in SpecCatalog.builtInSmall.entries {
        for parameter in entry.parameters { #expect(parameter.range.contains(parameter.defaultValue)) }
        #expect(entry.defaultSpec.name == entry.name)
    }
}

@Test func catalogsAddAndReportDuplicates() throws {
    let b1 = try #require(SpecCatalog.builtInSmall.spec(named: "B1-reentrancy-buggy"))
    let b2 = try #require(SpecCatalog.builtInSmall.spec(named: "B2-lock-after-trap-buggy"))
    let sum = SpecCatalog([b1]) + SpecCatalog([b2])
    #expect(sum.names == ["B1-reentrancy-buggy", "B2-lock-after-trap-buggy"])
    #expect(sum.duplicateNames.isEmpty)
    #expect((sum + SpecCatalog([b1])).duplicateNames == ["B1-reentrancy-buggy"])
}

@Test func parametersBuildTheSpecOfThatSize() throws {
    let entry = try #require(SpecCatalog.builtInSmall.entry(named: "bench-pubsub"))
    #expect(entry.parameters.map(\.name) == ["subscribers", "events"])
    let small = try entry.spec(with: ["subscribers": 1])
    let large = try entry.spec(with: ["subscribers": 3])
    #expect(small.parameters == ["subscribers": 1, "events": 1])
    #expect(small.configuration.canisters.count == 2)
    #expect(large.configuration.canisters.count == 4)
    #expect(small.category == .benchmark)
    let runner = SpecRunner(workers: 1, traceDirectory: nil)
    #expect(runner.run(small).distinct < runner.run(entry.defaultSpec).distinct)
}

@Test func badParametersAreErrorsNamingTheProblem() throws {
    let entry = try #require(SpecCatalog.builtInSmall.entry(named: "bench-pubsub"))
    #expect(throws: SpecParameterError.self) { try entry.spec(with: ["subscribers": 9]) }
    #expect(throws: SpecParameterError.self) { try entry.spec(with: ["subscribers": 0]) }
    do {
        _ = try entry.spec(with: ["clients": 2])
        Issue.record("an unknown parameter was accepted")
    } catch {
        #expect(error.message.contains("unknown parameter 'clients'"))
    }
    let fixed = try #require(SpecCatalog.builtInSmall.entry(named: "B1-reentrancy-buggy"))
    #expect(throws: SpecParameterError.self) { try fixed.spec(with: ["n": 1]) }
}

@Test func traceRecordsParametersAndReplayRebuildsTheModel() throws {
    let entry = try #require(SpecCatalog.builtInSmall.entry(named: "bench-pubsub"))
    let spec = try entry.spec(with: ["subscribers": 3, "events": 2])
    let model = try #require(try SpecCatalog.builtInSmall.model(named: "bench-pubsub", parameters: spec.parameters))
    #expect(model.configuration.canisters.count == 4)
    #expect(model.configuration.ingress.count == 2)
    #expect(try SpecCatalog.builtInSmall.model(named: "no-such-spec", parameters: [:]) == nil)
}

@Test func counterexampleTraceCarriesSpecAndEnvironment() throws {
    var spec = try #require(SpecCatalog.builtInSmall.spec(named: "B4-retry-without-dedup-buggy"))
    spec.configuration.faults = .adversarial
    let (_, counterexample) = SpecRunner(workers: 1, traceDirectory: nil).check(spec)
    let file = try SpecRunner.traceFile(for: try #require(counterexample), of: spec)
    #expect(file.meta["spec"] == .string(spec.name))
    #expect(file.meta["faults"] == JSONValue(encoding: FaultSwitches.adversarial))
    #expect(file.meta["maxTime"] == .int(spec.configuration.limits.maxTime))
}

@Test func stopOnViolationEndsAtTheFirstViolatedPropertyByAShortestTrace() throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: "A1-exchange-buggy"))
    #expect(spec.properties.count > 1)
    let full = SpecRunner(workers: 1, traceDirectory: nil).check(spec)
    var runner = SpecRunner(workers: 1, traceDirectory: nil)
    runner.stopAtFirstViolation = true
    let (first, counterexample) = runner.check(spec)
    let trace = try #require(counterexample)
    #expect(first.violatedProperties.count == 1)
    let property = try #require(spec.properties.first { $0.name == trace.property })
    #expect(!property.holds(trace.trace.finalState))
    // No state before the last violates any property: the trace is a shortest one to a violation.
    #expect(trace.trace.states.dropLast().allSatisfy { state in spec.properties.allSatisfy { $0.holds(state) } })
    #expect(trace.trace.length <= (full.result.traceLength ?? .max))
    #expect(first.distinct <= full.result.distinct)
    // A spec that holds is explored completely either way.
    let holding = try #require(SpecCatalog.builtInSmall.spec(named: "B1-reentrancy-fixed"))
    #expect(runner.run(holding).distinct == SpecRunner(workers: 1, traceDirectory: nil).run(holding).distinct)
    #expect(runner.run(holding).verdict == .holds)
}

/// A canister that makes no calls needs no continuation and no `handleResponse`.
private struct CallCounter: CanisterProgram {
    struct State: CanisterState { var count = 0 }
    typealias Continuation = NoContinuation
    var name: String { "counter" }
    var initialState: State { State() }
    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, NoContinuation>) throws {
        execution.state.count += 1
        try execution.reply()
    }
}

@Test func programsWithoutContinuationsAreChecked() {
    let calledOnce = ICProperty(name: "called-once", statement: "At most one call arrives.") { view in
        (view.programState(of: 0, as: CallCounter.State.self)?.count ?? 0) <= 1
    }
    let spec = Spec(
        name: "counter", summary: "Two calls to a counter.", details: "Two ingress calls to a canister without continuations.",
        category: .application, callKinds: [.guaranteed],
        configuration: SystemConfiguration(canisters: [CanisterSetup(CallCounter())],
                                           ingress: [IngressMessage(to: 0, "inc"), IngressMessage(to: 0, "inc")]),
        properties: [calledOnce], expectation: .violated(property: "called-once"))
    let result = SpecRunner(workers: 1, traceDirectory: nil).run(spec)
    #expect(result.asExpected)
    #expect(result.traceLength == 2)
}

@Test func bugPatternMakesTheBuggyAndFixedPair() throws {
    let b4 = try #require(SpecCatalog.builtInSmall.spec(named: "B4-retry-without-dedup-buggy"))
    let pair = Spec.bugPattern(
        "X1-example", callKinds: [.bestEffort], properties: b4.properties, violates: "paid-at-most-once",
        buggy: .init(summary: "buggy", details: "the bug", configuration: b4.configuration),
        fixed: .init(summary: "fixed", details: "the fix", configuration: b4.configuration))
    #expect(pair.map(\.name) == ["X1-example-buggy", "X1-example-fixed"])
    #expect(pair.map(\.expectation) == [.violated(property: "paid-at-most-once"), .holds])
    #expect(pair.map(\.summary) == ["buggy", "fixed"])
    #expect(pair.allSatisfy { $0.category == .bugPattern && $0.propertyNames == ["paid-at-most-once"] })
    #expect(pair.allSatisfy { $0.callKinds == [.bestEffort] })
    // A fix that changes the call kind states it on its side only.
    let kinds = Spec.bugPattern(
        "X2-example", callKinds: [.guaranteed], properties: b4.properties, violates: "paid-at-most-once",
        buggy: .init(summary: "buggy", details: "the bug", configuration: b4.configuration),
        fixed: .init(summary: "fixed", details: "the fix", configuration: b4.configuration, callKinds: [.bestEffort]))
    #expect(kinds.map(\.callKinds) == [[.guaranteed], [.bestEffort]])
}

@Test func counterexampleStepsNameTheCallMethodAndRetry() throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: "B4-retry-without-dedup-buggy"))
    let text = try #require(SpecRunner(workers: 1, traceDirectory: nil).run(spec).traceText)
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(lines.contains("1. ingress #0 (pay to C0)"), "\(text)")
    #expect(lines.contains("2. deliver request C0#0 transfer(1 to account 2) C0→C1"), "\(text)")
    #expect(lines.contains("3. expire C0#0 transfer (SYS_UNKNOWN)"), "\(text)")
    // The retry, made in the callback of step 4, shows as a new call under that step.
    let callback = try #require(lines.firstIndex(of: "4. deliver response of C0#0 transfer"), "\(text)")
    #expect(lines[callback + 1] == "C0 calls C1 transfer(1 to account 2) as C0#1 (bestEffort)", "\(text)")
    #expect(lines.contains("5. deliver request C0#1 transfer(1 to account 2) C0→C1"), "\(text)")
    // A step names only the program-state fields it changed, not the whole states.
    let changes = lines.filter { $0.contains(" → ") && $0.hasPrefix("C") }
    #expect(!changes.isEmpty, "\(text)")
    #expect(changes.allSatisfy { !$0.contains("`{") }, "\(text)")
}
