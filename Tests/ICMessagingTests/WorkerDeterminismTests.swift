import ICCore
import ModelChecking
import Testing
@testable import ICMessaging

/// The IC model gives the same counts, verdicts and shortest traces for 1, 2 and 4 workers,
/// with the whole history and with none of it (frontier tables, merged shards and all).
@Suite struct WorkerDeterminismTests {
    struct Figures: Equatable {
        let distinct: Int
        let transitions: Int
        let terminal: Int
        let depth: Int
        let verdicts: [String]
        let trace: [String]
    }

    func figures(_ system: ICSystem, workers: Int) -> Figures {
        let result = Checker(system, options: CheckerOptions(workers: workers, stopOnViolation: false, progressInterval: nil)).run()
        let statistics = result.statistics
        var trace: [String] = []
        for verdict in result.verdicts {
            if case .violated(let found) = verdict.status, trace.isEmpty {
                trace = found.steps.map { "\($0.action) → \($0.state.fingerprint)" }
            }
        }
        return Figures(
            distinct: statistics.distinctStates, transitions: statistics.transitions, terminal: statistics.terminalStates,
            depth: statistics.maxDepth, verdicts: result.verdicts.map { "\($0.name): \($0.status)" }, trace: trace)
    }

    @Test(arguments: [HistoryObservation.all, .none])
    func countsAndTracesDoNotDependOnWorkers(recording: HistoryObservation) {
        // A best-effort and a guaranteed call under every fault: 10-40 thousand states, and a
        // violated claim (cycles are lost) so that a trace is compared too.
        let template = clientSystem(
            [Client.Plan(callee: B, kind: .bestEffort, cycles: 3), Client.Plan(callee: B, cycles: 2)],
            faults: .adversarial,
            properties: [ICProperties.cyclesConservedWithoutSink, ICProperties.p2CallbacksHaveContexts])
        let system = ICSystem(configuration: template.configuration, properties: template.icProperties, recording: recording)
        let one = figures(system, workers: 1)
        #expect(one.distinct > 5_000, "\(one.distinct) states")
        #expect(!one.trace.isEmpty)
        for workers in [2, 4] { #expect(figures(system, workers: workers) == one) }
    }
}
