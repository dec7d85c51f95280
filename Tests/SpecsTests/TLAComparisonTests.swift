import Foundation
import ICCore
import ICSpec
import ModelChecking
import Testing
@testable import Specs

/// Issue 16's target: on a two-canister protocol with guaranteed calls and no faults, icmc's
/// state count is within 2× of the hand-abstracted TLA+ model's. The protocol is the library's
/// B1-reentrancy-fixed (guarded refund service C0, ledger C1) with its faults off; the TLA+
/// model is docs/tla/RefundGuard.tla, counted through its transliteration `RefundGuardTLA`
/// (and by TLC itself when `ICMC_TLC_CLASSPATH` names a TLC class path). Both counts are
/// measured here; docs/performance.md records them.
@Suite struct TLAComparisonTests {
    /// The reductions the spec can use: its property reads only the ledger's fields and observes
    /// neither contexts nor history, so T9 is merged and call ids are canonical.
    static let reductions: StateSpaceReductions = [.invisibleSteps, .canonicalCallIds]

    /// B1-reentrancy-fixed (or -buggy) without faults, with `requests` refund requests (the
    /// library's spec has 2).
    static func icmcSpec(requests: Int, guarded: Bool = true, reductions: StateSpaceReductions = reductions) throws -> Spec {
        var spec = try #require(SpecCatalog.builtInSmall.spec(named: guarded ? "B1-reentrancy-fixed" : "B1-reentrancy-buggy"))
        spec.configuration.faults = .benign
        spec.configuration.ingress = Array(repeating: spec.configuration.ingress[0], count: requests)
        spec.reductions = reductions
        return spec
    }

    static func search<System: TransitionSystem>(_ system: System) -> CheckResult<System> {
        Checker(system, options: CheckerOptions(workers: 1, progressInterval: nil)).run()
    }

    @Test func theComparedSpecIsTheLibrarys() throws {
        let library = try #require(SpecCatalog.builtInSmall.spec(named: "B1-reentrancy-fixed"))
        let compared = try Self.icmcSpec(requests: 2)
        #expect(library.configuration.canisters.count == 2 && library.callKinds == [.guaranteed])
        #expect(compared.configuration.ingress.map(\.method) == library.configuration.ingress.map(\.method))
    }

    @Test(arguments: [2, 3, 4])
    func icmcIsWithinTwiceTheTLAModel(requests: Int) throws {
        let tla = Self.search(RefundGuardTLA(requests: requests, guarded: true))
        let icmc = Self.search(SpecSystem(spec: try Self.icmcSpec(requests: requests)))
        let plain = Self.search(SpecSystem(spec: try Self.icmcSpec(requests: requests, reductions: [])))
        #expect(tla.verdicts.allSatisfy(\.status.holds) && tla.outcome == .complete)
        #expect(icmc.verdicts.allSatisfy(\.status.holds) && icmc.outcome == .complete)
        let (reduced, abstract) = (icmc.statistics.distinctStates, tla.statistics.distinctStates)
        #expect(reduced <= 2 * abstract, "icmc \(reduced) states against TLA+ \(abstract) (plain icmc \(plain.statistics.distinctStates))")
        #expect(abstract <= 2 * reduced, "icmc \(reduced) states against TLA+ \(abstract)")
        // The steps icmc adds are the ones the reductions take out: same depth as the TLA+ model.
        #expect(icmc.statistics.maxDepth == tla.statistics.maxDepth)
        #expect(plain.statistics.distinctStates > reduced)
        let withPOR = Self.search(SpecSystem(spec: try Self.icmcSpec(requests: requests, reductions: Self.reductions.union(.partialOrder))))
        #expect(withPOR.statistics.distinctStates <= reduced)
        print(
            "RefundGuard Requests=\(requests): TLA+ \(abstract) states, depth \(tla.statistics.maxDepth); icmc plain \(plain.statistics.distinctStates), depth \(plain.statistics.maxDepth); "
                + "invisible steps + canonical ids \(reduced), depth \(icmc.statistics.maxDepth); with --por \(withPOR.statistics.distinctStates)")
    }

    /// The buggy protocol (no guard): both models find the double refund with a shortest trace
    /// of the same length.
    @Test func bothFindTheDoubleRefundAsDeep() throws {
        let tla = Self.search(RefundGuardTLA(requests: 2, guarded: false))
        let icmc = Self.search(SpecSystem(spec: try Self.icmcSpec(requests: 2, guarded: false)))
        let abstractTrace = try #require(tla.verdicts.first?.status.trace)
        let icmcTrace = try #require(icmc.verdicts.first { $0.name == "no-double-refund" }?.status.trace)
        #expect(abstractTrace.length == icmcTrace.length)
    }

    /// TLC's own count equals the transliteration's (run only with `ICMC_TLC_CLASSPATH` set to a
    /// class path holding `tlc2.TLC`, e.g. tla2tools.jar).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ICMC_TLC_CLASSPATH"] != nil), arguments: [2, 3])
    func transliterationMatchesTLC(requests: Int) throws {
        let classPath = try #require(ProcessInfo.processInfo.environment["ICMC_TLC_CLASSPATH"])
        let module = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/tla/RefundGuard.tla")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-tlc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: module, to: directory.appendingPathComponent("RefundGuard.tla"))
        let config = "CONSTANTS\n    Requests = \(requests)\n    Guarded = TRUE\nINIT Init\nNEXT Next\nINVARIANT NoDoubleRefund\nCHECK_DEADLOCK FALSE\n"
        try config.write(to: directory.appendingPathComponent("RefundGuard.cfg"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["java", "-cp", classPath, "tlc2.TLC", "-workers", "1", "-metadir", directory.appendingPathComponent("states").path, "RefundGuard"]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // "17 states generated, 13 distinct states found, 0 states left on queue."
        let line = try #require(text.split(separator: "\n").first { $0.contains("distinct states found") }, "TLC said: \(text)")
        let words = line.split(separator: " ")
        let index = try #require(words.firstIndex(of: "distinct"))
        let tlc = try #require(Int(words[index - 1]))
        #expect(tlc == Self.search(RefundGuardTLA(requests: requests, guarded: true)).statistics.distinctStates)
    }
}
