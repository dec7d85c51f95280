import Foundation

extension LivenessCounterexample where System.State: Encodable {
    /// The run as an ITF-style JSON trace (Apalache's Informal Trace Format): `#meta.loop`
    /// is the index of the state the last state loops back to (absent for a finite run),
    /// `#meta.premise` the `leadsTo` premise state. Each state's fields become the ITF
    /// variables (a non-object state is stored under `"state"`); each non-initial state's
    /// `#meta.action` is the step's action.
    ///
    /// Integers are plain JSON numbers, not ITF `#bigint` objects.
    public func itf(model: String) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let decoder = JSONDecoder()
        var states: [JSONValue] = []
        var variables: [String] = []
        for (index, state) in self.states.enumerated() {
            let value = try decoder.decode(JSONValue.self, from: encoder.encode(state))
            var members: [String: JSONValue]
            if case .object(let fields) = value {
                members = fields
            } else {
                members = ["state": value]
            }
            if index == 0 { variables = members.keys.sorted() }
            var meta: [String: JSONValue] = ["index": .int(index)]
            if index > 0 { meta["action"] = .string(steps[index - 1].action.description) }
            members["#meta"] = .object(meta)
            states.append(.object(members))
        }
        var meta: [String: JSONValue] = [
            "format": .string("ITF"),
            "format-description": .string("https://apalache-mc.org/docs/adr/015adr-trace.html"),
            "source": .string(model),
            "description": .string(shape),
        ]
        if let loopIndex { meta["loop"] = .int(loopIndex) }
        if let premiseIndex { meta["premise"] = .int(premiseIndex) }
        return .object([
            "#meta": .object(meta),
            "vars": .array(variables.map(JSONValue.string)),
            "states": .array(states),
        ])
    }
}
