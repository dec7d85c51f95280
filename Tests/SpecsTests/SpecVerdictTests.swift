import Foundation
import ICCore
import ICMessaging
import ICSpec
import ModelChecking
import Testing
@testable import Specs

/// Every spec of the library, the large P specs (≈53k states, several seconds each in a debug
/// build) included.
let allSpecNames = SpecCatalog.builtInSmall.specs.map(\.name)

@Test func libraryNamesAreUniqueAndDescribed() {
    let names = SpecCatalog.builtInSmall.specs.map(\.name)
    #expect(Set(names).count == names.count)
    for spec in SpecCatalog.builtInSmall.specs {
        #expect(!spec.summary.isEmpty && !spec.summary.contains("\n"), "\(spec.name): summary must be one line")
        #expect(spec.details.count > 80, "\(spec.name): details too short")
        if let property = spec.expectation.violatedProperty {
            #expect(spec.propertyNames.contains(property), "\(spec.name) expects an unknown property \(property)")
        }
    }
}

@Test func nearNamesSuggestSpecs() {
    #expect(SpecCatalog.builtInSmall.spec(named: "no-such-spec") == nil)
    #expect(SpecCatalog.builtInSmall.names(near: "B1-reentrancy").contains("B1-reentrancy-buggy"))
    #expect(SpecCatalog.builtInSmall.names(near: "P3-request-ordr").contains("P3-request-order"))
}

@Test(arguments: allSpecNames)
func verdictIsAsExpected(name: String) throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
    let (result, counterexample) = SpecRunner(workers: 2, traceDirectory: nil).check(spec)
    #expect(result.asExpected, "\(name): expected \(spec.expectation), got \(result.verdict)")
    guard let wanted = spec.expectation.violatedProperty else {
        #expect(counterexample == nil)
        return
    }
    let trace = try #require(counterexample)
    #expect(trace.property == wanted)
    #expect(result.traceLength == trace.trace.length)
    if let property = spec.properties.first(where: { $0.name == wanted }) {
        // Safety: the trace ends in a violating state, and no shorter trace exists.
        #expect(!property.holds(trace.trace.finalState))
        #expect(trace.trace.states.dropLast().allSatisfy { property.holds($0) })
        let shorter = SpecRunner(workers: 2, traceDirectory: nil, maxDepthOverride: trace.trace.length - 1)
        var single = spec
        single.properties = [property]
        single.livenessProperties = []
        let bounded = shorter.check(single)
        #expect(bounded.result.violatedProperties.isEmpty, "\(name): a shorter counterexample exists")
    } else {
        // Liveness: the run is a lasso, or ends where nothing is enabled, without the goal.
        let claim = try #require(spec.livenessProperties.first { $0.name == wanted })
        #expect(!claim.goal(trace.trace.finalState))
        let loop = try #require(trace.trace.loopIndex, "\(name): a liveness counterexample is a lasso")
        if loop == trace.trace.length {
            // A stuttering lasso: the run ends where no step is enabled.
            #expect(SpecSystem(spec: spec).successors(of: trace.trace.finalState).isEmpty)
        } else {
            // The last state is the loop state up to what the search does not store: history the
            // claim does not read, call numbers and the clock under the spec's reductions.
            let system = SpecSystem(spec: spec)
            func stored(_ state: ICState) -> ICState {
                var kept = state
                if claim.observes.isEmpty { kept.history = CallHistory() }
                return system.representative(kept)
            }
            #expect(stored(trace.trace.finalState) == stored(trace.trace.states[loop]))
        }
    }
}

@Test func savedTraceCarriesTheSpecName() throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: "B1-reentrancy-buggy"))
    let directory = NSTemporaryDirectory() + "specs-tests-\(UInt32.random(in: 0 ... .max))"
    let result = SpecRunner(workers: 1, traceDirectory: directory).run(spec)
    let path = try #require(result.tracePath)
    let file = try TraceFile(jsonData: try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(file.meta["spec"] == .string("B1-reentrancy-buggy"))
    #expect(file.meta["model"] == .string("B1-reentrancy-buggy"))
    #expect(file.states.count == (result.traceLength ?? -1) + 1)
    let json = result.json
    #expect(Set(json.keys) == ["name", "expected", "verdict", "distinct", "transitions", "seconds", "traceLength", "trace"])
}

@Test func stateLimitIsNeverHolds() throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: "B1-reentrancy-fixed"))
    var limited = spec
    limited.maxStates = 10
    let result = SpecRunner(workers: 1, traceDirectory: nil).run(limited)
    #expect(!result.asExpected)
    if case .incomplete = result.verdict {} else { Issue.record("expected incomplete, got \(result.verdict)") }
}

/// Under the replica's anonymous refunds, B5's fix cannot keep exact books: the refund of a shed
/// request arrives after the callback booked the cycles as spent (what the spec's details say).
@Test func replicaRefundsBreakExactCycleBooks() {
    let spec = Spec(
        name: "B5-exact-books-under-replica", summary: "B5's exact books under the replica.",
        details: "B5's fixed program and exact-books claim, with the replica's anonymous refunds of dropped cycles.",
        category: .bugPattern, callKinds: [.bestEffort], configuration: B05.configuration(fixed: true, refunds: .replica),
        properties: [B05.booksMatchBalance], expectation: .violated(property: "cycle-books-match-balance"))
    let (result, _) = SpecRunner(workers: 1, traceDirectory: nil).check(spec)
    #expect(result.asExpected, "got \(result.verdict)")
}
