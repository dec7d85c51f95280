import Foundation

extension LivenessCounterexample {
    /// The run as an engine `TraceFile` (ITF layout): `#meta.loop` is the state the last state
    /// loops back to (absent for a finite run), `#meta.premise` the `leadsTo` premise state,
    /// `#meta.description` the run's shape.
    public func traceFile(property: String, source: String = "icmc-liveness") throws -> TraceFile {
        var file = try trace.traceFile(property: property, source: source, description: "\(property): \(shape)")
        if let premiseIndex { file.meta["premise"] = .int(premiseIndex) }
        return file
    }

    /// The run as ITF JSON, in the engine's trace format (see `traceFile(property:source:)`).
    public func itfJSON(property: String, source: String = "icmc-liveness") throws -> Data {
        try traceFile(property: property, source: source).jsonData()
    }
}
