import Foundation
import Testing
@testable import ICMCCommandLine
import ICSpec
import Specs

/// `icmc verify` checks several specs at once and specs of one workload by one search: the
/// report keeps the catalogue order, and its verdicts and counts do not depend on the workers.
@Suite struct ConcurrentVerifyTests {
    static let names = ["P6-at-most-once-execution", "B4-retry-without-dedup-buggy", "P7-single-response", "P11-best-effort-cycles"]

    func verify(workers: Int) -> VerificationReport {
        let specs = Self.names.compactMap { SpecCatalog.builtInSmall.spec(named: $0) }
        let directory = NSTemporaryDirectory() + "icmc-concurrent-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return Verification(specs: specs, workers: workers, traceDirectory: directory, runProofs: false, quiet: true).run()
    }

    @Test func resultsKeepTheOrderAndDoNotDependOnWorkers() {
        let one = verify(workers: 1), two = verify(workers: 2)
        #expect(one.specs.map(\.spec.name) == Self.names && two.specs.map(\.spec.name) == Self.names)
        #expect(one.allAsExpected && two.allAsExpected)
        let summary = { (report: VerificationReport) in report.specs.map { "\($0.result.verdict) \($0.result.distinct) \($0.result.traceLength ?? -1) \($0.result.jointlyWith)" } }
        #expect(summary(one) == summary(two))
    }

    @Test func specsOfOneWorkloadShareASearch() {
        let report = verify(workers: 2)
        let byName = Dictionary(uniqueKeysWithValues: report.specs.map { ($0.spec.name, $0.result) })
        #expect(byName["P6-at-most-once-execution"]?.jointlyWith == ["P7-single-response"])
        #expect(byName["P7-single-response"]?.jointlyWith == ["P6-at-most-once-execution"])
        #expect(byName["P11-best-effort-cycles"]?.jointlyWith == [])
        #expect(byName["B4-retry-without-dedup-buggy"]?.jointlyWith == [] && byName["B4-retry-without-dedup-buggy"]?.traceLength != nil)
        #expect(Verification.workloadGroups(SpecCatalog.builtInSmall.specs).count < SpecCatalog.builtInSmall.specs.count)
    }
}
