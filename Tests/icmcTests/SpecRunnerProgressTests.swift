import Foundation
import ICSpec
import ModelChecking
import Specs
import Synchronization
import Testing

/// A long safety search reports progress (`icmc check` prints it), and the reports do not
/// change what it finds.
@Test func safetySearchReportsProgress() throws {
    let spec = try #require(SpecCatalog.builtInSmall.spec(named: "P1-atomic-execution"))
    let reports = Mutex<[ProgressReport]>([])
    var runner = SpecRunner(workers: 2, traceDirectory: nil)
    runner.progressInterval = .nanoseconds(1)
    runner.progress = { report in reports.withLock { $0.append(report) } }
    let result = runner.run(spec)
    let seen = reports.withLock { $0 }
    #expect(!seen.isEmpty)
    #expect(seen.map(\.distinctStates) == seen.map(\.distinctStates).sorted())
    #expect(seen.allSatisfy { $0.distinctStates <= result.distinct })
    let silent = SpecRunner(workers: 2, traceDirectory: nil).run(spec)
    #expect(silent.verdict == result.verdict && silent.distinct == result.distinct && silent.transitions == result.transitions)
}
