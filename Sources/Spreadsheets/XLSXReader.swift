import Foundation
import XMLCoder
import ZIPFoundation

/// Reads the first worksheet of an XLSX file (ECMA-376, SpreadsheetML): shared and inline
/// strings, numbers kept as written, dates from their serial numbers, formulas' cached values.
/// Every part's inflated size is checked against ``SpreadsheetLimits`` from the central
/// directory before it is inflated, and counted while it is, so a zip bomb stops early.
public enum XLSXReader {
    public static func read(_ bytes: [UInt8]) throws -> Sheet {
        guard bytes.count <= SpreadsheetLimits.fileBytes else { throw SpreadsheetError("the file is \(bytes.count) bytes; a spreadsheet is at most \(SpreadsheetLimits.fileBytes)") }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw SpreadsheetError("not an XLSX workbook: it is not a ZIP archive")
        }
        guard let workbookXML = try part("xl/workbook.xml", in: archive) else {
            throw SpreadsheetError("not an XLSX workbook: the ZIP has no xl/workbook.xml (a ZIP of something else, renamed?)")
        }
        let workbook = try decode(Workbook.self, workbookXML, "xl/workbook.xml")
        guard let first = workbook.sheets.sheet.first else { throw SpreadsheetError("the workbook has no worksheet") }
        let relations = try part("xl/_rels/workbook.xml.rels", in: archive).map { try decode(Relationships.self, $0, "xl/_rels/workbook.xml.rels") }
        let target = relations?.relationship.first { $0.id == first.relation }?.target ?? "worksheets/sheet1.xml"
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheetXML = try part(sheetPath, in: archive) else { throw SpreadsheetError("the workbook names \(sheetPath), which the file does not hold") }
        let strings = try part("xl/sharedStrings.xml", in: archive).map { try decode(SharedStrings.self, $0, "xl/sharedStrings.xml").si.map(\.text) } ?? []
        let styles = try part("xl/styles.xml", in: archive).map { try decode(Styles.self, $0, "xl/styles.xml") }
        let dateStyles = styles?.dateStyleIndexes ?? []
        let worksheet = try decode(Worksheet.self, sheetXML, sheetPath)
        return try sheet(worksheet, strings: strings, dateStyles: dateStyles, date1904: workbook.workbookPr?.date1904 == "1" || workbook.workbookPr?.date1904 == "true")
    }

    static func sheet(_ worksheet: Worksheet, strings: [String], dateStyles: Set<Int>, date1904: Bool) throws -> Sheet {
        var rows: [[Sheet.Cell]] = []
        for row in worksheet.sheetData.row ?? [] {
            let index = (row.r ?? rows.count + 1) - 1
            guard index < SpreadsheetLimits.rows else { throw SpreadsheetError("the sheet has more than \(SpreadsheetLimits.rows) rows") }
            while rows.count < index { rows.append([]) }
            var cells: [Sheet.Cell] = []
            for cell in row.c ?? [] {
                let column: Int
                if let reference = cell.r {
                    guard let named = columnIndex(reference) else { throw SpreadsheetError("row \(index + 1) has a cell whose reference \(reference.prefix(20)) names no column") }
                    column = named
                } else {
                    column = cells.count
                }
                guard column >= cells.count else { throw SpreadsheetError("row \(index + 1) has its cells out of order (\(cell.r ?? "")): the file is not as a spreadsheet program writes it") }
                guard column < SpreadsheetLimits.columns else { throw SpreadsheetError("row \(index + 1) has a cell beyond column \(SpreadsheetLimits.columns)") }
                while cells.count < column { cells.append(.empty) }
                cells.append(try value(cell, strings: strings, dateStyles: dateStyles, date1904: date1904, row: index + 1))
            }
            rows.append(cells)
        }
        return Sheet(rows: rows)
    }

    static func value(_ cell: Worksheet.Cell, strings: [String], dateStyles: Set<Int>, date1904: Bool, row: Int) throws -> Sheet.Cell {
        let formula = cell.f != nil
        switch cell.t ?? "n" {
        case "s":
            guard let text = cell.v, let index = Int(text), strings.indices.contains(index) else {
                throw SpreadsheetError("row \(row): a shared string that the workbook does not hold")
            }
            return .init(text: strings[index], kind: .text, fromFormula: formula)
        case "inlineStr": return .init(text: cell.inline?.text ?? "", kind: .text, fromFormula: formula)
        case "str": return .init(text: cell.v ?? "", kind: .text, fromFormula: formula)
        case "b": return .init(text: cell.v == "1" ? "TRUE" : "FALSE", kind: .boolean, fromFormula: formula)
        case "e": return .init(text: cell.v ?? "#ERROR", kind: .error, fromFormula: formula)
        default:
            guard let raw = cell.v, !raw.isEmpty else { return .init(text: "", kind: .text, fromFormula: formula) }
            guard let number = plainDecimal(raw) else { throw SpreadsheetError("row \(row): \(raw.prefix(40)) is not a number") }
            if let style = cell.s, dateStyles.contains(style), let day = dateFromSerial(number, date1904: date1904) {
                return .init(text: day, kind: .date, fromFormula: formula)
            }
            return .init(text: number, kind: .number, fromFormula: formula)
        }
    }

    /// A part's bytes, or `nil` when the archive has none; refused when it would inflate past the
    /// limits, checked before and while inflating.
    static func part(_ path: String, in archive: Archive) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        let stored = max(entry.compressedSize, 1)
        guard entry.uncompressedSize <= UInt64(SpreadsheetLimits.partBytes), entry.uncompressedSize / stored <= SpreadsheetLimits.ratio else {
            throw SpreadsheetError("\(path) inflates to \(entry.uncompressedSize) bytes from \(entry.compressedSize): refused as a zip bomb")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                guard data.count <= SpreadsheetLimits.partBytes else { throw SpreadsheetError("\(path) inflates past \(SpreadsheetLimits.partBytes) bytes: refused as a zip bomb") }
            }
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw SpreadsheetError("\(path) cannot be inflated: \(error)")
        }
        return data
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ path: String) throws -> T {
        // SpreadsheetML never declares a document type; one that does could define entities,
        // which would change what cells say. Refused before the XML is parsed.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!doctype".utf8)) != nil {
            throw SpreadsheetError("\(path) declares a document type (<!DOCTYPE): not the SpreadsheetML a spreadsheet program writes")
        }
        let decoder = XMLDecoder()
        decoder.shouldProcessNamespaces = true
        decoder.trimValueWhitespaces = false
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw SpreadsheetError("\(path) is not the SpreadsheetML it should be: \(error)")
        }
    }

    /// "C12" → 2; `nil` when it does not start with one to three column letters (XFD, the last
    /// column a workbook may have, has three).
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, letters = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { break }
            letters += 1
            guard letters <= 3 else { return nil }
            index = index * 26 + Int(scalar.value - 64)
        }
        return letters == 0 ? nil : index - 1
    }

    /// A number as a plain decimal, exactly: "1.4E5" → "140000", "-2.5e-3" → "-0.0025".
    static func plainDecimal(_ text: String) -> String? {
        let parts = text.lowercased().split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
        var mantissa = String(parts[0])
        let exponent = parts.count == 2 ? Int(parts[1]) : 0
        guard let exponent, abs(exponent) < 400 else { return nil }
        let negative = mantissa.hasPrefix("-")
        if negative || mantissa.hasPrefix("+") { mantissa.removeFirst() }
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !pieces.isEmpty, pieces.count <= 2, pieces.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }), !(pieces[0].isEmpty && (pieces.count == 1 || pieces[1].isEmpty)) else { return nil }
        var digits = String(pieces[0]) + (pieces.count == 2 ? String(pieces[1]) : "")
        var point = pieces[0].count + exponent
        if point < 0 {
            digits = String(repeating: "0", count: -point) + digits
            point = 0
        }
        if point > digits.count { digits += String(repeating: "0", count: point - digits.count) }
        var whole = String(digits.prefix(point)).drop { $0 == "0" }
        var fraction = String(digits.dropFirst(point))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if whole.isEmpty { whole = "0" }
        let plain = fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
        return negative && plain != "0" ? "-" + plain : plain
    }

    /// A serial day number as YYYY-MM-DD: days since 1899-12-30 (which absorbs the 1900 system's
    /// phantom 29 February 1900 for every day from March 1900), or since 1904-01-01.
    static func dateFromSerial(_ number: String, date1904: Bool) -> String? {
        guard let days = Int(number.split(separator: ".").first ?? ""), days >= 1 || date1904, days < 2_958_466 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let epoch = calendar.date(from: DateComponents(year: date1904 ? 1904 : 1899, month: date1904 ? 1 : 12, day: date1904 ? 1 : 30))!
        guard let day = calendar.date(byAdding: .day, value: days, to: epoch) else { return nil }
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

// MARK: - The SpreadsheetML read (only what the reader needs)

struct Workbook: Decodable {
    struct Properties: Decodable { let date1904: String? }
    struct Sheets: Decodable { let sheet: [SheetEntry] }
    struct SheetEntry: Decodable {
        let name: String
        let relation: String?
        enum CodingKeys: String, CodingKey { case name, relation = "id" }
    }
    let workbookPr: Properties?
    let sheets: Sheets
}

struct Relationships: Decodable {
    struct Relationship: Decodable {
        let id: String
        let target: String
        enum CodingKeys: String, CodingKey { case id = "Id", target = "Target" }
    }
    let relationship: [Relationship]
    enum CodingKeys: String, CodingKey { case relationship = "Relationship" }
}

/// A string item: plain `<t>`, or rich text runs `<r><t>…</t></r>` joined.
struct StringItem: Decodable {
    struct Text: Decodable {
        let value: String
        enum CodingKeys: String, CodingKey { case value = "" }
    }
    struct Run: Decodable { let t: Text? }
    let t: Text?
    let r: [Run]?
    var text: String { t?.value ?? (r ?? []).map { $0.t?.value ?? "" }.joined() }
}

struct SharedStrings: Decodable {
    let si: [StringItem]
    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        si = try container.decodeIfPresent([StringItem].self, forKey: .si) ?? []
    }
    enum CodingKeys: String, CodingKey { case si }
}

struct Styles: Decodable {
    struct NumberFormats: Decodable { let numFmt: [NumberFormat]? }
    struct NumberFormat: Decodable {
        let numFmtId: Int
        let formatCode: String
    }
    struct CellFormats: Decodable { let xf: [Format]? }
    struct Format: Decodable { let numFmtId: Int? }
    let numFmts: NumberFormats?
    let cellXfs: CellFormats?

    /// The built-in date formats (ECMA-376 §18.8.30: 14–22, 45–47) and custom ones that show a
    /// day, month or year.
    var dateStyleIndexes: Set<Int> {
        let custom = Set((numFmts?.numFmt ?? []).filter { Self.isDate($0.formatCode) }.map(\.numFmtId))
        let builtin = Set(14...22)
        return Set((cellXfs?.xf ?? []).enumerated().compactMap { index, format in
            format.numFmtId.map { builtin.contains($0) || custom.contains($0) } == true ? index : nil
        })
    }

    static func isDate(_ code: String) -> Bool {
        // An elapsed time ([h]:mm) is a duration, not a day.
        if code.lowercased().contains("[h") || code.lowercased().contains("[m") || code.lowercased().contains("[s") { return false }
        // Quoted text and bracketed colours or locales are not format letters.
        let bare = code.replacing(#/"[^"]*"|\[[^\]]*\]/#, with: "").lowercased()
        return bare.contains("d") || bare.contains("y") || (bare.contains("m") && !bare.contains("h") && !bare.contains("s"))
    }
}

struct Worksheet: Decodable {
    struct SheetData: Decodable { let row: [Row]? }
    struct Row: Decodable {
        let r: Int?
        let c: [Cell]?
    }
    struct Cell: Decodable {
        let r: String?
        let t: String?
        let s: Int?
        let v: String?
        let f: Formula?
        let inline: StringItem?
        enum CodingKeys: String, CodingKey { case r, t, s, v, f, inline = "is" }
    }
    /// Only whether it is there: its text is never read, let alone evaluated.
    struct Formula: Decodable {
        init(from decoder: Decoder) throws {}
    }
    let sheetData: SheetData
}
