import Foundation
import Testing
@testable import ICMCCommandLine
import Specs

/// The repository root, found from this file's path (Tests/icmcTests/…).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Test func cliReferenceIsCurrent() throws {
    let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8)
    #expect(committed == CLIReference.render(), "docs/cli.md is stale: run `swift run icmc cli-reference --write docs/cli.md`")
}

@Test func guaranteesDocumentIsCurrent() throws {
    let document = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/guarantees.md"), encoding: .utf8)
    let recorded = InputsFingerprint.recorded(in: document)
    let current = InputsFingerprint.compute(root: repositoryRoot)
    #expect(recorded != nil, "docs/guarantees.md carries no inputs fingerprint")
    #expect(
        recorded == current,
        "docs/guarantees.md is stale (generated from other sources): run `swift run -c release icmc verify --write-docs`"
    )
}

@Test func guaranteesDocumentCoversEverySpec() throws {
    let document = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/guarantees.md"), encoding: .utf8)
    for spec in SpecCatalog.builtInSmall.specs where spec.category != .benchmark {
        #expect(document.contains("`\(spec.name)`"), "docs/guarantees.md does not mention \(spec.name)")
    }
}

@Test func inputsFingerprintChangesWithTheSources() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-fp-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    for folder in InputsFingerprint.directories {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        try "let x = 1\n".write(to: directory.appendingPathComponent(folder + "/A.swift"), atomically: true, encoding: .utf8)
    }
    let before = InputsFingerprint.compute(root: directory)
    try "let x = 2\n".write(to: directory.appendingPathComponent("Specs/A.swift"), atomically: true, encoding: .utf8)
    let after = InputsFingerprint.compute(root: directory)
    #expect(before != nil)
    #expect(before != after)
    #expect(InputsFingerprint.recorded(in: "x\n\(GuaranteesDocument.fingerprintMarker)abc123 -->\n") == "abc123")
}
