import Foundation
import SocialValue
import LedgerValues

/// A pledge table in the layout of the Social Value Portal's export (seed 003): tab- or
/// comma-separated columns Theme, Reference, Question, Units, Proxy Value, Answer, Pledged
/// Social Value, then optional priority columns (e.g. "CWB Priority"), possibly with prose
/// before the header and a printed total: in prose after the rows, or as a row of the table's
/// own columns, with or without its trailing empty cells. A total row has no measure code,
/// proxy or answer, and either a "Total" label in a cell before its amount or an amount equal
/// to the sum of the stated lines; it is never read as a line.
public struct PortalTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// 1-based line number in the file.
        public let line: Int
        public let theme: String
        public let reference: String
        public let question: String
        public let units: String
        public let proxy: String
        public let answer: String
        public let stated: String
        public let priorities: [String: String]
    }

    public let rows: [Row]
    public let priorityColumns: [String]
    /// The printed total (a total row, or prose after the table), if there is one; the first if several.
    public let statedTotal: Money?
    public let delimiter: Character

    static let required = ["Theme", "Reference", "Question", "Units", "Proxy Value", "Answer", "Pledged Social Value"]
    /// Longer lines are refused rather than read: no real pledge row comes near it.
    public static let maxLineBytes = 64 * 1024

    /// Parses a pledge table file.
    /// - Throws: ``PortalTableError`` naming the line and what is wrong.
    public init(bytes: [UInt8]) throws(PortalTableError) {
        guard !bytes.isEmpty else { throw PortalTableError(line: 0, "the file is empty") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PortalTableError(line: Self.lineOfFirstInvalidUTF8(bytes), "the file is not UTF-8 text (save it as UTF-8 and try again)")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { String($0) }
        for (index, line) in lines.enumerated() where line.utf8.count > Self.maxLineBytes {
            throw PortalTableError(line: index + 1, "line is \(line.utf8.count) bytes long; a pledge row is never longer than \(Self.maxLineBytes)")
        }
        guard let (headerIndex, delimiter, header) = Self.findHeader(lines) else {
            throw PortalTableError(line: 0, "no header row found: expected tab- or comma-separated columns \(Self.required.joined(separator: ", "))")
        }
        self.delimiter = delimiter
        let positions = Self.required.map { name in header.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }! }
        let priorityIndexes = header.indices.filter { !positions.contains($0) && !header[$0].isEmpty }
        priorityColumns = priorityIndexes.map { header[$0] }
        let figureColumn = positions[6]
        func row(_ index: Int, _ fields: [String]) -> Row {
            Row(
                line: index + 1, theme: fields[positions[0]], reference: fields[positions[1]], question: fields[positions[2]],
                units: fields[positions[3]], proxy: fields[positions[4]], answer: fields[positions[5]], stated: fields[figureColumn],
                priorities: Dictionary(uniqueKeysWithValues: priorityIndexes.map { (header[$0], fields[$0]) }))
        }
        func short(_ index: Int, _ fields: [String], _ subject: String, _ why: String) -> PortalTableError {
            PortalTableError(
                line: index + 1,
                "has \(fields.count) fields, but the header (line \(headerIndex + 1)) has \(header.count): \(subject) stops before "
                    + header[fields.count...].joined(separator: ", ") + " (\(why))")
        }
        var rows: [Row] = []
        // Printed totals by line: a total row of the table, or a total in prose after it.
        var totals: [(line: Int, amount: Money)] = []
        // Rows with no measure code, proxy or answer, and an amount, unlabelled: the printed total if the amount is the sum of the lines.
        var codeless: [(index: Int, fields: [String], amount: Money)] = []
        for index in (headerIndex + 1)..<lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = Self.split(line, delimiter).map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.count == 1 {
                // Prose after the table: only a printed total is read from it.
                if let money = Self.totalAmount(in: lines, from: index) { totals.append((index + 1, money)) }
                continue
            }
            guard fields.count <= header.count else {
                throw PortalTableError(line: index + 1, "has \(fields.count) fields, but the header (line \(headerIndex + 1)) has \(header.count)")
            }
            let code = positions[1] < fields.count ? fields[positions[1]] : ""
            // A total row has no measure code, proxy or answer: a line always prints a proxy.
            if let figure = Self.figure(fields, figureColumn: figureColumn) {
                let blank = { (column: Int) in column >= fields.count || column == figure.column || fields[column].isEmpty }
                if blank(positions[1]) || Self.isTotalLabel(code), blank(positions[4]), blank(positions[5]) {
                    if fields[..<figure.column].contains(where: Self.isTotalLabel) {
                        totals.append((index + 1, figure.amount))
                        continue
                    }
                    if blank(positions[1]) {
                        codeless.append((index, fields, figure.amount))
                        continue
                    }
                }
            }
            guard fields.count == header.count else {
                throw short(index, fields, code.isEmpty ? "the row" : "the row for \(code)", "only the printed total may be shorter than the header")
            }
            rows.append(row(index, fields))
        }
        let linesSum = rows.reduce(Money.zero) { $0 + (PortalImport.statedValue($1.stated) ?? .zero) }
        for candidate in codeless {
            if candidate.amount == linesSum {
                totals.append((candidate.index + 1, candidate.amount))
            } else if candidate.fields.count == header.count {
                rows.append(row(candidate.index, candidate.fields))  // a line without a measure code
            } else {
                throw short(
                    candidate.index, candidate.fields, "the row",
                    "only the printed total may be shorter than the header, and this row is not it: it has no measure code, no \"Total\" "
                        + "label, and its \(candidate.amount.formatted) is not the sum of the stated lines, \(linesSum.formatted)")
            }
        }
        guard !rows.isEmpty else { throw PortalTableError(line: headerIndex + 1, "the header is not followed by any rows") }
        self.rows = rows.sorted { $0.line < $1.line }
        statedTotal = totals.min { $0.line < $1.line }?.amount
    }

    /// A cell that labels a row as the printed total: "Total", "TOTAL:", "Grand total", "**Total SV Pledge**".
    static func isTotalLabel(_ cell: String) -> Bool {
        let words = cell.lowercased().filter { !"*:".contains($0) }.split(whereSeparator: \.isWhitespace)
        return words.first == "total" || words.first == "totals" || words.starts(with: ["grand", "total"])
    }

    /// The amount a total row prints, and its column: the Pledged Social Value cell, or, if that
    /// is empty or missing (trailing cells dropped), the last cell that is not empty.
    static func figure(_ fields: [String], figureColumn: Int) -> (column: Int, amount: Money)? {
        let column = figureColumn < fields.count && !fields[figureColumn].isEmpty ? figureColumn : fields.lastIndex { !$0.isEmpty }
        guard let column, let amount = try? ValueParsing.money(fields[column].replacingOccurrences(of: "*", with: "")) else { return nil }
        return (column, amount)
    }

    /// The first line holding every required column, split by tab or (failing that) comma.
    static func findHeader(_ lines: [String]) -> (Int, Character, [String])? {
        for (index, line) in lines.enumerated() {
            for delimiter: Character in ["\t", ","] {
                let fields = split(line, delimiter).map { $0.trimmingCharacters(in: .whitespaces) }
                if required.allSatisfy({ name in fields.contains { $0.caseInsensitiveCompare(name) == .orderedSame } }) {
                    return (index, delimiter, fields)
                }
            }
        }
        return nil
    }

    /// Splits one line: by tab as it stands, by comma with CSV quoting.
    static func split(_ line: String, _ delimiter: Character) -> [String] {
        guard delimiter == "," else { return line.split(separator: delimiter, omittingEmptySubsequences: false).map(String.init) }
        return CSVText.parse(line).rows.first ?? [""]
    }

    /// A printed total: a line saying "Total" followed (on it or the next line) by an amount.
    static func totalAmount(in lines: [String], from index: Int) -> Money? {
        guard lines[index].range(of: "total", options: .caseInsensitive) != nil else { return nil }
        for candidate in lines[index..<min(lines.count, index + 2)] {
            let cleaned = candidate.replacingOccurrences(of: "*", with: "")
            if let start = cleaned.firstIndex(of: "£") {
                let amount = cleaned[start...].prefix { "£0123456789,. ".contains($0) }.trimmingCharacters(in: .whitespaces)
                if let money = try? ValueParsing.money(amount) { return money }
            }
        }
        return nil
    }

    /// The line on which the first invalid UTF-8 sequence starts.
    static func lineOfFirstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return line
            case .error: return line
            }
        }
    }
}

/// A pledge table that cannot be read, and where.
public struct PortalTableError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let problem: String
    init(line: Int, _ problem: String) {
        self.line = line
        self.problem = problem
    }
    public var description: String { line > 0 ? "line \(line): \(problem)" : problem }
}

extension PortalTableError: CategorizedError {
    public var kind: String { "invalid-table" }
    public var category: ErrorCategory { .input }
}
