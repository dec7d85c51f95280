import Foundation
import ICCore
import ICProofs
import ModelChecking
import ICSpec

/// The guarantees matrix: one row per property or claim, one column per call kind, each cell
/// saying how the library settled it: proved (Z3, unbounded), checked (explicit, within bounds),
/// or refuted (with a trace, replayed or not).
struct GuaranteesMatrix: Encodable {
    /// How one cell was settled.
    struct Cell: Encodable, Equatable {
        enum Kind: String, Encodable { case proved, checked, refuted, incomplete, unexpected }
        let kind: Kind
        /// Which spec or proof group settled it.
        let source: String
        var states: Int?
        var bound: String?
        var traceLength: Int?
        var replayed: Bool?
        var seconds: Double?

        /// Short text for the terminal and the document (no timings: the document must be
        /// reproducible byte for byte).
        var text: String {
            switch kind {
            case .proved: return "proved (Z3)"
            case .checked: return "checked (\(states.map(Self.count) ?? "?") states\(bound.map { ", \($0)" } ?? ""))"
            case .refuted:
                let steps = traceLength.map { $0 == 1 ? "1 step" : "\($0) steps" } ?? "? steps"
                return "refuted (\(steps), replayed \(replayed == true ? "yes" : "no"))"
            case .incomplete: return "incomplete"
            case .unexpected: return "UNEXPECTED"
            }
        }

        static func count(_ n: Int) -> String { CountFormat.grouped(n) }
    }

    struct Row: Encodable {
        let id: String
        let title: String
        let statement: String
        let category: String
        /// Cells by call kind (raw value); a kind absent from the dictionary is not applicable.
        var cells: [String: [Cell]]
        /// Specs and proof groups that contribute to the row.
        var sources: [String]
    }

    var rows: [Row]

    static let kinds: [ICCore.CallKind] = [.guaranteed, .smallGuaranteed, .bestEffort]
    static let kindTitles = ["guaranteed", "small guaranteed", "best effort"]

    init(report: VerificationReport) {
        var rows: [Row] = []
        var index: [String: Int] = [:]
        for outcome in report.specs {
            let spec = outcome.spec
            let id = Self.rowId(for: spec)
            let cell = Self.cell(for: outcome)
            if index[id] == nil {
                index[id] = rows.count
                rows.append(Row(id: id, title: Self.rowTitle(for: spec, id: id), statement: spec.summary,
                                category: spec.category.rawValue, cells: [:], sources: []))
            }
            let position = index[id]!
            rows[position].sources.append(spec.name)
            for kind in spec.callKinds {
                rows[position].cells[kind.rawValue, default: []].append(cell)
            }
        }
        for group in report.proofGroups {
            let groupRows = report.proofs.filter { $0.group == group.name }
            guard !groupRows.isEmpty else { continue }
            let allProved = groupRows.allSatisfy { $0.outcome == .proved }
            let cell = Cell(kind: allProved ? .proved : .unexpected, source: "prove \(group.name)",
                            seconds: groupRows.reduce(0) { $0 + $1.seconds })
            var row = Row(id: "proof-\(group.name)", title: "Z3: \(group.name)", statement: group.summary,
                          category: "Inductive proofs (unbounded)", cells: [:], sources: ["prove \(group.name)"])
            for kind in Self.kinds { row.cells[kind.rawValue] = [cell] }
            rows.append(row)
        }
        self.rows = rows
    }

    /// Specs of one property or bug pattern share a row: `P10-…-guaranteed` and
    /// `P10-…-best-effort` are two columns of the P10 row; `B2-…-buggy` and `B2-…-fixed` are one
    /// row. Claims of the scalable messaging model and applications have a row each.
    static func rowId(for spec: Spec) -> String {
        switch spec.category {
        case .messageProperty, .bugPattern:
            return String(spec.name.split(separator: "-").first ?? Substring(spec.name))
        case .scalableMessagingClaim, .application, .benchmark:
            return spec.name
        }
    }

    /// Short titles of the IC's message-execution properties (MEP, ic-semantics.md §5).
    static let propertyTitles: [String: String] = [
        "P1": "P1 one execution at a time, atomic",
        "P2": "P2 an await splits a method into executions",
        "P3": "P3 requests start in send order (per pair)",
        "P4": "P4 responses are not ordered",
        "P5": "P5 a trap discards that execution's changes",
        "P6": "P6 at-most-once execution of a request",
        "P7": "P7 at most one response per call",
        "P8": "P8 guaranteed: the callee's response, never SYS_UNKNOWN",
        "P9": "P9 best effort: the callee's response or SYS_UNKNOWN",
        "P10": "P10 cycles conserved per call",
        "P11": "P11 best effort: cycles lost only with SYS_UNKNOWN",
    ]

    static func rowTitle(for spec: Spec, id: String) -> String {
        if id == spec.name { return spec.name }
        if let title = propertyTitles[id] { return title }
        for suffix in ["-buggy", "-fixed", "-correct"] where spec.name.hasSuffix(suffix) {
            return String(spec.name.dropLast(suffix.count))
        }
        return id
    }

    static func cell(for outcome: VerificationReport.SpecOutcome) -> Cell {
        let result = outcome.result
        var cell: Cell
        switch result.verdict {
        case .holds:
            cell = Cell(kind: .checked, source: outcome.spec.name, states: result.distinct,
                        bound: outcome.spec.maxDepth.map { "depth ≤ \($0)" })
        case .violated:
            cell = Cell(kind: .refuted, source: outcome.spec.name, states: result.distinct,
                        traceLength: result.traceLength, replayed: outcome.replay?.outcome == .reproduced)
        case .incomplete, .error:
            cell = Cell(kind: .incomplete, source: outcome.spec.name, states: result.distinct)
        }
        if !outcome.asExpected { cell = Cell(kind: .unexpected, source: outcome.spec.name, states: result.distinct) }
        cell.seconds = result.seconds
        return cell
    }

    /// The terminal table's width: the title column and one column per call kind, each wide
    /// enough for the longest usual verdict, "refuted (10 steps, replayed yes)", on one line.
    static let tableWidth = 120
    static let titleWidth = 21
    static let columnWidth = 33

    /// The matrix as a fixed-width table for the terminal, at most `tableWidth` columns wide. A
    /// cell's verdicts go one per line and wrap at spaces, so no verdict is ever cut off.
    func renderTable() -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(0, width - text.count))
        }
        var lines = [(pad("property / claim", Self.titleWidth) + Self.kindTitles.map { pad($0, Self.columnWidth) }.joined()).trailingSpacesTrimmed]
        lines.append(String(repeating: "─", count: Self.titleWidth + Self.columnWidth * Self.kinds.count))
        var category = ""
        for row in rows {
            if row.category != category {
                category = row.category
                lines.append(Terminal.paint(category, .bold))
            }
            let columns = tableColumns(of: row)
            let colours = Self.kinds.map { kind -> Terminal.Colour in
                let cells = row.cells[kind.rawValue] ?? []
                if cells.contains(where: { $0.kind == .unexpected || $0.kind == .incomplete }) { return .red }
                if cells.contains(where: { $0.kind == .refuted }) { return .yellow }
                return cells.isEmpty ? .dim : .green
            }
            for line in 0 ..< (columns.map(\.count).max() ?? 1) {
                var text = pad(line < columns[0].count ? columns[0][line] : "", Self.titleWidth)
                for (index, column) in columns.dropFirst().enumerated() {
                    text += Terminal.paint(pad(line < column.count ? column[line] : "", Self.columnWidth), colours[index])
                }
                lines.append(text.trailingSpacesTrimmed)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A row's title and cells, each wrapped to its column (one space short of it, the gap to the
    /// next column): the lines the table shows, without padding or colour.
    func tableColumns(of row: Row) -> [[String]] {
        let cells = Self.kinds.map { kind -> [String] in
            let cells = row.cells[kind.rawValue] ?? []
            return cells.isEmpty ? ["—"] : cells.flatMap { Self.wrap($0.text, width: Self.columnWidth - 1) }
        }
        return [Self.wrap(row.title, width: Self.titleWidth - 1)] + cells
    }

    /// `text` in lines of at most `width` characters, broken at spaces (a word longer than the
    /// width is split, after a hyphen where it has one; nothing is dropped).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            if !line.isEmpty, line.count + 1 + word.count <= width {
                line += " " + word
                continue
            }
            if !line.isEmpty { lines.append(line) }
            while word.count > width {
                // A long spec name breaks after a hyphen when it can.
                let head = word.prefix(width)
                let cut = head.lastIndex(of: "-").map { head.distance(from: head.startIndex, to: $0) + 1 } ?? width
                lines.append(String(word.prefix(cut)))
                word = word.dropFirst(cut)
            }
            line = String(word)
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}

extension String {
    /// The string without the spaces at its end (the table pads its last column).
    fileprivate var trailingSpacesTrimmed: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
