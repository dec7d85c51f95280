import Foundation
import ModelChecking
import Testing
@testable import Benchmarks

@Suite("Benchmark report")
struct BenchmarkReportTests {
    @Test func jsonHasTheComparableKeys() throws {
        let report = BenchmarkReport(checkAll(try ICRing(n: 2, k: 2, w: 1), workers: 2))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(try report.jsonLine().utf8)) as? [String: Any])
        for key in ["model", "distinct", "transitions", "terminal", "maxDepth", "seconds", "statesPerSecond", "peakMemoryBytes", "workers"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["model"] as? String == "ic-ring(2,2,1)")
        #expect(object["distinct"] as? Int == 650)
        #expect(object["transitions"] as? Int == 2_076)
        #expect(object["terminal"] as? Int == 23)
        #expect(object["workers"] as? Int == 2)
        #expect(object["invariantsHold"] as? Bool == true)
        #expect(try !report.jsonLine().contains("\n"))
    }

    @Test func humanReportShowsStatisticsAndCounterexample() throws {
        let report = BenchmarkReport(checkAll(try ICRing(n: 2, k: 2, w: 1, rejectRefund: 1), workers: 1))
        #expect(!report.invariantsHold)
        #expect(report.violations.map(\.property) == ["Conservation"])
        #expect(report.violations.first?.actions == ["Call(0)", "Reject(0)"])
        let text = report.humanReadable
        for expected in ["distinct:", "transitions:", "terminal:", "max depth:", "seconds:", "states/s:", "peak memory:", "invariants VIOLATED: Conservation", "2. Reject(0)"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
    }

    @Test func groupsDigits() {
        #expect(BenchmarkReport.grouped(6_961_789) == "6,961,789")
        #expect(BenchmarkReport.grouped(650) == "650")
        #expect(BenchmarkReport.grouped(1_000) == "1,000")
        #expect(BenchmarkReport.grouped(0) == "0")
    }
}
