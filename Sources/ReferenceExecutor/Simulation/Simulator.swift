import Foundation
import ICCore
import ModelChecking

/// Random, round-based scheduling of a configuration's programs on the reference executor, with
/// fault injection. Every step is an `ICAction` performed through directed mode, so a run is a
/// trace that replays exactly.
///
/// A round visits the canisters in a rotating order; each takes one input (an ingress message,
/// the head request from some peer, or a response to one of its callbacks). Then the system
/// works: starvation and removal of contexts, expiry of due best-effort callbacks, stop
/// completion, load shedding when best-effort memory is over its limit, restarts, and a clock
/// tick. A `faultRate` fraction of admitted calls gets a fault of a random kind allowed for its
/// call kind (`FaultKind`).
public struct Simulator: Sendable {
    /// The spec simulated: its configuration, and the safety properties judged after every
    /// step (liveness needs infinite runs and is left to the checker). Its name and parameters
    /// go into the `#meta` of violation traces, so that replay rebuilds the same configuration.
    public let model: ICModel
    public let options: ExecutorOptions

    public init(model: ICModel, options: ExecutorOptions = ExecutorOptions()) {
        self.model = model
        self.options = options
    }

    var spec: String { model.name }
    var configuration: SystemConfiguration { model.configuration }
    var properties: [ICProperty] { model.properties }

    /// The environment a simulation with `faultRate` runs in: with faults, every switch on, any
    /// canister may be stopped and started, and the clock runs for `steps` seconds at least.
    public func environment(faultRate: Double, steps: Int) -> TraceEnvironment {
        let maxTime = max(configuration.limits.maxTime, steps)
        guard faultRate > 0 else {
            return TraceEnvironment(faults: configuration.faults, controller: configuration.controller, maxTime: maxTime)
        }
        let all = Set(configuration.canisterIds)
        var controller = configuration.controller
        controller.stop.formUnion(all)
        controller.start.formUnion(all)
        controller.maxActions = max(controller.maxActions, 2 * steps)
        return TraceEnvironment(faults: .adversarial, controller: controller, maxTime: maxTime)
    }

    /// Runs `runs` runs of at most `steps` steps. Violations are written to `tracesDirectory`.
    public func simulate(
        seed: UInt64, runs: Int, steps: Int, faultRate: Double, tracesDirectory: URL? = nil,
        progress: (@Sendable (Int, SimulationReport) -> Void)? = nil
    ) -> SimulationReport {
        var report = SimulationReport(spec: spec, seed: seed)
        var seeds = SplitMix64(seed: seed)
        for run in 0..<runs {
            var session = SimulationRun(simulator: self, seed: seeds.next(), faultRate: faultRate, steps: steps)
            session.execute()
            report.runs += 1
            report.steps += session.stepsTaken
            for (kind, count) in session.faults { report.faults[kind.description, default: 0] += count }
            report.runDigests.append(session.digest)
            if let violation = session.violation {
                var path: String?
                if let tracesDirectory {
                    path = try? save(session, violation: violation, run: run, seed: seed, directory: tracesDirectory)
                }
                report.violations.append(.init(run: run, step: violation.step, property: violation.property, tracePath: path))
            }
            progress?(run, report)
        }
        return report
    }

    private func save(_ session: SimulationRun, violation: (step: Int, property: String), run: Int, seed: UInt64, directory: URL) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = session.recorded.traceFile(
            spec: spec, parameters: model.parameters, property: violation.property, environment: session.environment,
            description: "\(violation.property) on \(spec): simulation seed \(seed), run \(run), \(violation.step) steps"
        )
        let url = directory.appendingPathComponent("\(spec)-seed\(seed)-run\(run).json")
        try file.jsonData().write(to: url)
        return url.path
    }
}
