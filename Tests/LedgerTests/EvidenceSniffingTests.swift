import Ledger
import SocialValue
import Testing

/// The kind of an evidence file is read from its bytes, never from its name.
@Suite("Evidence: what kind of file the bytes are")
struct EvidenceSniffingTests {
    /// A ZIP of empty stored entries with these names: local headers, central directory, end record.
    static func zip(_ names: [String]) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func u32(_ value: Int) -> [UInt8] { u16(value & 0xFFFF) + u16(value >> 16 & 0xFFFF) }
        var body: [UInt8] = [], directory: [UInt8] = []
        for name in names {
            let offset = body.count, bytes = Array(name.utf8)
            body += u32(0x0403_4B50) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(0) + u32(0) + u16(bytes.count) + u16(0) + bytes
            directory += u32(0x0201_4B50) + u16(20) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(0) + u32(0)
                + u16(bytes.count) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(offset) + bytes
        }
        return body + directory + u32(0x0605_4B50) + u16(0) + u16(0) + u16(names.count) + u16(names.count) + u32(directory.count) + u32(body.count) + u16(0)
    }

    @Test("PDF, PNG, JPEG, CSV, XLSX and DOCX are known by their bytes; a renamed ZIP, a binary and an empty file are not", arguments: [
        (Array("%PDF-1.7\n".utf8), "application/pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], "image/png"),
        ([0xFF, 0xD8, 0xFF, 0xE0, 0], "image/jpeg"),
        (Array("measure,quantity\nNT1,3\r\n".utf8), "text/csv"),
        (zip(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (zip(["[Content_Types].xml", "word/document.xml"]), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (zip(["hello.txt"]), nil),
        (zip(["[Content_Types].xml", "ppt/presentation.xml"]), nil),
        ([0x7F, 0x45, 0x4C, 0x46, 0, 1], nil),
        (Array("a,b\u{0}\n".utf8), nil),
        (Array("\u{FEFF}invoice;amount\n1;2\n".utf8), "text/csv"),
        (Array("{\"command\": \"x\", \"a\": 1}\n".utf8), nil),
        (Array("<html><script>alert(1)</script>,</html>".utf8), nil),
        (Array("just a note, not a table".utf8), "text/csv"),
        (Array("no delimiter at all\n".utf8), nil),
        ([], nil),
    ] as [([UInt8], String?)])
    func sniffed(bytes: [UInt8], expected: String?) {
        #expect(EvidenceSniffing.mediaType(of: bytes) == expected)
    }

    @Test("a name with a directory, a control character, or nothing in it is refused; the file's kind is never taken from it", arguments: [
        ("../payslip.pdf", false), ("C:\\\\hr\\\\payslip.pdf", false), ("pay\u{0}slip.pdf", false), ("pay\u{202E}fdp.exe", false),
        ("", false), ("..", false), ("Payslip – J Smith (March).pdf", true),
    ])
    func names(name: String, accepted: Bool) {
        #expect((EvidenceFile.nameProblem(name) == nil) == accepted, "\(name)")
        let described = try? EvidenceFile.describing(Array("%PDF-1.4\n".utf8), name: name)
        #expect((described != nil) == accepted)
    }

    @Test("a file over 25 MiB is refused, and a file named .pdf that is not one is refused for what its bytes are")
    func limits() {
        #expect(throws: DomainError.self) { try EvidenceFile.describing([UInt8](repeating: 0x41, count: EvidenceFile.maximumSize + 1), name: "big.csv") }
        #expect(throws: DomainError.self) { try EvidenceFile.describing(Self.zip(["hello.txt"]), name: "timesheet.pdf") }
        let table = Array("a,b\n".utf8) + [UInt8](repeating: 0x41, count: EvidenceFile.maximumSize - 4)
        #expect((try? EvidenceFile.describing(table, name: "big.csv"))?.mediaType == "text/csv", "a table of exactly 25 MiB")
    }
}
