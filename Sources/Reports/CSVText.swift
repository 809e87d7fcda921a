/// The one CSV reader: commas, double-quoted fields with "" escapes, quoted line breaks,
/// LF or CRLF line ends. Used for line-item files and for comma-separated pledge tables.
public enum CSVText {
    /// The rows of `text`, and the line where a quoted field opened if the text ends inside it
    /// (the caller decides whether that is an error).
    public static func parse(_ text: String) -> (rows: [[String]], unclosedQuoteLine: Int?) {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var inQuotes = false, line = 1, quoteLine = 1
        var characters = text.makeIterator()
        var pending: Character? = characters.next()
        while let character = pending {
            pending = characters.next()
            if inQuotes {
                if character == "\"" {
                    if pending == "\"" { field.append("\""); pending = characters.next() } else { inQuotes = false }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                inQuotes = true
                quoteLine = line
            case ",": row.append(field); field = ""
            case "\n", "\r\n":
                row.append(field); rows.append(row); row = []; field = ""; line += 1
            case "\r": continue
            default: field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return (rows, inQuotes ? quoteLine : nil)
    }
}
