import Foundation
import Testing
@testable import ModelChecking

@Suite struct TraceTests {
    private func jugsWitness() throws -> Trace<Jugs> {
        let result = Checker(Jugs(), options: CheckerOptions(workers: 1, progressInterval: nil)).run()
        return try #require(result.verdict(named: "notFour")?.status.trace)
    }

    @Test func renderListsNumberedStepsWithChangedFields() throws {
        let trace = try jugsWitness()
        let text = trace.render()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "0. initial state")
        #expect(lines.contains("   big = 0"))
        #expect(lines.contains("   small = 0"))
        #expect(lines.contains { $0.hasPrefix("1. fill") })
        #expect(lines.contains { $0.hasPrefix("6. ") })
        #expect(lines.contains("   big: 3 -> 4") || lines.contains { $0.hasSuffix("-> 4") && $0.contains("big") })
        // Unchanged fields are not repeated in steps.
        let stepLines = lines.drop { !$0.hasPrefix("1. ") }.dropFirst()
        #expect(stepLines.allSatisfy { !$0.hasPrefix("   ") || $0.contains("->") || !$0.hasPrefix("  ") || $0.hasPrefix("   ") })
        #expect(!stepLines.contains { $0.contains(" = ") })
    }

    @Test func renderOfNonEncodableStatePrintsWholeState() throws {
        let result = Checker(TokenCounters(counters: 2, modulus: 3, bound: 2), options: CheckerOptions(workers: 1, progressInterval: nil)).run()
        let trace = try #require(result.verdict(named: "sumBelowBound")?.status.trace)
        #expect(trace.length == 2)
        let text = trace.render()
        // An Encodable state that is not an object is printed whole at every step.
        #expect(text == "0. initial state\n   [0,0]\n1. inc0\n   [1,0]\n2. inc0\n   [2,0]")
    }

    @Test func nonEncodableStatesUseTheirDescription() throws {
        let result = Checker(Opaque(), options: CheckerOptions(workers: 1, progressInterval: nil)).run()
        let trace = try #require(result.verdict(named: "small")?.status.trace)
        #expect(trace.render() == "0. initial state\n   state = \"Box(n: 0)\"\n1. grow\n   state: \"Box(n: 0)\" -> \"Box(n: 1)\"")
        let file = try TraceFile(jsonData: trace.itfJSON(property: "small"))
        #expect(file.vars == ["state"])
        #expect(file.states[1] == ["state": .string("Box(n: 1)")])
    }

    @Test func itfRoundTrip() throws {
        let trace = try jugsWitness()
        let data = try trace.itfJSON(property: "notFour", source: "icmc-explicit")
        let file = try TraceFile(jsonData: data)
        #expect(file.meta["format"] == .string("ITF"))
        #expect(file.meta["source"] == .string("icmc-explicit"))
        #expect(file.meta["model"] == .string("jugs"))
        #expect(file.property == "notFour")
        #expect(file.loopIndex == nil)
        #expect(file.vars == ["big", "small"])
        #expect(file.states.count == trace.length + 1)
        for (index, state) in trace.states.enumerated() {
            #expect(file.states[index] == ["big": .int(state.big), "small": .int(state.small)])
        }
        #expect(file.actions[0] == .null)
        #expect(file.actions.dropFirst() == trace.steps.map { JSONValue.string($0.action) }[...])
        // Writing the file again gives the same bytes (deterministic output).
        #expect(try file.jsonData() == data)
        // The raw layout: #meta index per state and the action key.
        let raw = try JSONDecoder().decode(JSONValue.self, from: data)
        guard case .array(let states) = raw["states"] else {
            Issue.record("states must be an array")
            return
        }
        #expect(states[2]["#meta"] == .object(["index": .int(2)]))
        #expect(states[0]["action"] == .null)
    }

    @Test func itfLassoAndEncodableActions() throws {
        let start = Grid.State(x: 0, y: 0)
        let trace = Trace<Grid>(
            system: Grid(width: 3, height: 3, allDirections: true), initialState: start,
            steps: [.init(action: .right, state: .init(x: 1, y: 0)), .init(action: .left, state: start)], loopIndex: 0)
        let file = try TraceFile(jsonData: trace.itfJSON(property: "live", source: "icmc-liveness"))
        #expect(file.loopIndex == 0)
        #expect(file.actions == [.null, .string("right"), .string("left")])
        #expect(trace.render().contains("back to state 0"))
    }

    @Test func malformedTraceFilesGiveClearErrors() {
        func error(_ text: String) -> TraceFileError? {
            do {
                _ = try TraceFile(jsonData: Data(text.utf8))
                return nil
            } catch let error as TraceFileError {
                return error
            } catch {
                return nil
            }
        }
        #expect(error("not json")?.description.contains("not valid JSON") == true)
        #expect(error("[]") == .wrongType(path: "the document", expected: "an object"))
        #expect(error(##"{"vars": [], "states": []}"##) == .missingKey("#meta", path: "the document"))
        #expect(error(##"{"#meta": {}, "states": []}"##) == .missingKey("vars", path: "the document"))
        #expect(error(##"{"#meta": {}, "vars": [1], "states": []}"##) == .wrongType(path: "vars[0]", expected: "a string"))
        #expect(error(##"{"#meta": {}, "vars": ["x"]}"##) == .missingKey("states", path: "the document"))
        #expect(error(##"{"#meta": {}, "vars": ["x"], "states": [{"y": 1}]}"##) == .missingKey("x", path: "states[0]"))
        #expect(error(##"{"#meta": {}, "vars": ["x"], "states": [3]}"##) == .wrongType(path: "states[0]", expected: "an object"))
        #expect(error(##"{"#meta": {"loop": 5}, "vars": ["x"], "states": [{"x": 1}]}"##) == .wrongType(path: "#meta.loop", expected: "a state index"))
        #expect(error(##"{"#meta": {}, "vars": ["x"], "states": [{"x": 1, "action": null}]}"##) == nil)
    }
}

/// A model whose state is not Encodable.
private struct Opaque: TransitionSystem {
    struct Box: Hashable, Sendable, Fingerprintable {
        var n: Int
        func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(n) }
    }
    var name: String { "opaque" }
    var initialStates: [Box] { [Box(n: 0)] }
    func forEachSuccessor(of state: Box, _ body: (String, Box) -> Void) {
        if state.n < 3 { body("grow", Box(n: state.n + 1)) }
    }
    var properties: [Property<Box>] { [.always("small") { $0.n < 1 }] }
}
