import Foundation
import ICCore
import ModelChecking
import Testing
@testable import ReferenceExecutor

/// Property-based robustness of replay: hundreds of malformed and mutated versions of a real
/// trace (truncated, keys removed, types changed, huge numbers, deep nesting, a 10 MB string)
/// must each give an `invalid` (exit 2) or `diverged` (exit 1) report with a one-line message,
/// never a crash and never `reproduced`. A crash (stack overflow, overflow trap) kills the test
/// process, so the test fails by not finishing.

private func validTrace() throws -> Data {
    let run = try ICExecutor.record(Fixtures.reorderActions, configuration: Fixtures.configuration())
    return try run.traceFile(spec: "test-reorder", property: "responses-in-order").jsonData()
}

private func replay(_ data: Data) -> ReplayReport {
    Replayer.replay(data: data) { name, _ in
        name == "test-reorder" ? ICModel(name: name, configuration: Fixtures.configuration(), properties: [Fixtures.responsesInOrder]) : nil
    }
}

/// A path to a value inside a JSON document: object keys and array indices.
private enum Step { case key(String), index(Int) }

private func paths(in value: Any, prefix: [Step] = [], into result: inout [[Step]]) {
    result.append(prefix)
    if let object = value as? [String: Any] {
        for key in object.keys.sorted() { paths(in: object[key]!, prefix: prefix + [.key(key)], into: &result) }
    } else if let array = value as? [Any] {
        for (index, element) in array.enumerated() { paths(in: element, prefix: prefix + [.index(index)], into: &result) }
    }
}

/// `document` with the value at `path` replaced by `edit(value)` (`nil` removes it).
private func editing(_ document: Any, at path: ArraySlice<Step>, _ edit: (Any) -> Any?) -> Any? {
    guard let first = path.first else { return edit(document) }
    switch first {
    case .key(let key):
        guard var object = document as? [String: Any], let child = object[key] else { return document }
        object[key] = editing(child, at: path.dropFirst(), edit)
        return object
    case .index(let index):
        guard var array = document as? [Any], array.indices.contains(index) else { return document }
        if let replaced = editing(array[index], at: path.dropFirst(), edit) { array[index] = replaced } else { array.remove(at: index) }
        return array
    }
}

/// The mutations, each a function of the PRNG and the document's bytes.
private enum Mutation: CaseIterable {
    case truncate, removeKey, changeType, hugeNumber, deepNesting, badByte

    /// The mutated bytes; `nil` when the mutation would leave the value as it was.
    func apply(to data: Data, document: Any, paths: [[Step]], generator: inout Xoshiro256) -> Data? {
        let path = paths[generator.next(below: paths.count)]
        func serialized(_ edit: (Any) -> Any?) -> Data? {
            var unchanged = false
            let edited = editing(document, at: path[...]) { old in
                let new = edit(old)
                if let new, let a = new as? NSObject, let b = old as? NSObject, a.isEqual(b) { unchanged = true }
                return new
            } ?? [String: Any]()
            return unchanged ? nil : try? JSONSerialization.data(withJSONObject: edited, options: [.fragmentsAllowed])
        }
        func placeholder(_ replacement: String) -> Data? {
            guard let text = serialized({ _ in 7_777_777 }).map({ String(decoding: $0, as: UTF8.self) }) else { return nil }
            return Data(text.replacingOccurrences(of: "7777777", with: replacement).utf8)
        }
        switch self {
        case .truncate:
            return data.prefix(generator.next(below: data.count))
        case .removeKey:
            return path.isEmpty ? nil : serialized { _ in nil }
        case .changeType:
            let replacements: [Any] = ["text", 42, true, NSNull(), [1, 2], ["k": "v"], -1, 3.5]
            return serialized { _ in replacements[generator.next(below: replacements.count)] }
        case .hugeNumber:
            return placeholder(["99999999999999999999999999", "-99999999999999999999", "1e400", "9223372036854775808"][generator.next(below: 4)])
        case .deepNesting:
            let depth = [300, 10_000, 200_000][generator.next(below: 3)]
            return placeholder(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        case .badByte:
            var bytes = [UInt8](data)
            bytes[generator.next(below: bytes.count)] = [0x00, 0xFF][generator.next(below: 2)]
            return Data(bytes)
        }
    }
}

@Test func mutatedTracesAreInvalidOrDivergedNeverACrash() throws {
    let data = try validTrace()
    #expect(replay(data).outcome == .reproduced, "the unmutated trace must reproduce, or the mutations prove nothing")
    let document = try JSONSerialization.jsonObject(with: data)
    var allPaths: [[Step]] = []
    paths(in: document, into: &allPaths)
    // What replay depends on: the states (not their "#meta" index), the top-level keys, and the
    // spec and property names. Any change there must be refused or diverge.
    let essential = allPaths.filter { path in
        guard case .key(let top)? = path.first else { return false }
        if top == "states" { return !path.contains { if case .key("#meta") = $0 { true } else { false } } }
        if top == "#meta", path.count == 2, case .key(let key) = path[1] { return key == "spec" || key == "property" }
        return path.count == 1
    }
    var generator = Xoshiro256(seed: 2026)
    var outcomes: [ReplayReport.Outcome: Int] = [:]
    var tried = 0
    for round in 0..<600 {
        let mutation = Mutation.allCases[round % Mutation.allCases.count]
        guard let mutated = mutation.apply(to: data, document: document, paths: essential, generator: &generator) else { continue }
        tried += 1
        let report = replay(mutated)
        outcomes[report.outcome, default: 0] += 1
        #expect(report.exitCode == 1 || report.exitCode == 2, "\(mutation) round \(round): \(report.outcome) \(report.message.prefix(300))")
        #expect(!report.message.contains("\n"), "\(mutation): a multi-line message")
        #expect(report.message.count < 2000, "\(mutation): a message of \(report.message.count) characters")
        if mutation == .truncate || mutation == .deepNesting || mutation == .badByte {
            #expect(report.exitCode == 2, "\(mutation) round \(round): \(report.message.prefix(300))")
        }
    }
    // The mutations reach both kinds of failure: unreadable files and readable but wrong traces.
    #expect(tried > 400)
    #expect((outcomes[.invalid] ?? 0) > 100, "\(outcomes)")
    #expect((outcomes[.diverged] ?? 0) > 20, "\(outcomes)")
}

@Test func syntaxErrorsNameLineAndColumn() {
    let text = "{\n  \"#meta\": {\"spec\": \"test-reorder\"},\n  \"vars\": [1, 2,,]\n}"
    let report = replay(Data(text.utf8))
    #expect(report.outcome == .invalid)
    #expect(report.message.contains("line 3, column 17"), "\(report.message)")
    let truncated = replay(Data("{\"#meta\": {\"spec\": ".utf8))
    #expect(truncated.message.contains("line 1, column 20") && truncated.message.contains("end of the document"), "\(truncated.message)")
    let empty = replay(Data())
    #expect(empty.message.contains("empty"), "\(empty.message)")
}

@Test func deepNestingIsRefusedByDepthNotByTheStack() {
    let depth = 1_000_000
    let text = "{\"#meta\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
    let report = replay(Data(text.utf8))
    #expect(report.outcome == .invalid)
    #expect(report.message.contains("nesting deeper than \(JSONSyntax.maxDepth)"), "\(report.message)")
}

@Test func wrongTypesNameTheirJSONPath() throws {
    let data = try validTrace()
    var document = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    var states = document["states"] as! [[String: Any]]
    var action = states[2]["action"] as! [String: Any]
    let caseName = action.keys.first!
    action[caseName] = ["from": "zero"]
    states[2]["action"] = action
    document["states"] = states
    let report = replay(try JSONSerialization.data(withJSONObject: document))
    #expect(report.outcome == .invalid)
    #expect(report.message.contains("states[2].action"), "\(report.message)")
    var meta = document["#meta"] as! [String: Any]
    meta["faults"] = ["spontaneousRejects": "yes"]
    meta["controller"] = [String: Any]()
    document["#meta"] = meta
    let environment = replay(try JSONSerialization.data(withJSONObject: document))
    #expect(environment.message.contains("#meta.faults"), "\(environment.message)")
}

@Test func aTenMegabyteStringIsInvalidQuickly() throws {
    let data = try validTrace()
    var document = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    var meta = document["#meta"] as! [String: Any]
    meta["spec"] = String(repeating: "x", count: 10 << 20)
    document["#meta"] = meta
    let start = ContinuousClock.now
    let report = replay(try JSONSerialization.data(withJSONObject: document))
    #expect(report.outcome == .invalid)
    #expect(report.message.count < 1000, "the message must not echo the 10 MB name")
    #expect(ContinuousClock.now - start < .seconds(30))
}

@Test func aTruncatedTraceNamesTheLastStepsAction() throws {
    let data = try validTrace()
    var document = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    document["states"] = Array((document["states"] as! [Any]).prefix(3))
    let report = replay(try JSONSerialization.data(withJSONObject: document))
    #expect(report.outcome == .diverged)
    #expect(report.step == 2)
    #expect(!report.rendered.contains("(initial state)"), "\(report.rendered)")
    #expect(report.action != nil)
}
