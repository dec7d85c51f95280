import Foundation
import Testing

/// `--disk`, `--checkpoint`, `--checkpoint-every` and `--recover` on the command line: bad values
/// get one line and exit 2; a disk-backed run and a recovered run print the in-memory counts.
@Suite struct DiskFlagsTests {
    static let ring = ["bench", "ic-ring", "--n", "2", "--k", "3", "--w", "2", "--workers", "1", "--json"]

    func scratch() -> String {
        let path = NSTemporaryDirectory() + "/icmc-disk-flags-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func distinct(_ run: BinaryRun) -> Int? {
        guard let data = run.out.split(separator: "\n").last.map({ Data($0.utf8) }),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["distinct"] as? Int
    }

    @Test func badValuesGetOneLineAndExit2() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/plain-file"
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let cases: [(arguments: [String], mention: String)] = [
            (Self.ring + ["--checkpoint-every", "5"], "--checkpoint"),
            (Self.ring + ["--checkpoint", directory, "--checkpoint-every", "0"], "checkpoint-every"),
            (Self.ring + ["--checkpoint", directory, "--checkpoint-every", "abc"], "checkpoint-every"),
            (Self.ring + ["--recover", directory + "/nothing-here"], "no checkpoint"),
            (Self.ring + ["--disk", file], "cannot create the directory"),
            (Self.ring + ["--disk", ""], "--disk"),
            (["check", "--all", "--checkpoint", directory], "exactly one spec"),
            (["check", "B1-reentrancy-fixed", "--recover", directory + "/nothing-here"], "no checkpoint"),
            (["check", "B1-reentrancy-fixed", "--checkpoint", directory, "--distributed"], "--distributed"),
            (["check", "B1-reentrancy-fixed", "--disk", file], "cannot create the directory"),
            (["bench", "ic-ring", "--n", "2", "--k", "2", "--w", "1", "--disk", directory, "--distributed"], "--distributed"),
            (["check", "B1-reentrancy-fixed", "--disk", directory, "--distributed"], "--distributed"),
        ]
        for (arguments, mention) in cases {
            let run = try runICMC(arguments, seconds: 60)
            #expect(run.exited && run.status == 2, "\(arguments): status \(run.status), \(run.err)")
            let lines = run.err.split(separator: "\n").filter { !$0.hasPrefix("Usage") && !$0.hasPrefix("  See") && !$0.isEmpty }
            #expect(lines.count == 1, "\(arguments): \(run.err)")
            #expect(run.err.contains(mention), "\(arguments): \(run.err)")
        }
    }

    @Test func diskAndRecoveredRunsPrintTheInMemoryCounts() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let memory = try runICMC(Self.ring)
        #expect(memory.status == 0)
        let reference = try #require(distinct(memory))
        let disk = try runICMC(Self.ring + ["--disk", directory, "--disk-fingerprint-budget", "1000"])
        #expect(disk.status == 0, "\(disk.err)")
        #expect(distinct(disk) == reference)
        // The interval in minutes (here 60 ms): a checkpoint is written at some level boundary.
        let timed = scratch()
        defer { try? FileManager.default.removeItem(atPath: timed) }
        let bigger = ["bench", "ic-ring", "--n", "3", "--k", "2", "--w", "2", "--workers", "1", "--json"]
        let interval = try runICMC(bigger + ["--checkpoint", timed, "--checkpoint-every", "0.001"])
        #expect(interval.status == 0, "\(interval.err)")
        #expect(FileManager.default.fileExists(atPath: timed + "/icmc.checkpoint"))
        #expect(distinct(try runICMC(bigger + ["--recover", timed])) == 152_893)
        let saved = try runICMC(Self.ring + ["--checkpoint", directory, "--checkpoint-every-levels", "7"])
        #expect(saved.status == 0, "\(saved.err)")
        let recovered = try runICMC(Self.ring + ["--recover", directory, "--disk", directory])
        #expect(recovered.status == 0, "\(recovered.err)")
        #expect(distinct(recovered) == reference)
        let foreign = try runICMC(["bench", "ic-ring", "--n", "2", "--k", "2", "--w", "2", "--recover", directory])
        #expect(foreign.status == 2)
        #expect(foreign.err.contains("another search"))
    }

    /// `icmc check` of an IC-model spec: a checkpoint written every 2 levels, recovered with
    /// another number of workers, prints the uninterrupted run's verdict, counts and trace
    /// length; the checkpoint does not resume another search.
    @Test func checkRecoversAnICModelCheckpoint() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let base = ["check", "B4-retry-without-dedup-buggy", "--json", "--traces", directory + "/traces"]
        func summary(_ run: BinaryRun) -> [String]? {
            guard let list = try? JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [[String: Any]], let row = list.first else { return nil }
            return ["verdict", "distinct", "transitions", "traceLength"].map { "\(row[$0] ?? "-")" }
        }
        let plain = try runICMC(base + ["--workers", "1"])
        #expect(plain.status == 0, "\(plain.err)")
        let reference = try #require(summary(plain))
        let saved = try runICMC(base + ["--workers", "1", "--checkpoint", directory, "--checkpoint-every-levels", "2"])
        #expect(summary(saved) == reference)
        let recovered = try runICMC(base + ["--workers", "2", "--recover", directory])
        #expect(recovered.status == 0, "\(recovered.err)")
        #expect(summary(recovered) == reference)
        let foreign = try runICMC(Self.ring + ["--recover", directory])
        #expect(foreign.status == 2)
        #expect(foreign.err.contains("another search"))
        let other = try runICMC(["check", "B1-reentrancy-fixed", "--recover", directory])
        #expect(other.status == 2)
        #expect(other.err.contains("another search"))
    }
}
