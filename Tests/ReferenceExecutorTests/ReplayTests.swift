import Foundation
import ICCore
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// Builds a trace of the B10 reordering run and returns its JSON.
private func reorderTrace(property: String = "responses-in-order") throws -> Data {
    let run = try ICExecutor.record(Fixtures.reorderActions, configuration: Fixtures.configuration())
    return try run.traceFile(spec: "test-reorder", property: property).jsonData()
}

private func replayer(options: ExecutorOptions = ExecutorOptions()) -> Replayer {
    Replayer(model: ICModel(name: "test-reorder", configuration: Fixtures.configuration(), properties: [Fixtures.responsesInOrder]), options: options)
}

/// Edits the trace document's JSON.
private func tamper(_ data: Data, _ edit: (inout [String: Any]) -> Void) throws -> Data {
    var document = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    edit(&document)
    return try JSONSerialization.data(withJSONObject: document)
}

@Test func ownTraceReplaysAndReproducesTheViolation() throws {
    let report = replayer().replay(data: try reorderTrace())
    #expect(report.outcome == .reproduced, "\(report.rendered)")
    #expect(report.exitCode == 0)
    #expect(report.matchedSteps == 5)
}

@Test func specIsResolvedFromMeta() throws {
    let data = try reorderTrace()
    let found = Replayer.replay(data: data, resolve: { name, _ in
        name == "test-reorder" ? ICModel(name: name, configuration: Fixtures.configuration(), properties: [Fixtures.responsesInOrder]) : nil
    })
    #expect(found.outcome == .reproduced)
    let unknown = Replayer.replay(data: data, resolve: { _, _ in nil })
    #expect(unknown.outcome == .invalid)
    #expect(unknown.message.contains("unknown spec"))
}

@Test func removedStepDiverges() throws {
    let data = try tamper(try reorderTrace()) { document in
        var states = document["states"] as! [[String: Any]]
        states.remove(at: 2)
        document["states"] = states
    }
    let report = replayer().replay(data: data)
    #expect(report.outcome == .diverged)
    #expect(report.step == 2)
    #expect(report.message.contains("step 2"))
}

@Test func swappedStepsDiverge() throws {
    let data = try tamper(try reorderTrace()) { document in
        var states = document["states"] as! [[String: Any]]
        states.swapAt(1, 2)
        document["states"] = states
    }
    let report = replayer().replay(data: data)
    #expect(report.outcome == .diverged)
    #expect(report.step == 1)
}

@Test func alteredStateValueDivergesAndNamesTheField() throws {
    let data = try tamper(try reorderTrace()) { document in
        var states = document["states"] as! [[String: Any]]
        states[3]["now"] = 7
        document["states"] = states
    }
    let report = replayer().replay(data: data)
    #expect(report.outcome == .diverged)
    #expect(report.step == 3)
    #expect(report.differences.map(\.field) == ["now"])
    #expect(report.rendered.contains("≠ now"))
}

@Test func unknownActionIsInvalid() throws {
    let data = try tamper(try reorderTrace()) { document in
        var states = document["states"] as! [[String: Any]]
        states[4]["action"] = ["teleport": ["call": 3]]
        document["states"] = states
    }
    let report = replayer().replay(data: data)
    #expect(report.outcome == .invalid)
    #expect(report.exitCode == 2)
    #expect(report.step == 4)
    #expect(report.message.contains("step 4"))
}

@Test func malformedJSONAndMissingKeysAreInvalid() throws {
    let text = String(decoding: try reorderTrace(), as: UTF8.self)
    let truncated = replayer().replay(data: Data(text.prefix(200).utf8))
    #expect(truncated.outcome == .invalid)
    #expect(truncated.message.contains("not valid JSON"))
    let missing = try tamper(try reorderTrace()) { document in
        var states = document["states"] as! [[String: Any]]
        states[2]["history"] = nil
        document["states"] = states
    }
    let report = replayer().replay(data: missing)
    #expect(report.outcome == .invalid)
    #expect(report.message.contains("states[2]"))
}

@Test func traceOfAnotherModelIsInvalid() throws {
    let data = try tamper(try reorderTrace()) { document in
        document["vars"] = ["counter"]
        document["states"] = [["counter": 0, "action": NSNull()], ["counter": 1, "action": "inc"]]
    }
    let report = replayer().replay(data: data)
    #expect(report.outcome == .invalid)
    #expect(report.message.contains("another model"))
}

@Test func propertyThatHoldsIsADivergence() throws {
    let run = try ICExecutor.record(Array(Fixtures.reorderActions.prefix(3)), configuration: Fixtures.configuration())
    let data = try run.traceFile(spec: "test", property: "responses-in-order").jsonData()
    let report = replayer().replay(data: data)
    #expect(report.outcome == .diverged)
    #expect(report.message.contains("holds"))
}

@Test func sendOrderExecutorDivergesAtTheReorderedStep() throws {
    let report = replayer(options: ExecutorOptions(responsesInSendOrderOnly: true)).replay(data: try reorderTrace())
    #expect(report.outcome == .diverged)
    #expect(report.step == 4)
    #expect(report.message.contains("send-order"))
}

@Test func lassoMustClose() throws {
    var file = try TraceFile(jsonData: try reorderTrace())
    file.meta["loop"] = .int(1)
    let report = replayer().replay(file)
    #expect(report.outcome == .diverged)
    #expect(report.message.contains("loop"))
}

@Test func choicesMustFitTheStep() throws {
    var executor = ICExecutor(configuration: Fixtures.configuration())
    #expect(throws: ExecutorError.self) { try executor.perform(.ingress(slot: 0, choices: [1], trap: false)) }
    #expect(throws: ExecutorError.self) { try executor.perform(.deliverRequest(from: 0, to: 1, choices: [], trap: false)) }
    try executor.perform(.ingress(slot: 0, choices: [], trap: false))
    #expect(executor.state.pendingRequests(from: 0, to: 1).count == 1)
}
