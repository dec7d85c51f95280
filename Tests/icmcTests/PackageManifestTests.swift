import Foundation
import Testing

/// The repository root, found from this file's path (Tests/icmcTests/…).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Issue 15's package shape, read from Package.swift (its text: running SwiftPM from a test can
/// wait for the lock of the versioned-dependency test's build): the name `icmc`; the seven
/// library products; no unsafe build flags (SwiftPM refuses them in a versioned dependency);
/// ICProofs on SMT only, with the agreement and BMC-export code in a target of its own that no
/// product exposes.
@Test func manifestHasTheLibraryShape() throws {
    let manifest = try String(contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
    let code = manifest.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
    #expect(code.contains("let package = Package(\n    name: \"icmc\","))
    #expect(!code.contains("unsafeFlags"))
    for library in ["ModelChecking", "ICCore", "ICMessaging", "ICSpec", "ReferenceExecutor", "ICProofs", "ICMCCommandLine"] {
        #expect(code.contains(".library(name: \"\(library)\", targets: [\"\(library)\"])"), "no library product \(library)")
    }
    #expect(code.contains(".target(name: \"ICProofs\", dependencies: [\"SMT\"])"))
    #expect(code.contains(".target(name: \"ICProofsAgreement\", dependencies: [\"ICProofs\""))
    let products = code.split(separator: "\n").filter { $0.contains(".library(") || $0.contains(".executable(") }
    #expect(!products.isEmpty && products.allSatisfy { !$0.contains("ICProofsAgreement") })
}
