import ArgumentParser
import LedgerValues
import Reports

/// How a table-shaped answer is printed.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json
}

/// Prints rows as an aligned text table or as CSV. JSON is not a table here: each read builds
/// its document in Reports/Read and prints that (Schemas/read/).
enum TableOutput {
    /// CSV through the one writer (`Reports.CSVWriter`: RFC 4180 quoting and the formula guard).
    static func csv(_ header: [String], _ rows: [[String]]) {
        Swift.print(CSVWriter.table(header: header, rows: rows), terminator: "")
    }

    static func text(_ header: [String], _ rows: [[String]], title: String? = nil, maxWidth: Int = 60) {
        if let title { Terminal.print(title) }
        // Escaped before they are measured, so that the columns line up as printed.
        let fitted = rows.map { $0.map { DisplayText.escaped($0) }.map { $0.count > maxWidth ? String($0.prefix(maxWidth - 1)) + "…" : $0 } }
        let widths = header.indices.map { column in ([header[column]] + fitted.map { $0[column] }).map(\.count).max() ?? 0 }
        let line: ([String]) -> String = { cells in
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        Terminal.print(line(header))
        for row in fitted { Terminal.print(line(row)) }
    }
}
