import Foundation
import Testing
@testable import ICMCCommandLine
import Specs

/// Specs of every kind of cell: a refuted safety claim, a holding one, a liveness lasso, and one
/// large enough (thousands of states) that its check takes measurably long.
private let determinismSpecs = [
    "B1-reentrancy-buggy", "B1-reentrancy-fixed", "S3-guaranteed-caller-cannot-stop", "P3-request-order",
]

private func verify(_ names: [String]) -> VerificationReport {
    let specs = names.compactMap { SpecCatalog.builtInSmall.spec(named: $0) }
    let directory = NSTemporaryDirectory() + "icmc-determinism-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return Verification(specs: specs, workers: 2, traceDirectory: directory, runProofs: false, quiet: true).run()
}

/// Regenerating docs/guarantees.md from the same sources gives the same bytes: two
/// verifications of the same specs (with parallel workers, whose timings always differ) render
/// the same document.
@Test func guaranteesDocumentIsDeterministic() throws {
    let first = verify(determinismSpecs), second = verify(determinismSpecs)
    #expect(first.specs.count == determinismSpecs.count)
    let render = { (report: VerificationReport) in
        GuaranteesDocument(report: report, matrix: GuaranteesMatrix(report: report), inputsFingerprint: "0").render()
    }
    let (a, b) = (render(first), render(second))
    if a != b {
        let (linesA, linesB) = (a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false))
        let differing = zip(linesA, linesB).first { $0 != $1 }
        Issue.record("two renderings differ, first at: \(differing.map { "\($0.0) ≠ \($0.1)" } ?? "length")")
    }
    // The timings are in the performance table instead.
    let performance = PerformanceDocument(report: first, workers: 2).render()
    for name in determinismSpecs { #expect(performance.contains("`\(name)`")) }
    #expect(PerformanceDocument.path(besides: "docs/guarantees.md") == "docs/performance.md")
}

/// Column text: the lines' slices of one column, joined with spaces.
private func columnText(_ lines: [String], from start: Int, width: Int) -> String {
    lines.map { line -> String in
        let characters = Array(line)
        guard start < characters.count else { return "" }
        return String(characters[start ..< min(characters.count, start + width)]).trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }.joined(separator: " ")
}

/// The terminal matrix fits 120 columns and cuts no verdict: each cell's verdicts can be read back
/// whole from its column, however many a cell holds and however long the title.
@Test func terminalMatrixFitsAndCutsNothing() throws {
    typealias Cell = GuaranteesMatrix.Cell
    let refuted = Cell(kind: .refuted, source: "x", states: 10, traceLength: 12, replayed: true)
    let checked = Cell(kind: .checked, source: "y", states: 1_234_567, bound: "depth ≤ 12")
    let oneStep = Cell(kind: .refuted, source: "z", traceLength: 1, replayed: false)
    var matrix = GuaranteesMatrix(report: VerificationReport())
    matrix.rows = [
        .init(id: "B5", title: "B5-best-effort-cycles", statement: "", category: "Bug patterns",
              cells: ["bestEffort": [refuted, checked, oneStep, checked]], sources: []),
        .init(id: "long", title: "S9-a-claim-whose-name-is-far-longer-than-any-column-of-the-table", statement: "",
              category: "Scalable messaging claims",
              cells: ["guaranteed": [oneStep, checked], "smallGuaranteed": [Cell(kind: .unexpected, source: "u")]], sources: []),
    ]
    let table = matrix.renderTable()
    for line in table.split(separator: "\n") {
        #expect(line.count <= GuaranteesMatrix.tableWidth, "too wide (\(line.count)): \(line)")
    }
    for row in matrix.rows {
        let columns = matrix.tableColumns(of: row)
        let height = columns.map(\.count).max() ?? 0
        // The row's lines as the table prints them (no colour outside a terminal).
        let rowLines = table.split(separator: "\n").map(String.init)
        let start = try #require(rowLines.firstIndex { $0.hasPrefix(columns[0][0]) })
        let lines = Array(rowLines[start ..< start + height])
        // A word longer than its column is split across lines: compare without the spaces.
        func letters(_ text: String) -> String { text.filter { !$0.isWhitespace } }
        #expect(letters(columnText(lines, from: 0, width: GuaranteesMatrix.titleWidth)) == letters(row.title))
        for (index, kind) in GuaranteesMatrix.kinds.enumerated() {
            let cells = row.cells[kind.rawValue] ?? []
            let expected = cells.isEmpty ? "—" : cells.map(\.text).joined(separator: " ")
            let start = GuaranteesMatrix.titleWidth + index * GuaranteesMatrix.columnWidth
            #expect(columnText(lines, from: start, width: GuaranteesMatrix.columnWidth) == expected, "\(row.id) \(kind)")
        }
    }
    #expect(GuaranteesMatrix.titleWidth + GuaranteesMatrix.columnWidth * GuaranteesMatrix.kinds.count <= GuaranteesMatrix.tableWidth)
    #expect(GuaranteesMatrix.wrap("refuted (1 step, replayed yes)", width: 10).allSatisfy { $0.count <= 10 })
}

/// Specs checked in one joint search report its time each; the total counts that search once.
@Test func jointSearchesCountOnceInTheTotal() throws {
    let report = verify(["P6-at-most-once-execution", "P7-single-response"])
    let results = report.specs.map(\.result)
    try #require(results.count == 2 && results.allSatisfy { !$0.jointlyWith.isEmpty })
    try #require(results[0].seconds >= 0.1, "too quick to tell once from twice")
    let text = PerformanceDocument(report: report, workers: 2).render()
    #expect(text.contains(String(format: "spec checks %.1f s", results[0].seconds)))
}
