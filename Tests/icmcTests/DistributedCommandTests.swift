import Foundation
import Testing

/// `mpirun` on the PATH, if Open MPI's launcher is installed (`.ci/run` installs it).
private let mpirun: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}()

/// The built `icmc` binary, next to the test bundle.
private func icmcBinary() throws -> URL {
    let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [products, products.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()]
        .map { $0.appendingPathComponent("icmc") }
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "icmc binary not found near \(products.path)")
}

/// Runs `executable arguments` in `directory`; (exit status, stdout, stderr).
private func run(_ executable: URL, _ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    // mpirun refuses root (CI containers) without these.
    environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    process.environment = environment
    let outFile = directory.appendingPathComponent("stdout-\(UUID().uuidString)")
    let errFile = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: outFile.path, contents: nil)
    FileManager.default.createFile(atPath: errFile.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: outFile)
    process.standardError = try FileHandle(forWritingTo: errFile)
    try process.run()
    process.waitUntilExit()
    defer {
        try? FileManager.default.removeItem(at: outFile)
        try? FileManager.default.removeItem(at: errFile)
    }
    return (process.terminationStatus, try String(contentsOf: outFile, encoding: .utf8), try String(contentsOf: errFile, encoding: .utf8))
}

private func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icmc-mpi-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// Whether the binary was built with MPI: without a launcher it says it needs one (with MPI)
/// or that it has none (without); both are one line and exit 2.
private func binaryHasMPI() throws -> Bool {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try run(try icmcBinary(), ["check", "B1-reentrancy-fixed", "--distributed"], in: directory)
    return !result.err.contains("built without MPI")
}

/// The figures of a `--json` run that must not depend on the number of ranks.
private func figures(_ json: String) throws -> [String] {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
    let rows = (object as? [[String: Any]]) ?? [(object as? [String: Any]) ?? [:]]
    return rows.map { row in
        ["name", "model", "verdict", "distinct", "transitions", "terminal", "maxDepth", "traceLength", "outcome"]
            .map { "\($0)=\(row[$0].map { "\($0)" } ?? "-")" }.joined(separator: " ")
    }
}

@Suite("--distributed under mpirun")
struct DistributedCommandTests {
    /// Without a launcher: one line, exit 2, whatever the build (with --workers too).
    @Test func badUsesAreOneLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for arguments in [
            ["check", "B1-reentrancy-fixed", "--distributed"], ["bench", "ic-ring", "--n", "2", "--k", "2", "--w", "1", "--distributed"],
            ["check", "B1-reentrancy-fixed", "--distributed", "--workers", "2"],
        ] {
            let result = try run(try icmcBinary(), arguments, in: directory)
            #expect(result.status == 2, "\(arguments): exit \(result.status)")
            #expect(result.err.split(separator: "\n").count == 1, "\(arguments): \(result.err)")
        }
    }

    @Test(.enabled(if: mpirun != nil, "mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev; .ci/run does)"))
    func countsAndTracesDoNotDependOnRanks() throws {
        guard try binaryHasMPI() else {
            print("skipped: this icmc was built without MPI (ICMC_MPI=0 or no Open MPI headers)")
            return
        }
        let binary = try icmcBinary()
        let workloads: [[String]] = [
            ["bench", "ic-ring", "--n", "2", "--k", "3", "--w", "2", "--json"],
            ["bench", "two-phase", "--rm", "3", "--json"],
            ["check", "B1-reentrancy-buggy", "B1-reentrancy-fixed", "--json"],
        ]
        for workload in workloads {
            let single = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: single) }
            let reference = try run(binary, workload + ["--workers", "1"], in: single)
            #expect([0, 1].contains(reference.status), "\(workload): \(reference.err)")
            let expected = try figures(reference.out)
            for ranks in [1, 2, 4] {
                let directory = try temporaryDirectory()
                defer { try? FileManager.default.removeItem(at: directory) }
                let result = try run(
                    mpirun!, ["--oversubscribe", "-np", String(ranks), binary.path] + workload + ["--distributed"], in: directory)
                #expect(result.status == reference.status, "\(workload), \(ranks) ranks: \(result.err)")
                #expect(try figures(result.out) == expected, "\(workload), \(ranks) ranks")
                // The saved counterexample is the single-process one, byte for byte.
                let traces = single.appendingPathComponent("traces")
                for name in (try? FileManager.default.contentsOfDirectory(atPath: traces.path)) ?? [] {
                    let ours = try? Data(contentsOf: directory.appendingPathComponent("traces").appendingPathComponent(name))
                    #expect(ours == (try Data(contentsOf: traces.appendingPathComponent(name))), "\(name), \(ranks) ranks")
                }
            }
        }
    }

    /// `--checkpoint`/`--recover` under mpirun: 2 ranks write their parts every 2 levels; 2
    /// ranks of 2 threads each recovering them print the single-process figures; 3 ranks are
    /// refused (exit 2).
    @Test(.enabled(if: mpirun != nil, "mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev; .ci/run does)"))
    func checkpointsRecoverUnderTheSameRanks() throws {
        guard try binaryHasMPI() else {
            print("skipped: this icmc was built without MPI (ICMC_MPI=0 or no Open MPI headers)")
            return
        }
        let binary = try icmcBinary()
        let workloads: [[String]] = [
            ["bench", "ic-ring", "--n", "2", "--k", "3", "--w", "2", "--json"],
            ["check", "B4-retry-without-dedup-buggy", "--json"],
        ]
        for workload in workloads {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let reference = try run(binary, workload + ["--workers", "1"], in: directory)
            let expected = try figures(reference.out)
            let launch = ["--oversubscribe", "-np"]
            let saved = try run(
                mpirun!, launch + ["2", binary.path] + workload + ["--distributed", "--checkpoint", "ckpt", "--checkpoint-every-levels", "2"],
                in: directory)
            #expect(saved.status == reference.status, "\(workload): \(saved.err)")
            #expect(try figures(saved.out) == expected)
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("ckpt/icmc.checkpoint.rank-1").path))
            let recovered = try run(mpirun!, launch + ["2", binary.path] + workload + ["--distributed", "--recover", "ckpt", "--workers", "2"], in: directory)
            #expect(recovered.status == reference.status, "\(workload): \(recovered.err)")
            #expect(try figures(recovered.out) == expected, "\(workload)")
            let other = try run(mpirun!, launch + ["3", binary.path] + workload + ["--distributed", "--recover", "ckpt"], in: directory)
            #expect(other.status != 0)
            #expect(other.err.contains("another search"), "\(other.err)")
        }
    }
}
