import Foundation
import Testing

/// The built `icmc` binary, next to the test bundle.
private func icmcBinary() throws -> URL {
    let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [products, products.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()]
        .map { $0.appendingPathComponent("icmc") }
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "icmc binary not found near \(products.path)")
}

/// Runs the built `icmc` binary and returns (exit code, stdout, stderr).
private func icmc(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = try icmcBinary()
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

@Test func badInputExitsTwoWithOneLine() throws {
    for arguments in [["--bogus"], ["bench", "ic-ring", "--n", "abc", "--k", "1", "--w", "1"], ["check", "no-such-spec"],
                      ["bench", "ic-ring", "--n", "0", "--k", "1", "--w", "1"], ["replay", "/no/such/file.json"]] {
        let result = try icmc(arguments)
        #expect(result.status == 2, "\(arguments): exit \(result.status)")
        #expect(result.err.split(separator: "\n").count == 1, "\(arguments): \(result.err)")
    }
}

@Test func checkWritesATraceThatReplaysAndATamperedOneThatDoesNot() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    let check = try icmc(["check", "B2-lock-after-trap-buggy", "--json", "--workers", "1"], in: directory)
    #expect(check.status == 0, "\(check.err)")
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(check.out.utf8)) as? [[String: Any]])
    let row = try #require(rows.first)
    #expect(Set(row.keys) == ["name", "expected", "verdict", "distinct", "transitions", "seconds", "traceLength", "trace"])
    let tracePath = try #require(row["trace"] as? String)
    let traceURL = tracePath.hasPrefix("/") ? URL(fileURLWithPath: tracePath) : directory.appendingPathComponent(tracePath)

    let replay = try icmc(["replay", traceURL.path])
    #expect(replay.status == 0, "\(replay.out)\(replay.err)")

    // Drop the last step: the property is no longer violated at the end, so replay must not confirm it.
    var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: traceURL)) as? [String: Any])
    var states = try #require(document["states"] as? [Any])
    states.removeLast()
    document["states"] = states
    let tampered = directory.appendingPathComponent("tampered.json")
    try JSONSerialization.data(withJSONObject: document).write(to: tampered)
    let bad = try icmc(["replay", tampered.path])
    #expect(bad.status != 0)
}

@Test func listDescribesEverySpecOnOneLine() throws {
    let result = try icmc(["list"])
    #expect(result.status == 0)
    #expect(result.out.contains("B4-retry-without-dedup-buggy"))
}

@Test func ctrlCStopsWithStatistics() throws {
    let process = Process()
    process.executableURL = try icmcBinary()
    // 7 million states: far longer than the moment the interrupt comes.
    process.arguments = ["bench", "ic-ring", "--n", "3", "--k", "3", "--w", "2", "--workers", "1"]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Interrupt once the search runs (its first progress line, after 5 s), so the handler is
    // surely installed even on a slow machine.
    var progress = Data()
    while !String(decoding: progress, as: UTF8.self).contains("progress:") {
        let chunk = err.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        progress.append(chunk)
    }
    kill(process.processIdentifier, SIGINT)
    let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130, "exit \(process.terminationStatus)")
    #expect(output.contains("outcome:      interrupted"), "\(output)")
    #expect(output.contains("distinct:"))
}

@Test func benchSpecReportsTheBenchKeysAndBytesPerState() throws {
    let result = try icmc(["bench", "spec", "bench-pubsub", "--param", "subscribers=1", "--workers", "1", "--json"])
    #expect(result.status == 0, "\(result.err)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
    let benchKeys: Set<String> = ["model", "distinct", "transitions", "terminal", "maxDepth", "seconds", "statesPerSecond",
                                  "peakMemoryBytes", "workers", "parallelBatches", "sequentialBatches", "outcome", "properties", "invariantsHold",
                                  "violations"]
    #expect(Set(object.keys) == benchKeys.union(["bytesPerState"]))
    #expect(object["model"] as? String == "bench-pubsub")
    #expect(object["outcome"] as? String == "complete")
    #expect((object["bytesPerState"] as? Double ?? -1) >= 0)
    let larger = try icmc(["bench", "spec", "bench-pubsub", "--param", "subscribers=2", "--workers", "1", "--json"])
    let largerObject = try #require(try JSONSerialization.jsonObject(with: Data(larger.out.utf8)) as? [String: Any])
    #expect((largerObject["distinct"] as? Int ?? 0) > (object["distinct"] as? Int ?? 0))
    // A buggy spec: its expected violation is found, so the benchmark is as expected.
    let buggy = try icmc(["bench", "spec", "B4-retry-without-dedup-buggy", "--workers", "1", "--json"])
    #expect(buggy.status == 0, "\(buggy.err)")
}

/// `bench spec --max-states` caps a benchmark on a large workload: the search stops at the
/// limit, incomplete (exit 3), and `--max-depth` bounds it as `check` would.
@Test func benchSpecTakesTheCheckBounds() throws {
    let capped = try icmc(["bench", "spec", "bench-pubsub", "--param", "subscribers=2", "--workers", "1", "--json", "--max-states", "500"])
    #expect(capped.status == 3, "\(capped.err)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(capped.out.utf8)) as? [String: Any])
    #expect(object["outcome"] as? String == "stateLimitReached")
    #expect((object["distinct"] as? Int ?? 0) >= 500)
    #expect((object["distinct"] as? Int ?? Int.max) < 1000)
    let shallow = try icmc(["bench", "spec", "bench-pubsub", "--param", "subscribers=2", "--workers", "1", "--json", "--max-depth", "3"])
    let shallowObject = try #require(try JSONSerialization.jsonObject(with: Data(shallow.out.utf8)) as? [String: Any])
    #expect(shallowObject["maxDepth"] as? Int == 3)
    #expect(shallow.status == 3, "\(shallow.err)")
    let bad = try icmc(["bench", "spec", "bench-pubsub", "--max-states", "0"])
    #expect(bad.status == 2)
    #expect(bad.err.split(separator: "\n").count == 1, "\(bad.err)")
}

@Test func benchWarmUpMeasuresASecondIdenticalSearch() throws {
    let arguments = ["bench", "spec", "bench-pubsub", "--param", "subscribers=2", "--workers", "1", "--json"]
    let cold = try icmc(arguments)
    let warm = try icmc(arguments + ["--warm-up"])
    #expect(warm.status == 0, "\(warm.err)")
    let coldObject = try #require(try JSONSerialization.jsonObject(with: Data(cold.out.utf8)) as? [String: Any])
    let warmObject = try #require(try JSONSerialization.jsonObject(with: Data(warm.out.utf8)) as? [String: Any])
    for key in ["distinct", "transitions", "maxDepth", "outcome"] {
        #expect("\(coldObject[key] ?? "-")" == "\(warmObject[key] ?? "-")", "\(key)")
    }
    #expect((warmObject["bytesPerState"] as? Double ?? -1) >= 0)
    // Two searches in one process do not mix with a checkpoint or MPI ranks.
    let refused = try icmc(arguments + ["--warm-up", "--checkpoint", NSTemporaryDirectory()])
    #expect(refused.status == 2, "exit \(refused.status)")
    #expect(refused.err.split(separator: "\n").count == 1 && refused.err.contains("--warm-up"), "\(refused.err)")
}

@Test func badParametersAndBoundsExitTwoWithOneLine() throws {
    for arguments in [["check", "bench-pubsub", "--param", "subscribers=9"], ["check", "bench-pubsub", "--param", "clients=3"],
                      ["check", "bench-pubsub", "--param", "subscribers"], ["bench", "spec", "bench-pubsub", "--param", "events=0"],
                      ["bench", "spec", "no-such-spec"], ["simulate", "bench-pubsub", "--param", "x=1"],
                      ["check", "B1-reentrancy-buggy", "--faults", "stormy"], ["check", "B1-reentrancy-buggy", "--max-states", "0"],
                      ["simulate", "B1-reentrancy-buggy", "--runs", "0"], ["simulate", "B1-reentrancy-buggy", "--seed", "x"],
                      ["simulate", "B1-reentrancy-buggy", "--fault-rate", "1.5"], ["simulate", "B1-reentrancy-buggy", "--steps", "0"],
                      ["simulate", "B1-reentrancy-buggy", "--keep-last", "100001"], ["simulate", "B1-reentrancy-buggy", "--max-trace", "0"],
                      ["replay", "/dev/null"]] {
        let result = try icmc(arguments)
        #expect(result.status == 2, "\(arguments): exit \(result.status)")
        #expect(result.err.split(separator: "\n").count == 1, "\(arguments): \(result.err)")
    }
}

@Test func stateLimitIsIncompleteNotHolds() throws {
    let result = try icmc(["check", "B1-reentrancy-fixed", "--max-states", "10", "--workers", "1", "--json"])
    #expect(result.status == 3, "a search cut short exits 3 (incomplete)")
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]])
    #expect((rows.first?["verdict"] as? String)?.hasPrefix("incomplete") == true, "\(result.out)")
}

@Test func listShowsParameters() throws {
    let result = try icmc(["list"])
    #expect(result.out.contains("parameters: subscribers=2 (1...8)"), "\(result.out)")
}

@Test func swarmFindsTheBugReportsItsMemberAndTheTraceReplays() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-swarm-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    var summaries: [[String: Any]] = []
    for workers in ["1", "2"] {
        let result = try icmc([
            "swarm", "B4-retry-without-dedup-buggy", "--members", "16", "--walks", "20", "--depth", "40", "--seed", "3",
            "--workers", workers, "--traces", directory.path, "--json",
        ])
        #expect(result.status == 1, "\(result.err)")
        summaries.append(try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]))
    }
    let violation = try #require(summaries[0]["violation"] as? [String: Any])
    #expect(violation["property"] as? String == "paid-at-most-once")
    // The same member and trace whatever the number of workers.
    let again = try #require(summaries[1]["violation"] as? [String: Any])
    #expect(again["member"] as? Int == violation["member"] as? Int)
    #expect(again["memberSeed"] as? UInt64 == violation["memberSeed"] as? UInt64)
    #expect(again["traceLength"] as? Int == violation["traceLength"] as? Int)
    let replay = try icmc(["replay", try #require(violation["trace"] as? String)])
    #expect(replay.status == 0, "\(replay.out)\(replay.err)")
    // The fixed protocol: nothing found, exit 0; bad input: one line, exit 2.
    let fixed = try icmc(["swarm", "B4-retry-without-dedup-fixed", "--members", "6", "--walks", "10", "--depth", "30", "--traces", directory.path])
    #expect(fixed.status == 0, "\(fixed.out)\(fixed.err)")
    #expect(fixed.out.contains("no violation found"))
    let bad = try icmc(["swarm", "B4-retry-without-dedup-fixed", "--members", "0"])
    #expect(bad.status == 2)
    #expect(bad.err.split(separator: "\n").count == 1)
}

/// `--stop-on-violation` (as TLC): the search ends at the first violated property, with its
/// shortest trace, after fewer states than the default search, which decides every property
/// (safety and liveness) of the spec.
@Test func stopOnViolationEndsTheSearchEarly() throws {
    func row(_ arguments: [String]) throws -> [String: Any] {
        let result = try icmc(["check", "A1-exchange-buggy", "--workers", "1", "--json", "--traces", NSTemporaryDirectory()] + arguments)
        #expect(result.status == 0, "\(arguments): exit \(result.status) \(result.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]])
        return try #require(rows.first)
    }
    let full = try row([])
    let stopped = try row(["--stop-on-violation"])
    #expect(full["verdict"] as? String == "violated (no-double-spend)")
    #expect(stopped["verdict"] as? String == "violated (no-double-spend)")
    #expect(stopped["traceLength"] as? Int == full["traceLength"] as? Int)
    #expect((stopped["distinct"] as? Int ?? .max) < (full["distinct"] as? Int ?? 0), "\(stopped) vs \(full)")
}
