/// A small table rendered as aligned plain text (for a terminal) or as Markdown.
///
/// The first column is left-aligned; the others are right-aligned when ``isNumeric``, else left-aligned.
struct TextTable: Sendable, Equatable {
    var header: [String]
    var rows: [[String]]
    /// Whether the columns after the first hold numbers (right-aligned).
    var isNumeric = false

    /// Columns separated by two spaces, each padded to its widest cell; no trailing spaces.
    func plain() -> String {
        let all = [header] + rows
        let widths = (0..<header.count).map { column in all.map { $0[safe: column].count }.max() ?? 0 }
        return all.map { row in
            (0..<header.count).map { column in
                let cell = row[safe: column]
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 || !isNumeric ? cell + padding : padding + cell
            }
            .joined(separator: "  ")
            .replacing(/\s+$/, with: "")
        }
        .joined(separator: "\n")
    }

    /// A GitHub-flavoured Markdown table; `|` in a cell is escaped.
    func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + (0..<header.count).map { cells[safe: $0].replacing("|", with: "\\|") }.joined(separator: " | ")
                + " |"
        }
        let rule = "|" + (0..<header.count).map { $0 == 0 || !isNumeric ? "---" : "---:" }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension [String] {
    /// The cell at `index`, or an empty one past the end of a short row.
    fileprivate subscript(safe index: Int) -> String { indices.contains(index) ? self[index] : "" }
}
