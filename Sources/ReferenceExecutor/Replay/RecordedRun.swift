import Foundation
import ICCore
import ModelChecking

/// A run of the executor as a trace: the initial observable state and each step with the state
/// it led to. Written in the ITF layout that replay reads (docs/trace-format.md).
public struct RecordedRun: Sendable {
    public var initialState: ObservableState
    public var steps: [(action: ICAction, state: ObservableState)] = []

    public init(initialState: ObservableState) { self.initialState = initialState }

    public var states: [ObservableState] { [initialState] + steps.map(\.state) }

    /// The run as an ITF trace file.
    /// - Parameters:
    ///   - spec: the spec name; written as `#meta.spec` and `#meta.model`.
    ///   - parameters: the spec's parameter values (`#meta.parameters`, when there are any).
    ///   - property: the property the trace violates (`#meta.property`).
    ///   - loop: for a lasso, the index of the state the last state returns to.
    ///   - environment: overrides of the spec's environment the run used (`#meta.faults`,
    ///     `#meta.controller`), needed to replay simulated runs with injected faults.
    public func traceFile(
        spec: String, parameters: [String: Int] = [:], property: String, source: String = "icmc-reference-executor", loop: Int? = nil,
        environment: TraceEnvironment? = nil, description: String? = nil
    ) -> TraceFile {
        let stateObjects: [[String: JSONValue]] = states.map { state in
            if case .object(let fields) = JSONValue(encoding: state) { return fields }
            return [:]
        }
        var meta: [String: JSONValue] = [
            "format": .string("ITF"),
            "format-description": .string("https://apalache-mc.org/docs/adr/015adr-trace.html"),
            "source": .string(source),
            "model": .string(spec),
            "spec": .string(spec),
            "property": .string(property),
            "description": .string(description ?? "\(property) on \(spec): \(steps.count) steps"),
        ]
        if let loop { meta["loop"] = .int(loop) }
        if !parameters.isEmpty { meta["parameters"] = .object(parameters.mapValues { .int($0) }) }
        if let environment {
            meta["faults"] = JSONValue(encoding: environment.faults)
            meta["controller"] = JSONValue(encoding: environment.controller)
            if let maxTime = environment.maxTime { meta["maxTime"] = .int(maxTime) }
        }
        let vars = Set(stateObjects.flatMap(\.keys)).sorted()
        let actions: [JSONValue] = [.null] + steps.map { JSONValue(encoding: $0.action) }
        return TraceFile(meta: meta, vars: vars, states: stateObjects, actions: actions)
    }
}

/// The environment a run used when it differs from its spec's (simulation with fault injection).
public struct TraceEnvironment: Sendable, Hashable, Codable {
    public var faults: FaultSwitches
    public var controller: ControllerActions
    /// The clock bound (`MessagingLimits.maxTime`) the run used.
    public var maxTime: Time?
    /// The load-shedding rule the run used, when it differs from the spec's (absent: the spec's).
    public var loadShedding: LoadShedding?

    public init(faults: FaultSwitches, controller: ControllerActions, maxTime: Time? = nil, loadShedding: LoadShedding? = nil) {
        self.faults = faults
        self.controller = controller
        self.maxTime = maxTime
        self.loadShedding = loadShedding
    }
}

extension ICExecutor {
    /// Performs `actions` in directed mode from the initial state, recording each state; stops
    /// at the first step that is not enabled.
    public static func record(
        _ actions: [ICAction], configuration: SystemConfiguration, options: ExecutorOptions = ExecutorOptions()
    ) throws(ExecutorError) -> RecordedRun {
        var executor = ICExecutor(configuration: configuration, options: options)
        var run = RecordedRun(initialState: executor.observableState)
        for action in actions {
            try executor.perform(action)
            run.steps.append((action, executor.observableState))
        }
        return run
    }

    /// A copy of the configuration with an environment override applied.
    static func configuration(_ base: SystemConfiguration, with environment: TraceEnvironment?) -> SystemConfiguration {
        guard let environment else { return base }
        var configuration = base
        configuration.faults = environment.faults
        configuration.controller = environment.controller
        if let maxTime = environment.maxTime { configuration.limits.maxTime = maxTime }
        if let loadShedding = environment.loadShedding { configuration.loadShedding = loadShedding }
        return configuration
    }
}
