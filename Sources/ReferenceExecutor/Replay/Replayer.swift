import Foundation
import ICCore
import ModelChecking

/// Replays a trace (docs/trace-format.md) on the reference executor: performs every action,
/// compares the executor's `ObservableState` with the trace's state after every step, and at
/// the end confirms the named property is violated by the executor's own state (and, for a
/// lasso, that the last state equals the loop state).
public struct Replayer: Sendable {
    /// The spec the trace claims to be a run of: configuration, safety properties (confirmed
    /// violated in the final state) and liveness properties (whose goal must fail on the loop).
    public let model: ICModel
    public let options: ExecutorOptions

    public init(model: ICModel, options: ExecutorOptions = ExecutorOptions()) {
        self.model = model
        self.options = options
    }

    /// The longest spec name a trace may give (names are identifiers; a longer one is refused
    /// before any lookup compares it with the catalogue's names).
    public static let maxNameLength = 200

    /// The state fields every IC trace has (the fields of `ObservableState`).
    public static let stateFields = ["callbacks", "canisters", "contexts", "history", "lostCycles", "now", "queues", "responses"]

    /// Reads and replays a trace document, rebuilding its model with `resolve` from the spec name
    /// and the parameter values in its `#meta` (`spec` or `model`, and `parameters`). `resolve`
    /// returns `nil` for a name it does not know and throws for parameters the spec rejects;
    /// both make the report `invalid`.
    public static func replay(
        data: Data, options: ExecutorOptions = ExecutorOptions(),
        resolve: (_ name: String, _ parameters: [String: Int]) throws -> ICModel?
    ) -> ReplayReport {
        let parsed = parse(data)
        guard let file = parsed.file else { return parsed.invalid ?? invalid("unreadable trace") }
        let candidates = ["spec", "model"].compactMap { key -> String? in
            if case .string(let name) = file.meta[key] { return name }
            return nil
        }
        guard !candidates.isEmpty else { return invalid("#meta names no spec (keys \"spec\" or \"model\")", step: nil) }
        if let long = candidates.first(where: { $0.count > maxNameLength }) {
            return invalid("#meta names a spec of \(long.count) characters, longer than any spec name (\(maxNameLength))", step: nil)
        }
        var parameters: [String: Int] = [:]
        if let recorded = file.meta["parameters"] {
            guard case .object(let fields) = recorded else { return invalid("#meta.parameters is not an object", step: nil) }
            for (name, value) in fields {
                guard case .int(let number) = value else { return invalid("#meta.parameters.\(name.prefix(100)) is not an integer", step: nil) }
                parameters[name] = number
            }
        }
        do {
            for name in candidates {
                guard let model = try resolve(name, parameters) else { continue }
                return Replayer(model: model, options: options).replay(file, specName: name)
            }
        } catch {
            return invalid("\(error)", step: nil)
        }
        return invalid("unknown spec \"\(candidates[0])\": not in the spec catalogue", step: nil)
    }

    /// Replays a trace document (JSON bytes).
    public func replay(data: Data) -> ReplayReport {
        let parsed = Self.parse(data)
        guard let file = parsed.file else { return parsed.invalid ?? Self.invalid("unreadable trace") }
        return replay(file, specName: nil)
    }

    /// The trace document in `data`, or the invalid report: a syntax error by line and column
    /// (checked first, without recursion, so deep nesting cannot exhaust the stack), a missing
    /// or mistyped field by its JSON path.
    static func parse(_ data: Data) -> (file: TraceFile?, invalid: ReplayReport?) {
        if let syntax = JSONSyntax.firstError(in: data) { return (nil, invalid("trace file is not valid JSON: \(syntax)")) }
        do {
            return (try TraceFile(jsonData: data), nil)
        } catch let error as TraceFileError {
            if case .notJSON = error { return (nil, invalid("trace file: the JSON could not be decoded (invalid UTF-8, or a number beyond 64-bit integers)")) }
            return (nil, invalid(error.description))
        } catch {
            return (nil, invalid(DecodingErrorPath.describe(error, at: "trace file")))
        }
    }

    /// Replays a parsed trace.
    public func replay(_ file: TraceFile, specName: String? = nil) -> ReplayReport {
        let spec = specName ?? { if case .string(let s) = file.meta["spec"] ?? file.meta["model"] { return s } else { return nil } }()
        let propertyName = file.property
        let steps = max(file.states.count - 1, 0)
        func report(_ outcome: ReplayReport.Outcome, _ message: String, matched: Int, step: Int?, action: String? = nil,
                    differences: [ReplayReport.FieldDifference] = []) -> ReplayReport {
            ReplayReport(outcome: outcome, message: message, spec: spec, property: propertyName, steps: steps,
                         matchedSteps: matched, step: step, action: action, differences: differences)
        }
        guard !file.states.isEmpty else { return report(.invalid, "the trace has no states", matched: 0, step: nil) }
        let missing = Self.stateFields.filter { !file.vars.contains($0) }
        guard missing.isEmpty else {
            return report(.invalid, "not an IC messaging trace: vars lack \(missing.joined(separator: ", ")) (a trace of another model?)",
                          matched: 0, step: nil)
        }
        let property = propertyName.flatMap { name in model.properties.first { $0.name == name } }
        let goal = propertyName.flatMap { name in model.livenessProperties.first { $0.name == name } }
        guard let propertyName else { return report(.invalid, "#meta has no \"property\"", matched: 0, step: nil) }
        if property == nil && goal == nil {
            let known = model.propertyNames.joined(separator: ", ")
            return report(.invalid, "unknown property \"\(propertyName.prefix(200))\" (the spec has: \(known.isEmpty ? "none" : known))",
                          matched: 0, step: nil)
        }
        let environment: TraceEnvironment?
        do {
            environment = try Self.environment(from: file.meta)
        } catch {
            return report(.invalid, "\(error)", matched: 0, step: nil)
        }
        var executor = ICExecutor(
            configuration: ICExecutor.configuration(model.configuration, with: environment), options: options,
            monitors: MonitorStates(properties: property.map { [$0] } ?? []))
        // A run starts in its initial state: an action there would be ignored, so it is refused.
        if let first = file.actions.first, first != .null {
            return report(.invalid, "the initial state has an action: \(first.compactDescription.prefix(200))", matched: 0, step: 0)
        }
        if let differences = Self.compare(executor.observableState, with: file.states[0]) {
            return report(.diverged, "the initial state differs", matched: 0, step: 0, differences: differences)
        }
        var goalHolds: [Bool] = [goal?.goal(executor.state) ?? false]
        var performed: [String] = []  // performed[i - 1] is step i's action
        for index in 1..<file.states.count {
            let actionJSON = index < file.actions.count ? file.actions[index] : .null
            guard actionJSON != .null else { return report(.invalid, "step \(index) has no action", matched: index - 1, step: index) }
            let action: ICAction
            do {
                action = try JSONDecoder().decode(ICAction.self, from: JSONEncoder().encode(actionJSON))
            } catch {
                let where_ = DecodingErrorPath.describe(error, at: "states[\(index)].action")
                return report(.invalid, "step \(index): unknown or malformed action (\(where_)): \(actionJSON.compactDescription.prefix(200))",
                              matched: index - 1, step: index, action: String(actionJSON.compactDescription.prefix(200)))
            }
            do {
                try executor.perform(action)
            } catch {
                let differences = Self.compare(executor.observableState, with: file.states[index]) ?? []
                return report(.diverged, "step \(index) (\(action)): \(error)", matched: index - 1, step: index,
                              action: action.description, differences: differences)
            }
            if let differences = Self.compare(executor.observableState, with: file.states[index]) {
                let fields = differences.map(\.field).joined(separator: ", ")
                return report(.diverged, "step \(index) (\(action)): states differ in \(fields)", matched: index - 1,
                              step: index, action: action.description, differences: differences)
            }
            goalHolds.append(goal?.goal(executor.state) ?? false)
            performed.append(action.description)
        }
        if let loop = file.loopIndex {
            let last = file.states[file.states.count - 1]
            // Alike up to call numbers, unread history and (relative time) a clock shift:
            // see `LassoClosure`.
            let alike = goal.map {
                LassoClosure.closes(last, file.states[loop], observes: $0.observes, relativeTime: model.relativeTime)
            } ?? false
            if !alike, let differences = Self.compare(last, file.states[loop]) {
                return report(.diverged, "lasso: the last state is not the state at loop index \(loop)", matched: steps,
                              step: steps, action: performed.last, differences: differences)
            }
        }
        if let property, property.holds(executor.state) {
            return report(.diverged, "all \(steps) steps match, but \(property.name) holds in the executor's final state",
                          matched: steps, step: steps, action: performed.last)
        }
        if let goal {
            let from = file.loopIndex ?? steps
            if let reached = (from...steps).first(where: { goalHolds[$0] }) {
                return report(.diverged, "all \(steps) steps match, but the goal of \(goal.name) holds in state \(reached)",
                              matched: steps, step: reached, action: reached > 0 ? performed[reached - 1] : nil)
            }
        }
        let verdict: String
        if property != nil {
            verdict = "\(propertyName) is violated"
        } else if let loop = file.loopIndex {
            verdict = "the lasso closes at state \(loop) and the goal of \(propertyName) fails on the loop"
        } else {
            verdict = "the goal of \(propertyName) fails in the final state (finite run: termination not re-checked)"
        }
        return report(.reproduced, "all \(steps) steps match and \(verdict)", matched: steps, step: nil)
    }

    /// The report for a trace that cannot be replayed at all (unreadable, or not an IC trace).
    public static func invalid(_ message: String, step: Int? = nil) -> ReplayReport {
        ReplayReport(outcome: .invalid, message: message, spec: nil, property: nil, steps: 0, matchedSteps: 0,
                     step: step, action: nil, differences: [])
    }

    static func environment(from meta: [String: JSONValue]) throws -> TraceEnvironment? {
        guard let faults = meta["faults"], let controller = meta["controller"] else { return nil }
        let decoder = JSONDecoder()
        var maxTime: Time?
        if let value = meta["maxTime"] {
            guard case .int(let time) = value else { throw TraceFileError.wrongType(path: "#meta.maxTime", expected: "an integer") }
            maxTime = time
        }
        func decode<Value: Decodable>(_ type: Value.Type, _ value: JSONValue, at path: String) throws -> Value {
            do {
                return try decoder.decode(type, from: JSONEncoder().encode(value))
            } catch {
                throw TraceFileError.wrongType(path: path, expected: "well-formed (\(DecodingErrorPath.describe(error, at: path)))")
            }
        }
        return TraceEnvironment(
            faults: try decode(FaultSwitches.self, faults, at: "#meta.faults"),
            controller: try decode(ControllerActions.self, controller, at: "#meta.controller"),
            maxTime: maxTime
        )
    }

    /// The differing `ObservableState` fields, or nil when equal.
    static func compare(_ mine: ObservableState, with theirs: [String: JSONValue]) -> [ReplayReport.FieldDifference]? {
        guard case .object(let fields) = JSONValue(encoding: mine) else { return nil }
        return compare(fields, theirs)
    }

    static func compare(_ mine: [String: JSONValue], _ theirs: [String: JSONValue]) -> [ReplayReport.FieldDifference]? {
        let differences = stateFields.compactMap { field -> ReplayReport.FieldDifference? in
            let left = mine[field] ?? .null
            let right = theirs[field] ?? .null
            guard left != right else { return nil }
            return ReplayReport.FieldDifference(field: field, paths: JSONDiff.paths(left, right, at: field), executor: left, trace: right)
        }
        return differences.isEmpty ? nil : differences
    }
}
