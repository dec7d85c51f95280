import Foundation

/// Errors in exporting or reading an ITF trace.
public enum TraceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not JSON.
    case notJSON(String)
    /// A required key is missing; `path` locates the enclosing object, e.g. `states[2]`.
    case missingKey(String, path: String)
    /// A value has the wrong JSON type.
    case wrongType(path: String, expected: String)
    /// A state field's name clashes with a key the ITF layout reserves (`#meta`, `action`).
    case reservedVariable(String)

    public var description: String {
        switch self {
        case .notJSON(let detail): "trace file is not valid JSON: \(detail)"
        case .missingKey(let key, let path): "trace file: \(path) has no key \"\(key)\""
        case .wrongType(let path, let expected): "trace file: \(path) must be \(expected)"
        case .reservedVariable(let name): "trace export: state field \"\(name)\" clashes with a reserved ITF key"
        }
    }
}

extension Trace {
    /// The trace as ITF JSON (Apalache's Informal Trace Format layout):
    /// `{"#meta": {format, source, model, property, description, loop?, premise?}, "vars": [...],
    ///   "states": [{"#meta": {"index": i}, <var>: <value>..., "action": <action or null>}]}`.
    ///
    /// Variables are the fields of the system's `TraceState` (sorted); `action` holds the JSON
    /// of the action that led to the state (its description if not `Encodable`), `null` for the
    /// initial state. Output is deterministic (sorted keys).
    public func itfJSON(property: String, source: String = "icmc-explicit", description: String? = nil) throws -> Data {
        let file = try traceFile(property: property, source: source, description: description)
        return try file.jsonData()
    }

    /// The trace as a `TraceFile` (see `itfJSON`).
    public func traceFile(property: String, source: String = "icmc-explicit", description: String? = nil) throws -> TraceFile {
        var stateObjects: [[String: JSONValue]] = []
        let actions: [JSONValue] = [.null] + steps.map { TraceJSON.action($0.action) }
        for state in states {
            let value = try TraceJSON.encode(system.traceState(of: state))
            guard case .object(let fields) = value else {
                stateObjects.append(["state": value])
                continue
            }
            for reserved in ["#meta", "action"] where fields[reserved] != nil {
                throw TraceFileError.reservedVariable(reserved)
            }
            stateObjects.append(fields)
        }
        var vars: Set<String> = []
        for fields in stateObjects { vars.formUnion(fields.keys) }
        var meta: [String: JSONValue] = [
            "format": .string("ITF"),
            "format-description": .string("https://apalache-mc.org/docs/adr/015adr-trace.html"),
            "source": .string(source),
            "model": .string(system.name),
            "property": .string(property),
            "description": .string(description ?? "\(property) on \(system.name): \(length) steps"),
        ]
        if let loopIndex { meta["loop"] = .int(loopIndex) }
        if let premiseIndex { meta["premise"] = .int(premiseIndex) }
        return TraceFile(meta: meta, vars: vars.sorted(), states: stateObjects, actions: actions)
    }
}

/// An ITF trace as plain JSON data, independent of any Swift model type: what other tools
/// (e.g. the reference executor's replay) read.
public struct TraceFile: Sendable, Hashable {
    /// The top-level `#meta` object.
    public var meta: [String: JSONValue]
    /// Variable names, as listed in `vars`.
    public var vars: [String]
    /// Per state, its variables (without `#meta` and `action`).
    public var states: [[String: JSONValue]]
    /// Per state, the action that led to it; `.null` for the initial state.
    public var actions: [JSONValue]

    public init(meta: [String: JSONValue], vars: [String], states: [[String: JSONValue]], actions: [JSONValue]) {
        self.meta = meta
        self.vars = vars
        self.states = states
        self.actions = actions
    }

    /// The lasso's loop index from `#meta.loop`, if any.
    public var loopIndex: Int? {
        if case .int(let index) = meta["loop"] { return index }
        return nil
    }

    /// The property named in `#meta.property`, if any.
    public var property: String? {
        if case .string(let name) = meta["property"] { return name }
        return nil
    }

    /// The ITF JSON document (sorted keys, pretty-printed).
    public func jsonData() throws -> Data {
        var stateValues: [JSONValue] = []
        for (index, fields) in states.enumerated() {
            var object = fields
            object["#meta"] = .object(["index": .int(index)])
            object["action"] = index < actions.count ? actions[index] : .null
            stateValues.append(.object(object))
        }
        let document: JSONValue = .object([
            "#meta": .object(meta),
            "vars": .array(vars.map(JSONValue.string)),
            "states": .array(stateValues),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }

    /// Reads an ITF document; throws `TraceFileError` naming the offending key or path.
    public init(jsonData data: Data) throws {
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw TraceFileError.notJSON(String(describing: error))
        }
        guard case .object(let top) = document else {
            throw TraceFileError.wrongType(path: "the document", expected: "an object")
        }
        guard let metaValue = top["#meta"] else { throw TraceFileError.missingKey("#meta", path: "the document") }
        guard case .object(let meta) = metaValue else {
            throw TraceFileError.wrongType(path: "#meta", expected: "an object")
        }
        guard let varsValue = top["vars"] else { throw TraceFileError.missingKey("vars", path: "the document") }
        guard case .array(let varList) = varsValue else {
            throw TraceFileError.wrongType(path: "vars", expected: "an array of strings")
        }
        var vars: [String] = []
        for (index, value) in varList.enumerated() {
            guard case .string(let name) = value else {
                throw TraceFileError.wrongType(path: "vars[\(index)]", expected: "a string")
            }
            vars.append(name)
        }
        guard let statesValue = top["states"] else { throw TraceFileError.missingKey("states", path: "the document") }
        guard case .array(let stateList) = statesValue else {
            throw TraceFileError.wrongType(path: "states", expected: "an array of objects")
        }
        var states: [[String: JSONValue]] = []
        var actions: [JSONValue] = []
        for (index, value) in stateList.enumerated() {
            let path = "states[\(index)]"
            guard case .object(var fields) = value else {
                throw TraceFileError.wrongType(path: path, expected: "an object")
            }
            if let stateMeta = fields.removeValue(forKey: "#meta") {
                guard case .object = stateMeta else {
                    throw TraceFileError.wrongType(path: path + ".#meta", expected: "an object")
                }
            }
            actions.append(fields.removeValue(forKey: "action") ?? .null)
            for name in vars where fields[name] == nil {
                throw TraceFileError.missingKey(name, path: path)
            }
            states.append(fields)
        }
        if case .some(let loop) = meta["loop"] {
            guard case .int(let index) = loop, index >= 0, index < max(states.count, 1) else {
                throw TraceFileError.wrongType(path: "#meta.loop", expected: "a state index")
            }
        }
        self.init(meta: meta, vars: vars, states: states, actions: actions)
    }
}
