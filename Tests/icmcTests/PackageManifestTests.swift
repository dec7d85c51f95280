import Foundation
import Testing

/// The repository root, found from this file's path (Tests/icmcTests/…).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The manifest as SwiftPM reads it (`swift package dump-package`, with a scratch directory of
/// its own so that it never waits for the running build's lock).
private func manifest() throws -> [String: Any] {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-manifest-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["swift", "package", "--scratch-path", scratch.path, "dump-package"]
    process.currentDirectoryURL = repositoryRoot
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-manifest-\(UUID().uuidString).json")
    FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    let handle = try FileHandle(forWritingTo: output)
    process.standardOutput = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    try #require(process.terminationStatus == 0, "swift package dump-package failed")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
}

/// Issue 15's package shape: the identity and name `icmc`; the seven library products; no
/// unsafe build flags in any target (SwiftPM refuses them in a versioned dependency); ICProofs
/// on SMT only, with the agreement and BMC-export code in a target of its own that no product
/// exposes.
@Test(.timeLimit(.minutes(2)))
func manifestHasTheLibraryShape() throws {
    let package = try manifest()
    #expect(package["name"] as? String == "icmc")
    let products = try #require(package["products"] as? [[String: Any]])
    let libraries = Set(products.filter { ($0["type"] as? [String: Any])?["library"] != nil }.compactMap { $0["name"] as? String })
    #expect(libraries.isSuperset(of: ["ModelChecking", "ICCore", "ICMessaging", "ICSpec", "ReferenceExecutor", "ICProofs", "ICMCCommandLine"]),
            "\(libraries)")
    let targets = try #require(package["targets"] as? [[String: Any]])
    func dependencies(of name: String) -> [String] {
        let target = targets.first { $0["name"] as? String == name }
        return (target?["dependencies"] as? [[String: Any]] ?? []).compactMap { ($0["byName"] as? [Any])?.first as? String }
    }
    for target in targets {
        let settings = try JSONSerialization.data(withJSONObject: target["settings"] ?? [])
        #expect(!String(decoding: settings, as: UTF8.self).contains("unsafeFlags"), "\(target["name"] ?? "?") uses unsafe flags")
    }
    #expect(dependencies(of: "ICProofs") == ["SMT"])
    #expect(dependencies(of: "ICProofsAgreement").contains("ICProofs"))
    let exposed = products.flatMap { $0["targets"] as? [String] ?? [] }
    #expect(!exposed.contains("ICProofsAgreement"))
}
