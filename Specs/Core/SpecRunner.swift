import Foundation
import ICCore
import ICMessaging
import ModelChecking

/// Checks specs: safety properties by breadth-first search (shortest counterexamples),
/// liveness properties with the liveness checker under `SpecFairness`; saves the trace of a
/// violation as ITF JSON under `traceDirectory/<spec>.json` (`#meta.spec` and `#meta.model`
/// carry the spec name, which the replay tool resolves).
public struct SpecRunner: Sendable {
    public var workers: Int
    /// Where traces go; `nil` does not save them.
    public var traceDirectory: String?
    /// Overrides the spec's `maxDepth` (e.g. to confirm no shorter trace exists).
    public var maxDepthOverride: Int?

    public init(workers: Int = CheckerOptions.defaultWorkers, traceDirectory: String? = "traces", maxDepthOverride: Int? = nil) {
        self.workers = workers
        self.traceDirectory = traceDirectory
        self.maxDepthOverride = maxDepthOverride
    }

    /// The trace of a violation, independent of how it was found.
    public struct Counterexample: Sendable {
        public let property: String
        public let trace: Trace<SpecSystem>
    }

    /// Checks `spec`; the counterexample, if any, is returned as well as saved.
    public func check(_ spec: Spec) -> (result: SpecResult, counterexample: Counterexample?) {
        let start = Date()
        let system = SpecSystem(spec: spec)
        var violated: [String] = []
        var counterexample: Counterexample?
        var distinct = 0
        var transitions = 0
        var problem: SpecResult.Verdict?

        if !spec.properties.isEmpty {
            let options = CheckerOptions(
                strategy: .breadthFirst, workers: workers, maxDepth: maxDepthOverride ?? spec.maxDepth,
                maxStates: spec.maxStates, stopOnViolation: true, progressInterval: nil)
            let result = Checker(system, options: options).run()
            distinct = result.statistics.distinctStates
            transitions = result.statistics.transitions
            for verdict in result.verdicts {
                if case .violated(let trace) = verdict.status {
                    violated.append(verdict.name)
                    // The expected property's trace is the one to keep; otherwise the shortest.
                    let preferred = verdict.name == spec.expectation.violatedProperty
                    if counterexample == nil || preferred
                        || (counterexample!.property != spec.expectation.violatedProperty && trace.length < counterexample!.trace.length)
                    {
                        counterexample = Counterexample(property: verdict.name, trace: trace)
                    }
                }
            }
            switch result.outcome {
            case .stateLimitReached where violated.isEmpty: problem = .incomplete("more than \(spec.maxStates ?? 0) states")
            case .interrupted: problem = .incomplete("interrupted")
            default: break
            }
            violated.sort { a, b in
                (spec.properties.firstIndex { $0.name == a } ?? 0) < (spec.properties.firstIndex { $0.name == b } ?? 0)
            }
        }

        if !spec.livenessProperties.isEmpty, problem == nil {
            let properties: [Property<ICState>] = spec.livenessProperties.map { claim in
                let goal = claim.goal
                if let premise = claim.premise {
                    return .leadsTo(claim.name, from: { premise($0) }, to: { goal($0) })
                }
                return .eventually(claim.name) { goal($0) }
            }
            do {
                let checker = LivenessChecker(system, options: LivenessOptions(workers: workers, maxStates: spec.maxStates))
                let report = try checker.check(properties)
                distinct = max(distinct, report.stateCount)
                transitions = max(transitions, report.edgeCount)
                for result in report.results {
                    guard let lasso = result.counterexample else { continue }
                    violated.append(result.property)
                    if counterexample == nil || result.property == spec.expectation.violatedProperty {
                        // A run that ends where no step is enabled stutters there for ever (TLA+'s
                        // semantics of a terminal state): a lasso whose loop is its last state. The IC
                        // model's state graph has no other cycles (its ghost history only grows), so
                        // every infinite counterexample on it has this shape.
                        let trace = Trace(system: system, initialState: lasso.initialState, steps: lasso.trace.steps,
                                          loopIndex: lasso.loopIndex ?? lasso.trace.steps.count)
                        counterexample = Counterexample(property: result.property, trace: trace)
                    }
                }
            } catch let error as LivenessError {
                if case .stateLimitExceeded = error { problem = .incomplete(error.description) } else { problem = .error(error.description) }
            } catch {
                problem = .error(String(describing: error))
            }
        }

        let verdict: SpecResult.Verdict
        if let first = violated.first {
            verdict = .violated(property: counterexample?.property ?? first)
        } else {
            verdict = problem ?? .holds
        }
        var tracePath: String?
        if let counterexample, let traceDirectory {
            tracePath = save(counterexample, of: spec, in: traceDirectory)
        }
        let result = SpecResult(
            name: spec.name, expected: spec.expectation, verdict: verdict, distinct: distinct, transitions: transitions,
            seconds: Date().timeIntervalSince(start), traceLength: counterexample?.trace.length, tracePath: tracePath,
            traceText: counterexample.map { describe($0) }, violatedProperties: violated)
        return (result, counterexample)
    }

    /// Checks `spec` and returns only the result.
    public func run(_ spec: Spec) -> SpecResult { check(spec).result }

    private func describe(_ counterexample: Counterexample) -> String {
        let trace = counterexample.trace
        var lines = ["counterexample for \(counterexample.property) (\(trace.length) steps\(trace.loopIndex.map { ", loops back to state \($0)" } ?? "")):"]
        let names = trace.system.base.configuration.canisters.map(\.program.name)
        var previous = ObservableState(trace.initialState)
        for (index, step) in trace.steps.enumerated() {
            let current = ObservableState(step.state)
            lines.append("  \(index + 1). \(step.action)")
            for change in previous.changes(to: current, names: names) { lines.append("       \(change)") }
            previous = current
        }
        if trace.loopIndex == trace.steps.count { lines.append("  then no step is enabled: the run stays in its last state for ever") }
        return lines.joined(separator: "\n")
    }

    /// Writes the ITF trace; returns its path, or `nil` (with a message on stderr) if it fails.
    private func save(_ counterexample: Counterexample, of spec: Spec, in directory: String) -> String? {
        do {
            var file = try counterexample.trace.traceFile(
                property: counterexample.property, description: "\(spec.name): \(counterexample.property) violated")
            file.meta["spec"] = .string(spec.name)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = (directory as NSString).appendingPathComponent("\(spec.name).json")
            try file.jsonData().write(to: URL(fileURLWithPath: path))
            return path
        } catch {
            FileHandle.standardError.write(Data("warning: could not save the trace of \(spec.name): \(error)\n".utf8))
            return nil
        }
    }
}
