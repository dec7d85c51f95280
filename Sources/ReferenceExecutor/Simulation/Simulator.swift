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
/// tick. Each fault the spec allows (`FaultKind.classes`) hits each admitted call with
/// probability `faultRate`. A run ends after `steps` steps, at a violation, when no step is
/// enabled, or when only the environment (ticks) could act and nothing waits for the clock.
public struct Simulator: Sendable {
    /// The spec simulated: its configuration, and the safety properties judged after every
    /// step (liveness needs infinite runs and is left to the checker). Its name and parameters
    /// go into the `#meta` of violation traces, so that replay rebuilds the same configuration.
    public let model: ICModel
    public let options: ExecutorOptions
    /// Overrides the spec's fault switches (`--faults`); `nil` keeps the spec's own, so that
    /// only faults the spec allows are injected. `.adversarial` also lets a fault stop any
    /// caller (and start it again).
    public var faults: FaultSwitches?

    public init(model: ICModel, options: ExecutorOptions = ExecutorOptions(), faults: FaultSwitches? = nil) {
        self.model = model
        self.options = options
        self.faults = faults
    }

    var spec: String { model.name }
    var configuration: SystemConfiguration { model.configuration }
    var properties: [ICProperty] { model.properties }

    /// The environment a simulation of at most `steps` steps runs in: the spec's faults (or the
    /// override) and controller, and a clock that may run for `steps` seconds at least.
    public func environment(steps: Int) -> TraceEnvironment {
        let maxTime = max(configuration.limits.maxTime, steps)
        var controller = configuration.controller
        if faults == .adversarial {
            let all = Set(configuration.canisterIds)
            controller.stop.formUnion(all)
            controller.start.formUnion(all)
            controller.maxActions = max(controller.maxActions, steps > Int.max / 2 ? Int.max : 2 * steps)
        }
        return TraceEnvironment(faults: faults ?? configuration.faults, controller: controller, maxTime: maxTime)
    }

    /// The faults this simulation may inject, by name (`FaultKind.description`).
    public var allowedFaults: [String] {
        let environment = environment(steps: 1)
        return FaultKind.names(allowed: environment.faults, controller: environment.controller)
    }

    /// Runs `runs` runs of at most `steps` steps. Violations are written to `tracesDirectory`.
    public func simulate(
        seed: UInt64, runs: Int, steps: Int, faultRate: Double, tracesDirectory: URL? = nil,
        bounds: SimulationBounds = SimulationBounds(), progress: (@Sendable (Int, SimulationReport) -> Void)? = nil
    ) -> SimulationReport {
        var report = SimulationReport(spec: spec, seed: seed)
        report.allowedFaults = faultRate > 0 ? allowedFaults : []
        let watch = SimulationWatch(bounds)
        var seeds = SplitMix64(seed: seed)
        for run in 0..<runs {
            if watch.exceededNow() { break }
            let runSeed = seeds.next()
            var session = SimulationRun(simulator: self, seed: runSeed, faultRate: faultRate, steps: steps,
                                        keepLast: bounds.keepLast, watch: watch)
            session.execute()
            report.runs += 1
            report.steps += session.stepsTaken
            if let reason = session.endReason, reason != watch.reached { report.endings[reason, default: 0] += 1 }
            for (kind, count) in session.faults { report.faults[kind.description, default: 0] += count }
            if report.runDigests.count < SimulationReport.maxDigests { report.runDigests.append(session.digest) }
            if let violation = session.violation {
                report.violations.append(self.violation(violation, of: session, run: run, runSeed: runSeed, seed: seed,
                                                        faultRate: faultRate, steps: steps, bounds: bounds, directory: tracesDirectory))
            }
            progress?(run, report)
        }
        report.stoppedBy = watch.reached
        return report
    }

    /// The report of a violation: its last actions, and its trace rebuilt by running the same
    /// seed again with recording on (when it is no longer than `maxTraceSteps`) and saved.
    private func violation(
        _ found: (step: Int, property: String), of session: SimulationRun, run: Int, runSeed: UInt64, seed: UInt64,
        faultRate: Double, steps: Int, bounds: SimulationBounds, directory: URL?
    ) -> SimulationReport.Violation {
        var path: String?
        var note: String?
        if found.step > bounds.maxTraceSteps {
            note = "trace not saved: \(found.step) steps, more than the cap of \(bounds.maxTraceSteps)"
        } else if let directory {
            var again = SimulationRun(simulator: self, seed: runSeed, faultRate: faultRate, steps: steps, stopAfter: found.step,
                                      recording: true, keepLast: 0)
            again.execute()
            if let rebuilt = again.violation, rebuilt == found {
                do {
                    path = try save(again, violation: found, run: run, seed: seed, directory: directory)
                } catch {
                    note = "trace not saved: \(error)"
                }
            } else {
                note = "trace not saved: re-executing run \(run) did not reach the same violation (a nondeterministic program?)"
            }
        }
        return .init(run: run, step: found.step, property: found.property, tracePath: path, lastActions: session.lastActions,
                     note: note)
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
