import Foundation
import Testing

/// The repository root, found from this file's path (Tests/icmcTests/…).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs `executable` with `arguments` in `directory`; returns the exit status and the output
/// (stdout and stderr together), killing the process after `seconds`. It awaits the process
/// instead of blocking a thread: the builds take minutes, and a blocked thread of the test pool
/// (two threads on two cores) would stall every other test meanwhile.
private func run(_ arguments: [String], in directory: URL, seconds: Double) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let log = directory.appendingPathComponent("command-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do { try process.run() } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
            return
        }
        let watched = UncheckedProcess(process)
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            if watched.process.isRunning { watched.process.terminate() }
        }
    }
    try handle.close()
    return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
}

/// A `Process` handed to the timeout task (`Process` is thread-safe for `isRunning`/`terminate`).
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}

/// The package a user writes: a versioned dependency on icmc, one canister program, one spec,
/// and the tool's main on its own catalogue.
private func writeUserPackage(at directory: URL, icmcURL: URL) throws {
    let manifest = """
        // swift-tools-version:6.0
        import PackageDescription

        let package = Package(
            name: "TinyUser",
            platforms: [.macOS(.v15)],
            dependencies: [.package(url: "\(icmcURL.absoluteString)", from: "1.0.0")],
            targets: [
                .executableTarget(name: "tiny", dependencies: [
                    .product(name: "ICCore", package: "icmc"),
                    .product(name: "ICSpec", package: "icmc"),
                    .product(name: "ICMCCommandLine", package: "icmc"),
                ]),
            ]
        )
        """
    let main = """
        import ICCore
        import ICMCCommandLine
        import ICSpec

        /// Counts its calls; two users call it, so the count reaches 2.
        struct Counter: CanisterProgram {
            struct State: CanisterState { var count = 0 }
            enum Continuation: ContinuationValue { case none }
            var name: String { "counter" }
            var initialState: State { State() }
            func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
                execution.state.count += 1
                try execution.reply()
            }
            func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {}
        }

        let atMostOnce = ICProperty(name: "called-at-most-once", statement: "The counter is called at most once.") { view in
            (view.programState(of: 0, as: Counter.State.self)?.count ?? 0) <= 1
        }
        let spec = Spec(
            name: "T1-counter", summary: "Two calls reach the counter.", details: "Two ingress calls; the claim that one call at most arrives is false.",
            category: .application, callKinds: [.guaranteed],
            configuration: SystemConfiguration(canisters: [CanisterSetup(Counter())],
                                               ingress: [IngressMessage(to: 0, "inc"), IngressMessage(to: 0, "inc")]),
            properties: [atMostOnce], expectation: .violated(property: "called-at-most-once"))
        ICMC.main(catalog: SpecCatalog([spec]))
        """
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("Sources/tiny"), withIntermediateDirectories: true)
    try manifest.write(to: directory.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
    try main.write(to: directory.appendingPathComponent("Sources/tiny/main.swift"), atomically: true, encoding: .utf8)
}

/// A package outside the repository that depends on icmc by version (`from: "1.0.0"`, the
/// way a user's Package.swift does) resolves, builds, and runs the commands on its own spec
/// (list, check, replay, simulate, verify with --write-docs, bench spec, prove).
/// The repository's committed HEAD is cloned into a temporary bare repository and tagged, so
/// no network access to icmc is needed (its own dependencies are fetched as usual). Slow: it
/// builds icmc from scratch (a few minutes on two cores).
@Test(.timeLimit(.minutes(20)))
func versionedDependencyBuildsAndRunsEveryCommand() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-versioned-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let bare = directory.appendingPathComponent("icmc.git")
    let clone = try await run(["git", "clone", "--quiet", "--bare", repositoryRoot.path, bare.path], in: directory, seconds: 120)
    try #require(clone.status == 0, "\(clone.output)")
    let tag = try await run(["git", "-C", bare.path, "tag", "-f", "1.0.0"], in: directory, seconds: 30)
    try #require(tag.status == 0, "\(tag.output)")

    let package = directory.appendingPathComponent("TinyUser")
    try writeUserPackage(at: package, icmcURL: bare)
    let resolve = try await run(["swift", "package", "resolve"], in: package, seconds: 300)
    try #require(resolve.status == 0, "resolve: \(resolve.output)")
    let build = try await run(["swift", "build"], in: package, seconds: 900)
    try #require(build.status == 0, "build: \(build.output)")

    let tiny = package.appendingPathComponent(".build/debug/tiny").path
    let list = try await run([tiny, "list"], in: package, seconds: 60)
    #expect(list.status == 0 && list.output.contains("T1-counter"), "\(list.output)")
    let check = try await run([tiny, "check", "--all", "--workers", "1"], in: package, seconds: 120)
    #expect(check.status == 0 && check.output.contains("violated (called-at-most-once)"), "\(check.output)")
    let replay = try await run([tiny, "replay", "traces/T1-counter.json"], in: package, seconds: 60)
    #expect(replay.status == 0, "\(replay.output)")
    let simulate = try await run([tiny, "simulate", "T1-counter", "--runs", "5", "--steps", "20"], in: package, seconds: 60)
    #expect(simulate.status == 1 && simulate.output.contains("called-at-most-once"), "\(simulate.output)")
    let verify = try await run([tiny, "verify", "--workers", "1", "--quiet", "--write-docs"], in: package, seconds: 300)
    #expect(verify.status == 0 && verify.output.contains("every verdict is as the library expects"), "\(verify.output)")
    let guarantees = (try? String(contentsOf: package.appendingPathComponent("docs/guarantees.md"), encoding: .utf8)) ?? ""
    #expect(guarantees.contains("T1-counter") && !guarantees.contains("B1-reentrancy"), "verify --write-docs on the user's catalogue")
    let bench = try await run([tiny, "bench", "spec", "T1-counter", "--workers", "1", "--json"], in: package, seconds: 60)
    #expect(bench.status == 0 && bench.output.contains("bytesPerState"), "\(bench.output)")
    let prove = try await run([tiny, "prove", "--property", "conservation"], in: package, seconds: 120)
    #expect(prove.status == 0 && prove.output.contains("obligations proved"), "\(prove.output)")
    let unknown = try await run([tiny, "check", "B1-reentrancy-buggy"], in: package, seconds: 60)
    #expect(unknown.status == 2, "a spec outside the user's catalogue: \(unknown.output)")
}
