import Foundation
import Testing
import TestSupport
@testable import Spreadsheets
import ZIPFoundation

/// XLSX as spreadsheet programs write it: openpyxl's shared strings, rich text and dates;
/// LibreOffice's formulas with their cached values; svledger's own inline strings; and what is
/// refused (not a workbook, a zip bomb, a renamed ZIP).
@Suite("XLSX reading")
struct XLSXReaderTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: CommandRunner.repositoryRoot + "/Tests/SpreadsheetsTests/Fixtures/" + name)))
    }

    @Test("openpyxl: shared strings, rich text, numbers exactly as written, a date from its serial number")
    func openpyxl() throws {
        let sheet = try XLSXReader.read(try Self.fixture("openpyxl-returns.xlsx"))
        #expect(sheet.rows[0].map(\.text) == ["contract", "quarter", "measure", "quantity", "evidence", "reported"])
        #expect(sheet.rows[1][3] == .init(text: "140000.5", kind: .number), "never through a Double's rounding")
        #expect(sheet.rows[1][5] == .init(text: "2025-10-10", kind: .date))
        #expect(sheet.rows[2][4].text == "HR-2025-Q2", "rich text runs joined")
        #expect(sheet.rows[3][3].text == "0.1" && sheet.rows[3][4].text == "APP £ ünïcode")
        #expect(sheet.rows[5][3].text == "0.0000001", "1E-07 as a plain decimal")
    }

    @Test("LibreOffice: a formula's cached value is read, and marked as a formula's")
    func libreOfficeFormulas() throws {
        let sheet = try XLSXReader.read(try Self.fixture("libreoffice-formulas.xlsx"))
        #expect(sheet.rows[1][3].text == "140000.5")
        #expect(sheet.rows[1][5].fromFormula && sheet.rows[1][5].text == "134400.48", "\(sheet.rows[1][5])")
        #expect(sheet.rows[3][2].text == "TOTAL" && sheet.rows[3][5].fromFormula)
    }

    @Test("svledger's own workbook reads back cell for cell")
    func roundTrip() throws {
        let rows: [[XLSXWriter.Value]] = [
            [.text("measure"), .text("quantity"), .text("value")],
            [.text("NT18 <local> & \"spend\""), .number("140000.50"), .formula("B2*0.96", cached: "134400.48")],
            [.empty, .number("-3"), .text("")],
        ]
        let sheet = try XLSXReader.read(try XLSXWriter.write(rows, sheetName: "Return"))
        #expect(sheet.rows[1].map(\.text) == ["NT18 <local> & \"spend\"", "140000.5", "134400.48"])
        #expect(sheet.rows[1][2].fromFormula && sheet.rows[2][0] == .empty && sheet.rows[2][1].text == "-3")
    }

    @Test("not a workbook, a ZIP of something else, and a zip bomb are refused with what they are")
    func refusals() throws {
        #expect(throws: SpreadsheetError.self) { try XLSXReader.read(Array("measure,quantity\n".utf8)) }
        let other = try XLSXWriter.write([[.text("x")]], sheetName: "x")
        // The same archive with its workbook renamed: a ZIP, but not a workbook.
        var renamed = other
        // Both its local header and the central directory name it.
        while let range = Self.find(Array("xl/workbook.xml".utf8), in: renamed) { for index in range { renamed[index] = UInt8(ascii: "q") } }
        #expect(throws: SpreadsheetError.self) { try XLSXReader.read(renamed) }
        do {
            _ = try XLSXReader.read(renamed)
        } catch let error as SpreadsheetError {
            #expect(error.message.contains("not an XLSX workbook") || error.message.contains("ZIP"), "\(error)")
        }
        // 40 MB of one repeated byte deflates to a few kilobytes: refused before it is inflated.
        let bomb = try XLSXWriter.write([[.text(String(repeating: "A", count: 40_000_000))]], sheetName: "bomb")
        #expect(bomb.count < 200_000)
        do {
            _ = try XLSXReader.read(bomb)
            Issue.record("a zip bomb was read")
        } catch let error as SpreadsheetError {
            #expect(error.message.contains("zip bomb"), "\(error)")
        }
    }

    @Test("plain decimals from the exponent forms a writer may use", arguments: [
        ("1.4E5", "140000"), ("-2.5e-3", "-0.0025"), ("0.1", "0.1"), ("100", "100"), ("1E+2", "100"), ("007.50", "7.5"), ("-0", "0"),
    ])
    func plainDecimal(raw: String, plain: String) {
        #expect(XLSXReader.plainDecimal(raw) == plain)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle { return start..<start + needle.count }
        return nil
    }

    /// A workbook whose one sheet is `sheetXML`, written as a spreadsheet program would.
    static func workbook(sheetXML: String) throws -> [UInt8] {
        var bytes = try XLSXWriter.write([[.text("x")]], sheetName: "s")
        let archive = try Archive(data: Data(bytes), accessMode: .update)
        try archive.remove(archive["xl/worksheets/sheet1.xml"]!)
        let data = Data(sheetXML.utf8)
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        bytes = Array(archive.data!)
        return bytes
    }

    @Test("what no spreadsheet program writes is refused: a long column reference, cells out of order, a DOCTYPE")
    func hostileSheets() throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let long = #"<worksheet xmlns="\#(main)"><sheetData><row r="1"><c r="AAAAAAAAAAAAAAAAAAAA1"><v>1</v></c></row></sheetData></worksheet>"#
        let outOfOrder = #"<worksheet xmlns="\#(main)"><sheetData><row r="1"><c r="I1"><v>1</v></c><c r="H1"><v>2</v></c></row></sheetData></worksheet>"#
        let entities = #"<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY m "Q1">]><worksheet xmlns="\#(main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>EV-&m;</t></is></c></row></sheetData></worksheet>"#
        for (name, xml, words) in [("long", long, "names no column"), ("out of order", outOfOrder, "out of order"), ("entities", entities, "DOCTYPE")] {
            do {
                _ = try XLSXReader.read(try Self.workbook(sheetXML: xml))
                Issue.record("\(name) was read")
            } catch let error as SpreadsheetError {
                #expect(error.message.contains(words), "\(name): \(error)")
            }
        }
        #expect(XLSXReader.columnIndex("XFD9") == 16_383 && XLSXReader.columnIndex("AAAA1") == nil)
    }

    @Test("an elapsed time is not a date; a day is")
    func dateFormats() {
        #expect(!Styles.isDate("[h]:mm") && !Styles.isDate("mm:ss") && Styles.isDate("dd/mm/yyyy") && Styles.isDate("d-mmm-yy") && !Styles.isDate("0.00"))
    }
}
