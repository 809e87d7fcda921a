/// The one CSV writer: every CSV svledger prints goes through it (the CLI's tables and the
/// Cabinet report alike), so the formula guard cannot be forgotten by a new output.
///
/// Two steps per cell, in this order:
/// 1. Formula-injection guard (OWASP "CSV Injection"): a cell whose first character is `=`, `+`,
///    `-`, `@`, a tab or a carriage return would be run as a formula by a spreadsheet, so it gets
///    a leading single quote `'`. Ledger text (contract titles, supplier names, reasons) comes
///    from people and portals, and a cabinet officer opening the file must not execute it.
///    The one exception is deliberate: a cell that is entirely a decimal number, such as the
///    variance "-12.50", is a figure, not a formula, and is left as it is so that a spreadsheet
///    still reads it as a number. "-" followed by anything else ("-1+2", "-A1", "- note") is guarded.
/// 2. RFC 4180 quoting: a cell holding a comma, a double quote, a line feed or a carriage return
///    is wrapped in double quotes, with each `"` doubled.
///
/// Both checks look at Unicode scalars (UTF-8 bytes), not Characters: Swift treats "\r\n" as one
/// Character, which equals neither "\r" nor "\n", so a Character test misses a CRLF in a cell.
/// Rows end with "\n".
public enum CSVWriter {
    /// One cell, guarded and quoted.
    public static func field(_ value: String) -> String {
        let bytes = value.utf8
        var text = value
        if let first = bytes.first, formulaStart.contains(first), !(first == UInt8(ascii: "-") && isDecimalNumber(bytes)) {
            text = "'" + value
        }
        guard bytes.contains(where: { needsQuotes.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One row, without its line end.
    public static func row(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",")
    }

    /// A header and its rows, each line ended by "\n".
    public static func table(header: [String], rows: [[String]]) -> String {
        var text = row(header) + "\n"
        for cells in rows { text += row(cells) + "\n" }
        return text
    }

    /// First bytes a spreadsheet treats as the start of a formula (OWASP's list).
    static let formulaStart: Set<UInt8> = Set("=+-@\t\r".utf8)
    static let needsQuotes: Set<UInt8> = Set(",\"\n\r".utf8)

    /// `-?digits(.digits)?`: the whole cell is a plain decimal figure (how svledger writes money,
    /// quantities and variances), so a leading `-` is a sign, not a formula.
    static func isDecimalNumber(_ bytes: String.UTF8View) -> Bool {
        var digitsBefore = 0, digitsAfter = 0, sawPoint = false
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where offset == 0: continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"): if sawPoint { digitsAfter += 1 } else { digitsBefore += 1 }
            case UInt8(ascii: ".") where !sawPoint: sawPoint = true
            default: return false
            }
        }
        return digitsBefore > 0 && (!sawPoint || digitsAfter > 0)
    }
}
