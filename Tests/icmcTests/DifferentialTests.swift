import Foundation
import ICCore
import ICMessaging
import ICSpec
import ReferenceExecutor
import Specs
import Testing
@testable import ICMCCommandLine

/// `icmc differential`: the model and the reference executor agree on random walks using every
/// action kind, and the comparison does find a model that deviates.
@Suite struct DifferentialTests {
    static let models = SpecCatalog.builtInSmall.specs.map(\.model)

    /// A CI-sized sample of the whole library (the release-mode `.ci/run` does 100 k steps).
    @Test func modelAndExecutorAgreeOnEveryActionKind() {
        let report = DifferentialTester(models: Self.models).run(seed: 11, runs: 1_500, steps: 60, tracesDirectory: nil)
        #expect(report.divergences.isEmpty, "\(report.rendered)")
        #expect(report.steps >= 10_000, "\(report.steps) steps")
        #expect(Set(report.actionsCovered.keys) == Set(DifferentialTester.actionKinds))
        // Only the B14 specs use system tasks and only the MGMT specs the management canister
        // (one spec in sixty each): they get walks of their own.
        let systemTaskModels = SpecCatalog.builtInSmall.specs.filter { $0.name.hasPrefix("B14-") || $0.name.hasPrefix("MGMT") }.map(\.model)
        let tasks = DifferentialTester(models: systemTaskModels).run(seed: 11, runs: 200, steps: 60, tracesDirectory: nil)
        #expect(tasks.divergences.isEmpty, "\(tasks.rendered)")
        let uncovered = report.uncovered.filter { (tasks.actionsCovered[$0] ?? 0) == 0 }
        #expect(uncovered.isEmpty, "never sampled: \(uncovered)")
    }

    /// Every second round of walks uses fair load shedding, and the model and the executor agree
    /// there too (the shedding specs: S7, B5, P11 shed best-effort messages).
    @Test func fairSheddingIsWalkedToo() {
        let shedding = SpecCatalog.builtInSmall.specs.filter { $0.name.hasPrefix("S7-") || $0.name.hasPrefix("B5-") }.map(\.model)
        let tester = DifferentialTester(models: shedding)
        #expect(tester.model(ofRun: 0).configuration.loadShedding == .arbitrary)
        #expect(tester.model(ofRun: shedding.count).configuration.loadShedding == .fair)
        let report = tester.run(seed: 5, runs: 400, steps: 40, tracesDirectory: nil)
        #expect(report.divergences.isEmpty, "\(report.rendered)")
        #expect((report.actionsCovered["dropRequest"] ?? 0) + (report.actionsCovered["dropResponse"] ?? 0) > 0)
    }

    /// A model that does not credit refunds (a seeded bug) diverges, with the first differing
    /// field and a saved trace that `icmc replay` reports as diverged at the same step.
    @Test func aDeviatingModelIsFoundAndItsTraceReplaysAsDivergent() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-diff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "P10-cycles-conserved-guaranteed"))
        let tester = DifferentialTester(models: [spec.model], mutations: [.refundNotReturned])
        let report = tester.run(seed: 1, runs: 200, steps: 60, tracesDirectory: directory)
        let divergence = try #require(report.divergences.first)
        #expect(divergence.field == "canisters", "\(divergence)")
        let trace = try #require(divergence.trace)
        let replay = Replayer.replay(data: try Data(contentsOf: URL(fileURLWithPath: trace))) { name, parameters in
            try SpecCatalog.builtInSmall.entry(named: name)?.spec(with: parameters).model
        }
        #expect(replay.outcome == .diverged, "\(replay.rendered)")
        #expect(replay.step == divergence.step)
    }

    /// A model that ignores the upgrade hooks (the model before issue 11) diverges on the B7 spec,
    /// whose `pre_upgrade` traps while calls are outstanding, at an upgrade step.
    @Test func aModelIgnoringUpgradeHooksDiverges() throws {
        let spec = try #require(SpecCatalog.builtInSmall.spec(named: "B7-upgrade-with-open-callbacks-buggy"))
        let faithful = DifferentialTester(models: [spec.model]).run(seed: 3, runs: 300, steps: 30, tracesDirectory: nil)
        #expect(faithful.divergences.isEmpty, "\(faithful.rendered)")
        #expect((faithful.actionsCovered["upgradeCanister"] ?? 0) > 0)
        let mutated = DifferentialTester(models: [spec.model], mutations: [.upgradeIgnoresHooks])
            .run(seed: 3, runs: 300, steps: 30, tracesDirectory: nil)
        let divergence = try #require(mutated.divergences.first)
        #expect(divergence.action.hasPrefix("upgrade C"), "\(divergence)")
    }

    @Test func jsonHasExactlyTheContractKeysAndExitCodesFollowTheOtherCommands() throws {
        let ok = try runDifferential(["--spec", "B5-best-effort-cycles-buggy", "--runs", "20", "--steps", "20", "--json"])
        #expect(ok.status == 0, "\(ok.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ok.out.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["runs", "steps", "divergences", "actionsCovered"])
        let covered = try #require(object["actionsCovered"] as? [String: Int])
        #expect(Set(covered.keys) == Set(DifferentialTester.actionKinds))
        #expect(object["runs"] as? Int == 20)
        for bad in [["--spec", "no-such-spec"], ["--runs", "0"], ["--steps", "x"], ["--seed", "-1"]] {
            let result = try runDifferential(bad)
            #expect(result.status == 2, "\(bad): exit \(result.status)")
            #expect(result.err.split(separator: "\n").count == 1, "\(bad): \(result.err)")
        }
    }

    private func runDifferential(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [products, products.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("icmc") }
        let binary = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-diff-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["differential"] + arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
