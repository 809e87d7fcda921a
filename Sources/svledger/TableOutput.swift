import ArgumentParser
import EventStore
import LedgerValues

/// How a table-shaped answer is printed.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json
}

/// Prints rows as an aligned text table, CSV (RFC 4180 quoting) or JSON objects.
enum TableOutput {
    static func print(_ header: [String], _ rows: [[String]], format: TableFormat, title: String? = nil, maxWidth: Int = 60) {
        switch format {
        case .csv:
            Swift.print(header.map(csvField).joined(separator: ","))
            for row in rows { Swift.print(row.map(csvField).joined(separator: ",")) }
        case .json:
            for row in rows {
                var object: [String: JSONValue] = [:]
                for (key, value) in zip(header, row) where !key.isEmpty { object[key] = .string(value) }
                Swift.print(JSONValue.object(JSONObject(object)).canonicalText)
            }
        case .text:
            if let title { Swift.print(title) }
            let fitted = rows.map { $0.map { $0.count > maxWidth ? String($0.prefix(maxWidth - 1)) + "…" : $0 } }
            let widths = header.indices.map { column in ([header[column]] + fitted.map { $0[column] }).map(\.count).max() ?? 0 }
            let line: ([String]) -> String = { cells in
                zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ").trimmingTrailingSpaces()
            }
            Swift.print(line(header))
            for row in fitted { Swift.print(line(row)) }
        }
    }

    static func csvField(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}

