import Foundation
import ICCore
import ICProofs
import ModelChecking
import ReferenceExecutor
import ICSpec
import Synchronization

/// Everything `icmc verify` found: per spec the check (and the replay of its counterexample),
/// and every proof obligation.
struct VerificationReport {
    struct SpecOutcome: Sendable {
        let spec: Spec
        let result: SpecResult
        let counterexample: SpecRunner.Counterexample?
        /// The replay of the saved trace in the reference executor; `nil` when nothing was violated.
        let replay: ReplayReport?

        /// The check's verdict is the expected one and its counterexample (if any) reproduced.
        var asExpected: Bool { result.asExpected && (replay == nil || replay?.outcome == .reproduced) }
    }

    var specs: [SpecOutcome] = []
    var proofs: [ProofRow] = []
    var proofGroups: [PropertyGroup] = []
    var proofError: String?
    var interrupted = false
    var seconds: Double = 0

    var allAsExpected: Bool {
        !interrupted && proofError == nil && specs.allSatisfy(\.asExpected) && proofs.allSatisfy { $0.outcome == .proved }
    }

    /// 0 every verdict as expected; 1 a decided verdict, proof or replay not as expected; 3 the
    /// rest is as expected but some check stopped at a limit or was interrupted.
    var exitStatus: Int32 {
        if allAsExpected { return ExitStatus.success }
        let decidedWrong = specs.contains { !$0.asExpected && !$0.result.isIncomplete }
        if decidedWrong || proofError != nil || !proofs.allSatisfy({ $0.outcome == .proved }) { return ExitStatus.unexpected }
        return ExitStatus.incomplete
    }
}

/// Runs the three phases of `icmc verify`: explicit checks of every spec, the Z3 proofs, and the
/// replay of every counterexample in the reference executor.
struct Verification {
    var specs: [Spec]
    var workers: Int = CheckerOptions.defaultWorkers
    var traceDirectory: String = "traces"
    var proofTimeout: Double = 60
    var runProofs = true
    var quiet = false
    var cancellation: CancellationFlag?
    /// `--memory-limit` and `--time-limit`, per spec check.
    var memoryLimit: Int?
    var timeLimit: Duration?

    func run() -> VerificationReport {
        let start = Date()
        var report = VerificationReport()

        let checks = StatusLine(phase: "checks", quiet: quiet)
        // Several searches at once, one worker each; a lone search gets every worker.
        let groups = Self.workloadGroups(specs)
        let threads = max(1, min(workers, groups.count))
        var runner = SpecRunner(workers: max(1, workers / threads), traceDirectory: traceDirectory)
        runner.memoryLimit = memoryLimit
        runner.timeLimit = timeLimit
        runner.cancellation = cancellation
        let states = Atomic<Int>(0)
        let total = specs.count
        let cancellation = self.cancellation
        let outcomes = ConcurrentChecks(items: groups, threads: threads).run(
            isCancelled: { cancellation?.isCancelled == true },
            started: { _, group in
                let sofar = states.load(ordering: .relaxed)
                checks.update("\(group[0].index + 1)/\(total) \(group.map(\.spec.name).joined(separator: ", ")) — \(sofar) states so far, "
                    + String(format: "%.0f states/s", Double(sofar) / max(checks.elapsed, 0.001)), force: true)
            }
        ) { [runner] group in
            let checked = runner.checkJointly(group.map(\.spec))
            let joint = checked.first?.result.jointlyWith.isEmpty == false
            states.add(joint ? checked[0].result.distinct : checked.reduce(0) { $0 + $1.result.distinct }, ordering: .relaxed)
            return zip(group, checked).map { member, outcome in
                let replay = outcome.counterexample.map { Self.replay($0, of: member.spec) }
                return (member.index, VerificationReport.SpecOutcome(spec: member.spec, result: outcome.result, counterexample: outcome.counterexample, replay: replay))
            }
        }
        var ordered: [VerificationReport.SpecOutcome?] = Array(repeating: nil, count: specs.count)
        for case let group? in outcomes { for (index, outcome) in group { ordered[index] = outcome } }
        for outcome in ordered {
            guard let outcome else {
                report.interrupted = true
                break
            }
            report.specs.append(outcome)
        }
        if cancellation?.isCancelled == true { report.interrupted = true }
        let stateCount = states.load(ordering: .relaxed)
        let unexpected = report.specs.filter { !$0.asExpected }.count
        checks.finish("\(report.specs.count) specs checked, \(stateCount) states, \(unexpected) not as expected"
            + (report.interrupted ? " (interrupted)" : ""))

        if runProofs && !report.interrupted {
            let proofs = StatusLine(phase: "proofs", quiet: quiet)
            let prover = ICProver(timeout: proofTimeout)
            report.proofGroups = prover.groups
            do {
                var done = 0
                report.proofs = try prover.run { row in
                    done += 1
                    proofs.update("\(done) obligations, last: \(row.property) under \(row.rule): \(row.outcome.name)")
                }
                let proved = report.proofs.filter { $0.outcome == .proved }.count
                proofs.finish("\(proved)/\(report.proofs.count) obligations proved")
            } catch {
                report.proofError = String(describing: error)
                proofs.finish("error: \(error)")
            }
        }
        let replays = report.specs.compactMap(\.replay)
        if !quiet {
            let reproduced = replays.filter { $0.outcome == .reproduced }.count
            StatusLine(phase: "replays", quiet: quiet).finish("\(reproduced)/\(replays.count) counterexamples reproduced by the reference executor")
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// The specs with their catalogue positions, those sharing a workload (`Spec.workload`) in one
    /// group (checked by one search, `SpecRunner.checkJointly(_:)`), groups in the order of
    /// their first member.
    static func workloadGroups(_ specs: [Spec]) -> [[(index: Int, spec: Spec)]] {
        var groups: [[(index: Int, spec: Spec)]] = []
        var groupOfWorkload: [String: Int] = [:]
        for (index, spec) in specs.enumerated() {
            if let workload = spec.workload, let group = groupOfWorkload[workload] {
                groups[group].append((index, spec))
                continue
            }
            if let workload = spec.workload { groupOfWorkload[workload] = groups.count }
            groups.append([(index, spec)])
        }
        return groups
    }

    /// Replays the counterexample the check holds in the reference executor, on the same spec
    /// (no file is read back, no name looked up).
    static func replay(_ counterexample: SpecRunner.Counterexample, of spec: Spec) -> ReplayReport {
        do {
            return Replayer(model: spec.model).replay(try SpecRunner.traceFile(for: counterexample, of: spec), specName: spec.name)
        } catch {
            return Replayer.invalid("the trace of \(spec.name) cannot be written: \(error)")
        }
    }
}
