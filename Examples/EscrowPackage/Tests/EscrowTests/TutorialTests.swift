import Foundation
import Testing

/// docs/tutorial.md is written around this package; these tests keep it true: every Swift
/// block is the package's code verbatim, and every `swift run escrow-icmc …` command runs (on the
/// built tool) with the output the tutorial shows.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let tutorial = packageRoot.appendingPathComponent("../../docs/tutorial.md").standardized

/// The fenced blocks of the tutorial, in order: (language, text).
private func blocks() throws -> [(language: String, text: String)] {
    let lines = try String(contentsOf: tutorial, encoding: .utf8).components(separatedBy: "\n")
    var result: [(String, String)] = []
    var current: (language: String, lines: [String])?
    for line in lines {
        if line.hasPrefix("```") {
            if let open = current {
                result.append((open.language, open.lines.joined(separator: "\n")))
                current = nil
            } else {
                current = (String(line.dropFirst(3)), [])
            }
        } else {
            current?.lines.append(line)
        }
    }
    return result
}

/// Every Swift file of the package (and its manifest), as text.
private func packageSources() throws -> [String] {
    var texts = [try String(contentsOf: packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)]
    for folder in ["Sources", "Tests"] {
        let enumerator = FileManager.default.enumerator(atPath: packageRoot.appendingPathComponent(folder).path)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            texts.append(try String(contentsOf: packageRoot.appendingPathComponent(folder + "/" + path), encoding: .utf8))
        }
    }
    return texts
}

@Test func everySwiftBlockIsThePackagesCode() throws {
    // Indentation aside: the tutorial shows excerpts at the left margin.
    func flush(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop { $0 == " " } }.joined(separator: "\n")
    }
    let sources = try packageSources().map(flush)
    let swiftBlocks = try blocks().filter { $0.language == "swift" }
    #expect(swiftBlocks.count >= 8)
    for block in swiftBlocks {
        #expect(sources.contains { $0.contains(flush(block.text)) }, "not in the package verbatim:\n\(block.text)")
    }
}

/// Runs the built tool with `arguments` in `directory`.
private func escrowTool(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
    let binary = packageRoot.appendingPathComponent(".build/debug/escrow-icmc")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let log = directory.appendingPathComponent("tool.log")
    FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
}

@Test(.timeLimit(.minutes(5)))
func everyToolCommandRunsWithTheOutputShown() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("escrow-tutorial-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let all = try blocks()
    var ran = 0
    for (index, block) in all.enumerated() where block.language == "sh" {
        for command in block.text.split(separator: "\n") where command.hasPrefix("swift run escrow-icmc ") {
            let arguments = command.dropFirst("swift run escrow-icmc ".count).split(separator: " ").map(String.init)
            let result = try escrowTool(arguments, in: directory)
            // Simulation exits 1 when it finds violations, which is what the tutorial shows.
            let expected: Int32 = arguments.first == "simulate" ? 1 : 0
            #expect(result.status == expected, "\(command): exit \(result.status)\n\(result.output)")
            ran += 1
            // A plain block right after a one-command block is that command's output (abridged).
            guard block.text.split(separator: "\n").count == 1, index + 1 < all.count, all[index + 1].language.isEmpty else { continue }
            // Runs of spaces compare as one: the list's name column is as wide as the longest
            // name in the whole catalogue (the library's and the package's), which the tutorial
            // does not fix.
            let output = squeezed(result.output)
            for line in all[index + 1].text.split(separator: "\n") {
                #expect(output.contains(squeezed(String(line))), "\(command): output lacks\n\(line)\n--- output:\n\(result.output)")
            }
        }
    }
    #expect(ran >= 7)
}

/// `text` with every run of spaces made one space.
private func squeezed(_ text: String) -> String {
    var result = ""
    var previousWasSpace = false
    for character in text {
        if character == " " {
            if !previousWasSpace { result.append(character) }
            previousWasSpace = true
        } else {
            result.append(character)
            previousWasSpace = false
        }
    }
    return result
}
