import Reports
import Testing

@Suite("The one CSV writer: RFC 4180 quoting and the spreadsheet formula guard")
struct CSVWriterTests {
    @Test("a cell starting with a formula character gets a leading quote", arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+44 1772 254868", "'+44 1772 254868"),
        ("-1+2", "'-1+2"),
        ("-A1", "'-A1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "\"'\rcmd\""),
        ("\r\n=1", "\"'\r\n=1\""),
    ])
    func guarded(input: String, expected: String) {
        #expect(CSVWriter.field(input) == expected)
    }

    @Test("a plain decimal figure keeps its sign, so a spreadsheet still reads a number", arguments: [
        "-12.50", "-67389.82", "-3", "0", "12.50", "134779.64",
    ])
    func numbers(input: String) {
        #expect(CSVWriter.field(input) == input)
    }

    @Test("a minus that is not the sign of a whole decimal number is guarded", arguments: ["-", "-.5", "-5.", "-1.2.3", "- 4", "-1e5"])
    func notNumbers(input: String) {
        #expect(CSVWriter.field(input) == "'" + input)
    }

    @Test("commas, quotes and line breaks are quoted; a CRLF inside a cell is seen")
    func quoting() {
        #expect(CSVWriter.field("Safe Roads Ltd") == "Safe Roads Ltd")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("line one\nline two") == "\"line one\nline two\"")
        // "\r\n" is one Character in Swift: a Character comparison with "\r" or "\n" misses it.
        #expect(CSVWriter.field("line one\r\nline two") == "\"line one\r\nline two\"")
        #expect(CSVWriter.field("") == "")
        #expect(CSVWriter.field("a=b") == "a=b", "only the first character can start a formula")
    }

    @Test("a table is the header and rows, one line each")
    func table() {
        #expect(CSVWriter.table(header: ["a", "b"], rows: [["1", "=x"], ["-2.00", "y,z"]]) == "a,b\n1,'=x\n-2.00,\"y,z\"\n")
    }
}
