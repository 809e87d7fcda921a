import Foundation
import SocialValue
import LedgerValues

/// A pledge table in the layout of the Social Value Portal's export (seed 003): tab- or
/// comma-separated columns Theme, Reference, Question, Units, Proxy Value, Answer, Pledged
/// Social Value, then optional priority columns (e.g. "CWB Priority"), possibly with prose
/// before the header and a printed total after the rows.
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
    /// The total printed after the table, if there is one.
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
        var rows: [Row] = []
        var total: Money?
        for index in (headerIndex + 1)..<lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = Self.split(line, delimiter)
            if fields.count == 1 {
                // Prose after the table: only a printed total is read from it.
                if let money = Self.totalAmount(in: lines, from: index) { total = total ?? money }
                continue
            }
            guard fields.count == header.count else {
                throw PortalTableError(line: index + 1, "has \(fields.count) fields, but the header (line \(headerIndex + 1)) has \(header.count)")
            }
            let value = { (column: Int) in fields[positions[column]].trimmingCharacters(in: .whitespaces) }
            rows.append(Row(
                line: index + 1, theme: value(0), reference: value(1), question: value(2), units: value(3), proxy: value(4),
                answer: value(5), stated: value(6),
                priorities: Dictionary(uniqueKeysWithValues: priorityIndexes.map { (header[$0], fields[$0].trimmingCharacters(in: .whitespaces)) })))
        }
        guard !rows.isEmpty else { throw PortalTableError(line: headerIndex + 1, "the header is not followed by any rows") }
        self.rows = rows
        statedTotal = total
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
