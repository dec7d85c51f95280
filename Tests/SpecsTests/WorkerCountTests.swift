import ICSpec
import ModelChecking
import Specs
import Testing

/// The IC model's parallel search (large states, dropped early when already visited, interned
/// into shared tables after each merge) gives the one-worker results on every schedule.
@Suite struct WorkerCountTests {
    /// Specs large enough for several merge batches (4,096 states each), one violated.
    static let names = ["PS3-broadcast-robust-catch-up", "P3-request-order", "ICRC2-approve-transfer-from-buggy"]

    @Test(arguments: names)
    func countsVerdictsAndTracesDoNotDependOnWorkers(name: String) throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
        func run(_ workers: Int, _ policy: WorkerPolicy) -> (SpecResult, String?) {
            var runner = SpecRunner(workers: workers, traceDirectory: nil)
            runner.workerPolicy = policy
            let (result, counterexample) = runner.check(spec)
            return (result, counterexample.map { "\($0.trace.steps.map(\.action))" })
        }
        let (one, trace) = run(1, .fixed)
        for (workers, policy) in [(2, WorkerPolicy.fixed), (4, .fixed), (2, .alternating)] {
            let (other, otherTrace) = run(workers, policy)
            #expect(other.verdict == one.verdict, "\(workers) workers, \(policy)")
            #expect(other.distinct == one.distinct, "\(workers) workers, \(policy)")
            #expect(other.transitions == one.transitions, "\(workers) workers, \(policy)")
            #expect(otherTrace == trace, "\(workers) workers, \(policy)")
        }
    }
}
