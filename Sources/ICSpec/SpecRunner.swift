import Foundation
import ICCore
import ICMessaging
import ModelChecking

/// Checks specs: safety properties by breadth-first search (shortest counterexamples),
/// liveness properties with the liveness checker under `SpecFairness`; saves the trace of a
/// violation as ITF JSON under `traceDirectory/<spec>.json`. The trace's `#meta` names the spec,
/// its parameter values and its environment, so that replay rebuilds the same configuration.
public struct SpecRunner: Sendable {
    /// Threads for the searches (results do not depend on it).
    public var workers: Int
    /// Where traces go; `nil` does not save them.
    public var traceDirectory: String?
    /// Overrides the spec's `maxDepth` (e.g. `--max-depth`, or to confirm no shorter trace exists).
    public var maxDepthOverride: Int?
    /// Overrides the spec's `maxStates` (`--max-states`).
    public var maxStatesOverride: Int?
    /// Stop at the first violated property, with its shortest trace (`--stop-on-violation`, as
    /// TLC does), instead of deciding every property. Liveness is not checked after a safety
    /// violation.
    public var stopAtFirstViolation = false
    /// Stop a search once the process's resident memory reaches this many bytes (`--memory-limit`);
    /// the verdict is then `incomplete (memory limit)`, with what was found so far.
    public var memoryLimit: Int?
    /// Stop a search after this long (`--time-limit`); the verdict is then `incomplete (time limit)`.
    public var timeLimit: Duration?
    /// Set (e.g. by Ctrl-C) to stop the search; the verdict is then `incomplete (interrupted)`.
    public var cancellation: CancellationFlag?
    /// Runs the safety search on the ranks of this communicator (`--distributed`); liveness is
    /// checked by each rank alone. Results do not depend on it.
    public var communicator: (any Communicator)?
    /// Where the safety search keeps its visited set and queue (`--disk DIR`); in memory by default.
    public var storage = SearchStorage()
    /// Whether batches run on all workers (`.fixed`), adapt to the machine's load (the default) or
    /// alternate (tests: results must not depend on it).
    public var workerPolicy = WorkerPolicy.adaptive
    /// Called about every `progressInterval` during a safety search (`icmc check` prints it to
    /// standard error), so that a search of millions of states is not silent for minutes.
    public var progress: (@Sendable (ProgressReport) -> Void)?
    public var progressInterval: Duration = .seconds(5)

    public init(
        workers: Int = CheckerOptions.defaultWorkers, traceDirectory: String? = "traces", maxDepthOverride: Int? = nil,
        maxStatesOverride: Int? = nil
    ) {
        self.workers = workers
        self.traceDirectory = traceDirectory
        self.maxDepthOverride = maxDepthOverride
        self.maxStatesOverride = maxStatesOverride
    }

    /// The trace of a violation, independent of how it was found.
    public struct Counterexample: Sendable {
        public let property: String
        public let trace: Trace<SpecSystem>

        public init(property: String, trace: Trace<SpecSystem>) {
            self.property = property
            self.trace = trace
        }
    }

    /// The checks of a spec as one engine result (safety search merged with the liveness
    /// check), and why it is not a verdict if it is not one.
    private struct Checked {
        var result: CheckResult<SpecSystem>
        var problem: SpecResult.Verdict?
        /// Why the search's verdict, even a violation, is not to be trusted (`voidingProblem`).
        var voided: String?
    }

    /// Why a search on `system` relied on something a program broke: it read the absolute clock
    /// under relative time, or called outside its declared callees under partial-order reduction.
    private static func voidingProblem(of system: SpecSystem) -> String? {
        if let reader = system.base.clockReads?.clockReader {
            return "--relative-time: \(reader) reads the absolute clock (Execution.now or the global timer), which relative time drops from the state"
        }
        if let undeclared = system.partialOrder?.audit.undeclaredCall {
            return "--por: the declared call graph is wrong: \(undeclared)"
        }
        return nil
    }

    /// Checks `spec`; the counterexample, if any, is returned as well as saved.
    public func check(_ spec: Spec) -> (result: SpecResult, counterexample: Counterexample?) {
        let start = Date()
        let system = SpecSystem(spec: spec)
        var checked =
            spec.properties.isEmpty
            ? Checked(result: CheckResult(modelName: spec.name, outcome: .complete, statistics: CheckStatistics(), verdicts: []))
            : stopAtFirstViolation ? checkSafetyUntilFirstViolation(spec, system) : checkSafety(spec, system)
        let safetyViolated = checked.result.verdicts.contains { $0.isFailure }
        if !spec.livenessProperties.isEmpty, checked.problem == nil, !(stopAtFirstViolation && safetyViolated) {
            checkLiveness(spec, system, into: &checked)
            checked.voided = checked.voided ?? Self.voidingProblem(of: system)
        }

        let order = spec.propertyNames
        let violated = checked.result.verdicts.filter { $0.isFailure }.map(\.name)
            .sorted { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) }
        let counterexample = Self.counterexample(in: checked.result, of: spec)
        let verdict: SpecResult.Verdict
        if let voided = checked.voided {
            verdict = .error(voided)
        } else if let first = violated.first {
            verdict = .violated(property: counterexample?.property ?? first)
        } else if checked.problem == nil, let minimum = spec.minimumStates, checked.result.statistics.distinctStates < minimum {
            verdict = .error(Self.belowBound(checked.result.statistics.distinctStates, minimum))
        } else {
            verdict = checked.problem ?? .holds
        }
        var tracePath: String?
        if let counterexample, let traceDirectory {
            tracePath = save(counterexample, of: spec, in: traceDirectory)
        }
        let statistics = checked.result.statistics
        let result = SpecResult(
            name: spec.name, expected: spec.expectation, verdict: verdict, distinct: statistics.distinctStates,
            transitions: statistics.transitions, seconds: Date().timeIntervalSince(start), traceLength: counterexample?.trace.length,
            tracePath: tracePath, traceText: counterexample.map { describe($0) }, violatedProperties: violated)
        return (result, counterexample)
    }

    /// The error of a search that holds on fewer states than the spec's `minimumStates`.
    static func belowBound(_ distinct: Int, _ minimum: Int) -> String {
        "explored \(distinct) distinct states, fewer than the spec's bound of \(minimum)"
    }

    /// Checks `spec` and returns only the result.
    public func run(_ spec: Spec) -> SpecResult { check(spec).result }

    /// The trace to show: the expected property's; otherwise the shortest safety counterexample,
    /// otherwise the first liveness one. A liveness run that ends where no step is enabled
    /// stutters there for ever (TLA+'s semantics of a terminal state): a lasso whose loop is its
    /// last state. The IC model's state graph has no other cycles (its ghost history only
    /// grows), so every infinite counterexample on it has this shape.
    private static func counterexample(in result: CheckResult<SpecSystem>, of spec: Spec) -> Counterexample? {
        let liveness = Set(spec.livenessProperties.map(\.name))
        let found: [Counterexample] = result.verdicts.compactMap { verdict in
            guard verdict.isFailure, let trace = verdict.status.trace else { return nil }
            guard liveness.contains(verdict.name) else { return Counterexample(property: verdict.name, trace: trace) }
            let run = Trace(system: trace.system, initialState: trace.initialState, steps: trace.steps,
                            loopIndex: trace.loopIndex ?? trace.steps.count)
            return Counterexample(property: verdict.name, trace: run)
        }
        if let expected = found.first(where: { $0.property == spec.expectation.violatedProperty }) { return expected }
        let safety = found.filter { !liveness.contains($0.property) }
        return safety.min { $0.trace.length < $1.trace.length } ?? found.first
    }

    /// The options of `spec`'s safety search.
    private func safetyOptions(_ spec: Spec, cancellation: CancellationFlag?) -> CheckerOptions {
        var options = CheckerOptions(
            strategy: .breadthFirst, workers: workers, maxDepth: maxDepthOverride ?? spec.maxDepth,
            maxStates: maxStatesOverride ?? spec.maxStates, stopOnViolation: true, progressInterval: progress == nil ? nil : progressInterval,
            cancellation: cancellation, memoryLimit: memoryLimit, timeLimit: timeLimit)
        options.communicator = communicator
        options.storage = storage
        options.workerPolicy = workerPolicy
        return options
    }

    /// Why `storage` (`--disk`, `--checkpoint`, `--recover`) cannot serve `spec`'s safety
    /// search, as one line, or `nil`: the search `check(_:)` runs, with the same options (a
    /// checkpoint is only recovered by the search that wrote it).
    public func storageProblem(for spec: Spec) -> String? {
        guard storage.isActive, !spec.properties.isEmpty else { return nil }
        let searched = stopAtFirstViolation ? Self.conjoined(spec) : spec
        return Checker(SpecSystem(spec: searched), options: safetyOptions(searched, cancellation: nil)).storageProblem()
    }

    private func checkSafety(_ spec: Spec, _ system: SpecSystem) -> Checked {
        let maxStates = maxStatesOverride ?? spec.maxStates
        let maxDepth = maxDepthOverride ?? spec.maxDepth
        let watchdog = MemoryWatchdog(limit: memoryLimit, forward: cancellation)
        defer { watchdog.stop() }
        let options = safetyOptions(spec, cancellation: watchdog.flag)
        let result = Checker(system, options: options).run(progress: progress)
        // Under --distributed every rank names the same reason, whichever rank's watchdog tripped.
        let tripped = communicator.map { $0.reduce([watchdog.tripped ? 1 : 0], .maximum)[0] == 1 } ?? watchdog.tripped
        let violated = result.verdicts.contains { $0.isFailure }
        let problem: SpecResult.Verdict? =
            switch result.outcome {
            case .stateLimitReached where !violated: .incomplete("state limit of \(maxStates ?? 0) reached")
            case .depthLimitReached where !violated: .incomplete("depth bound \(maxDepth ?? 0) reached")
            case .interrupted: .incomplete(tripped ? SpecResult.memoryLimitReason : "interrupted")
            case .memoryLimitReached where !violated: .incomplete(SpecResult.memoryLimitReason)
            case .timeLimitReached where !violated: .incomplete(SpecResult.timeLimitReason)
            default: nil
            }
        return Checked(result: result, problem: problem, voided: Self.voidingProblem(of: system))
    }

    /// `spec` with its safety properties replaced by their conjunction.
    private static func conjoined(_ spec: Spec) -> Spec {
        var combined = spec
        combined.properties = [
            ICProperty.conjunction(name: "all-safety-properties", statement: "Every safety property of the spec.", of: spec.properties)
        ]
        return combined
    }

    /// One search for the conjunction of the safety properties: it ends at the first state that
    /// violates any of them, by a shortest trace; the property named is the first of the spec's
    /// that fails there. The result is stated on the spec's own system: that property violated
    /// and the others not checked, or, with no violation, every property as the conjunction.
    private func checkSafetyUntilFirstViolation(_ spec: Spec, _ system: SpecSystem) -> Checked {
        let combined = Self.conjoined(spec)
        let conjunction = combined.properties[0]
        let first = checkSafety(combined, SpecSystem(spec: combined))
        let status = first.result.verdict(named: conjunction.name)?.status ?? .notChecked
        var verdicts = spec.properties.map { property in
            PropertyVerdict<SpecSystem>(name: property.name, expectation: .always, status: status.trace == nil ? status : .notChecked)
        }
        if let found = status.trace {
            let name = spec.properties.first { !$0.holds(in: found.finalState) }?.name ?? conjunction.name
            // The trace is re-anchored on the spec's own system, so that its rendering and replay
            // name the spec's property set.
            let trace = Trace(system: system, initialState: found.initialState, steps: found.steps, loopIndex: found.loopIndex)
            let violation = PropertyVerdict<SpecSystem>(name: name, expectation: .always, status: .violated(trace))
            if let index = verdicts.firstIndex(where: { $0.name == name }) { verdicts[index] = violation } else { verdicts.append(violation) }
        }
        let result = CheckResult(
            modelName: spec.name, outcome: first.result.outcome, statistics: first.result.statistics, verdicts: verdicts,
            warnings: first.result.warnings)
        return Checked(result: result, problem: first.problem, voided: first.voided)
    }

    private func checkLiveness(_ spec: Spec, _ system: SpecSystem, into checked: inout Checked) {
        let properties: [Property<ICState>] = spec.livenessProperties.map { claim in
            let goal = claim.goal
            if let premise = claim.premise {
                return .leadsTo(claim.name, from: { $0.withView(premise) }, to: { $0.withView(goal) })
            }
            return .eventually(claim.name) { $0.withView(goal) }
        }
        let watchdog = MemoryWatchdog(limit: memoryLimit, forward: cancellation)
        defer { watchdog.stop() }
        let maxStates = maxStatesOverride ?? spec.maxStates
        let options = LivenessOptions(
            workers: workers, maxStates: maxStates, cancellation: watchdog.flag, memoryLimit: memoryLimit, timeLimit: timeLimit)
        do {
            let liveness = try LivenessChecker(system, options: options).check(properties)
            checked.result = checked.result.merging(liveness)
            let violated = liveness.verdicts.contains { $0.isFailure }
            switch liveness.outcome {
            case .stateLimitReached where !violated:
                checked.problem = .incomplete("liveness: more than \(maxStates ?? 0) states; a liveness verdict needs the whole state graph")
            case .memoryLimitReached where !violated: checked.problem = .incomplete(SpecResult.memoryLimitReason)
            case .timeLimitReached where !violated: checked.problem = .incomplete(SpecResult.timeLimitReason)
            case .interrupted: checked.problem = .incomplete(watchdog.tripped ? SpecResult.memoryLimitReason : "interrupted")
            default: break
            }
        } catch {
            checked.problem = .error(String(describing: error))
        }
    }

    private func describe(_ counterexample: Counterexample) -> String {
        let trace = counterexample.trace
        var lines = ["counterexample for \(counterexample.property) (\(trace.length) steps\(trace.loopIndex.map { ", loops back to state \($0)" } ?? "")):"]
        let narration = StepNarration(configuration: trace.system.base.configuration)
        var previous = trace.initialState
        for (index, step) in trace.steps.enumerated() {
            lines.append("  \(index + 1). \(narration.describe(step.action, before: previous))")
            for change in narration.changes(from: previous, to: step.state) { lines.append("       \(change)") }
            previous = step.state
        }
        if trace.loopIndex == trace.steps.count { lines.append("  then no step is enabled: the run stays in its last state for ever") }
        return lines.joined(separator: "\n")
    }

    /// The ITF trace of `counterexample`: `#meta` names the spec (`spec`, `model`), its parameter
    /// values (`parameters`) and the environment it ran in (`faults`, `controller`, `maxTime`),
    /// everything replay needs to rebuild the configuration from a catalogue.
    public static func traceFile(for counterexample: Counterexample, of spec: Spec) throws -> TraceFile {
        var file = try counterexample.trace.traceFile(
            property: counterexample.property, description: "\(spec.name): \(counterexample.property) violated")
        file.meta["spec"] = .string(spec.name)
        file.meta["model"] = .string(spec.name)
        if !spec.parameters.isEmpty {
            file.meta["parameters"] = .object(spec.parameters.mapValues { .int($0) })
        }
        file.meta["faults"] = JSONValue(encoding: spec.configuration.faults)
        file.meta["controller"] = JSONValue(encoding: spec.configuration.controller)
        // With relative time the clock has no bound: the run's own last time is the bound
        // replay needs.
        let maxTime = spec.reductions.contains(.relativeTime)
            ? counterexample.trace.finalState.now : spec.configuration.limits.maxTime
        file.meta["maxTime"] = .int(maxTime)
        return file
    }

    /// Writes the ITF trace of `counterexample` as `directory/<spec>.json`; returns its path.
    public static func saveTrace(_ counterexample: Counterexample, of spec: Spec, in directory: String) throws -> String {
        let file = try traceFile(for: counterexample, of: spec)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("\(spec.name).json")
        try file.jsonData().write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes the ITF trace; returns its path, or `nil` (with a message on stderr) if it fails.
    private func save(_ counterexample: Counterexample, of spec: Spec, in directory: String) -> String? {
        do {
            return try Self.saveTrace(counterexample, of: spec, in: directory)
        } catch {
            FileHandle.standardError.write(Data("warning: could not save the trace of \(spec.name): \(error)\n".utf8))
            return nil
        }
    }
}

/// Watches the process's resident memory on its own thread, every 20 ms, and cancels `flag`
/// once it reaches the limit (or once `forward`, the user's Ctrl-C flag, is cancelled). The
/// search's own memory check runs every few thousand states, which with large IC states lets
/// memory overshoot the limit by hundreds of megabytes; a timed check bounds the overshoot by
/// what the search allocates in 20 ms.
/// Public so that any search (e.g. `icmc bench`) can be given `flag` as its cancellation.
public final class MemoryWatchdog: @unchecked Sendable {
    /// The flag the search is given.
    public let flag = CancellationFlag()
    private let limit: Int?
    private let forward: CancellationFlag?
    private let lock = NSLock()
    private var running = true
    private var trippedValue = false

    /// Starts watching (a thread, only when there is a limit or a flag to forward).
    public init(limit: Int?, forward: CancellationFlag?) {
        self.limit = limit
        self.forward = forward
        guard limit != nil || forward != nil else { return }
        Thread.detachNewThread { [self] in
            while isRunning {
                if forward?.isCancelled == true { flag.cancel() }
                if let limit, currentMemoryBytes() >= limit {
                    lock.withLock { trippedValue = true }
                    flag.cancel()
                    return
                }
                usleep(20_000)
            }
        }
    }

    private var isRunning: Bool { lock.withLock { running } }

    /// Whether the search was cancelled because memory reached the limit.
    public var tripped: Bool { lock.withLock { trippedValue } }

    /// Ends the watch (the search is over).
    public func stop() { lock.withLock { running = false } }
}
