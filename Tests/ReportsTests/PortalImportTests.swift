import EventStore
import LedgerValues
import Foundation
import Reports
import SocialValue
import Testing
import TestSupport

@Suite("Portal pledge-table import")
struct PortalImportTests {
    static let seed003 = CommandRunner.repositoryRoot + "/tools/demo-data/seed-003-pledge-table.txt"
    static let catalog = try! Catalog(document: BuiltinReference.document(.catalogs, "portal-003")!)

    static func seedBytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: seed003)))
    }

    @Test("seed 003: the findings name NT18 and no line whose difference the printed precision explains")
    func seedFindings() throws {
        let table = try PortalTable(bytes: try Self.seedBytes())
        #expect(table.rows.count == 22)
        #expect(table.priorityColumns == ["CWB Priority", "Corporate Strategy"])
        #expect(table.statedTotal == Money(pence: 846_124_535))
        let plan = PortalImport(table: table, catalog: Self.catalog)
        let disagreeing = plan.findings.filter { $0.kind == .valueDisagrees }
        #expect(disagreeing.map(\.measure) == ["NT18"], "NT19's £240,952.95 is explained by the proxy 0.963812 printed to 6 decimals")
        #expect(disagreeing.first?.line == 25)
        #expect(plan.findings.filter { $0.kind == .blankAnswer }.map(\.measure) == ["NT13"])
        #expect(Set(plan.findings.filter { $0.kind == .recordOnly }.compactMap(\.measure)) == ["CBC5 RBC1", "NT68"])
        #expect(!plan.findings.contains { $0.kind == .totalDiffers }, "the printed total is the sum of the stated lines")
        // The recomputed total, stated beside the printed £8,461,245.35.
        #expect(plan.computedTotal.plain == "2822946.49")
        #expect(plan.statedLinesTotal.plain == "8461245.35")
        #expect(plan.blockingFindings(useComputed: false, addMeasures: false).map(\.measure) == ["NT18"])
        #expect(plan.blockingFindings(useComputed: true, addMeasures: false).isEmpty)
    }

    @Test("the printed precision rule at its boundary", arguments: [
        // 250000 × 0.963812 = 240953.0000; tolerance 250000 × 0.0000005 + 0.005 = 0.13
        ("240952.87", "250000", "0.963812", true), ("240952.86", "250000", "0.963812", false),
        ("240953.13", "250000", "0.963812", true), ("240953.14", "250000", "0.963812", false),
        // An integer proxy is exact: only the penny rounding is allowed.
        ("738768.00", "24", "30782", true), ("738768.01", "24", "30782", false),
        // 8.045 rounds to 8.05; both 8.04 and 8.05 lie within 0.5 × 0.005 + 0.005 = 0.0075.
        ("8.05", "0.5", "16.09", true), ("8.04", "0.5", "16.09", true), ("8.06", "0.5", "16.09", false),
    ])
    func precision(stated: String, quantity: String, proxy: String, explained: Bool) throws {
        #expect(PortalImport.explained(stated: try ValueParsing.money(stated), quantity: try ValueParsing.quantity(quantity), printedProxy: try ValueParsing.decimal(proxy)) == explained)
    }

    @Test("unknown measures, non-numeric answers, other units and a wrong total are all found")
    func otherFindings() throws {
        let text = """
            Theme,Reference,Question,Units,Proxy Value,Answer,Pledged Social Value
            Jobs,NT1,"Local staff, FTE",no. people,30782,2,"£ 61,564.00"
            Jobs,XX9,A local measure,no. hours,10,5,£ 50.00
            Jobs,NT3,Long-term unemployed,no. people FTE,20481,two,£ 40962.00
            Total: £99.00
            """
        let plan = PortalImport(table: try PortalTable(bytes: Array(text.utf8)), catalog: Self.catalog)
        let kinds = Set(plan.findings.map(\.kind))
        #expect(kinds == [.unitDiffers, .unknownMeasure, .badAnswer, .totalDiffers])
        #expect(plan.blockingFindings(useComputed: true, addMeasures: true).map(\.kind) == [.badAnswer])
    }

    @Test("malformed files get a clear error naming the line", arguments: [
        ("empty", "the file is empty"), ("header only", "not followed by any rows"), ("wrong delimiter", "no header row found"),
        ("ragged row", "line 3: has 5 fields, but the header (line 1) has 7"), ("non-UTF-8", "line 2: the file is not UTF-8"),
        ("10 MB line", "line 2: line is 10485760 bytes long"),
    ])
    func malformed(kind: String, expected: String) {
        let error = #expect(throws: PortalTableError.self) { try PortalTable(bytes: Self.malformedFile(kind)) }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    }

    /// Seed 003 with its prose total replaced by `totalRow`, printed in the table's own columns.
    static func seedWithTotalRow(_ totalRow: String, delimiter: String = "\t") throws -> [UInt8] {
        let text = String(decoding: try seedBytes(), as: UTF8.self)
        let table = text[..<text.range(of: "**Total SV Pledge")!.lowerBound]
        return Array((table + totalRow.replacingOccurrences(of: "|", with: delimiter) + "\n").utf8)
    }

    // The header has 9 columns: Theme|Reference|Question|Units|Proxy Value|Answer|Pledged Social Value|CWB Priority|Corporate Strategy.
    @Test("a total printed as a row of the table is the printed total, labelled or not, with trailing cells kept or dropped", arguments: [
        ("labelled in Question, cells kept", "||Total||||£ 8,461,245.35||"),
        ("labelled in Question, cells dropped", "||Total||||£ 8,461,245.35"),
        ("TOTAL in Theme, cells kept", "TOTAL||||||£8,461,245.35||"),
        ("TOTAL in Theme, cells dropped", "TOTAL||||||£8,461,245.35"),
        ("Grand total in Reference, cells kept", "|Grand total|||||£ 8,461,245.35||"),
        ("Grand total in Reference, cells dropped", "|Grand total|||||£ 8,461,245.35"),
        ("the seed's own wording, cells dropped", "**Total SV Pledge**||||||£8,461,245.35"),
        ("unlabelled, cells kept", "||||||£ 8,461,245.35||"),
        ("unlabelled, cells dropped", "||||||£ 8,461,245.35"),
        ("compact: the label and the amount only", "Total|£ 8,461,245.35"),
    ])
    func totalRow(layout: String, row: String) throws {
        let table = try PortalTable(bytes: try Self.seedWithTotalRow(row))
        #expect(table.rows.count == 22, "\(layout): the total is not a measure line")
        #expect(table.statedTotal == Money(pence: 846_124_535))
        let plan = PortalImport(table: table, catalog: Self.catalog)
        #expect(plan.statedLinesTotal.plain == "8461245.35", "\(layout): the total is not counted as a line")
        #expect(!plan.findings.contains { $0.kind == .unknownMeasure || $0.kind == .totalDiffers }, "\(layout): \(plan.findings)")
        #expect(plan.blockingFindings(useComputed: true, addMeasures: false).isEmpty)
    }

    @Test("a total row in a comma-separated table, labelled with cells dropped and unlabelled with cells kept", arguments: [
        "Total,,,,,,\"£ 82,045.00\"", ",,,,,,\"£ 82,045.00\",",
    ])
    func totalRowCSV(row: String) throws {
        let text = """
            Theme,Reference,Question,Units,Proxy Value,Answer,Pledged Social Value,CWB Priority
            Jobs,NT1,Local staff,no. people FTE,30782,2,"£ 61,564.00",Advancing Fairer Employment
            Jobs,NT3,Long-term unemployed,no. people FTE,20481,1,"£ 20,481.00",Advancing Fairer Employment
            \(row)
            """
        let table = try PortalTable(bytes: Array(text.utf8))
        #expect(table.rows.map(\.reference) == ["NT1", "NT3"])
        #expect(table.statedTotal == Money(pence: 8_204_500))
        #expect(PortalImport(table: table, catalog: Self.catalog).findings.isEmpty)
    }

    @Test("a labelled total row that is not the sum of the lines is set against them, not counted as a line", arguments: [
        "||Total||||£ 9,000,000.00||", "||Total||||£ 9,000,000.00",
    ])
    func wrongTotalRow(row: String) throws {
        let table = try PortalTable(bytes: try Self.seedWithTotalRow(row))
        #expect(table.rows.count == 22)
        #expect(table.statedTotal == Money(pence: 900_000_000))
        let plan = PortalImport(table: table, catalog: Self.catalog)
        #expect(plan.statedLinesTotal.plain == "8461245.35")
        #expect(plan.findings.filter { $0.kind == .totalDiffers }.map(\.message)
            == ["the printed total £9,000,000.00 differs from the sum of the stated lines £8,461,245.35"])
        #expect(!plan.findings.contains { $0.kind == .unknownMeasure })
    }

    @Test("a short row that is not the printed total is refused, naming its line", arguments: [
        // NT1 with its two priority cells dropped (line 12).
        ("a measure line", "NT1", 12, "line 12: has 7 fields, but the header (line 11) has 9"),
        // No measure code, no label, and not the sum of the lines (line 36).
        ("an unlabelled figure", "||||||£ 5.00", 36, "line 36: has 7 fields, but the header (line 11) has 9"),
    ])
    func shortRowRefused(what: String, row: String, line: Int, expected: String) throws {
        var bytes: [UInt8]
        if row == "NT1" {
            let text = String(decoding: try Self.seedBytes(), as: UTF8.self)
            bytes = Array(text.replacingOccurrences(
                of: "\t£ 738,768.00\tAdvancing Fairer Employment\tA fair local economy that works for everyone\n",
                with: "\t£ 738,768.00\n").utf8)
        } else {
            bytes = try Self.seedWithTotalRow(row)
        }
        let error = #expect(throws: PortalTableError.self) { try PortalTable(bytes: bytes) }
        #expect(error?.line == line)
        #expect(error?.description.hasPrefix(expected) == true, "\(what): \(String(describing: error))")
        if row == "NT1" { #expect(error?.description.contains("NT1") == true, "the message names the measure") }
        #expect(error?.description.contains("CWB Priority") == true, "the message names the missing columns: \(String(describing: error))")
    }

    @Test("a full-width row with no measure code stays a line, not the total, when it is unlabelled and not the sum, or prints a proxy or answer", arguments: [
        "Jobs|||||1|£ 5.00||",
        // The lines' own sum, but with a proxy: a line whose code is missing.
        "Growth|||£|0.963812|650000|£ 8,461,245.35||",
        // A question that starts "Total" (as NT18's does), with a proxy and answer.
        "Growth||Total amount (£) spent in LOCAL supply chain through the contract|£|0.963812|650000|£ 626,477.80||",
    ])
    func codelessLineIsNotTotal(row: String) throws {
        let table = try PortalTable(bytes: try Self.seedWithTotalRow(row))
        #expect(table.rows.count == 23)
        #expect(table.statedTotal == nil)
        #expect(PortalImport(table: table, catalog: Self.catalog).findings.contains { $0.kind == .unknownMeasure && $0.line == 36 })
    }

    static let header = "Theme\tReference\tQuestion\tUnits\tProxy Value\tAnswer\tPledged Social Value\n"

    static func malformedFile(_ kind: String) -> [UInt8] {
        switch kind {
        case "empty": return []
        case "header only": return Array(header.utf8)
        case "wrong delimiter": return Array(header.replacingOccurrences(of: "\t", with: ";").utf8) + Array("Jobs;NT1;q;u;1;2;£ 2.00\n".utf8)
        case "ragged row": return Array((header + "Jobs\tNT1\tq\tno. people FTE\t30782\t1\t£ 30,782.00\nJobs\tNT3\tq\tu\t1\n").utf8)
        case "non-UTF-8": return Array(header.utf8) + [0x4A, 0x6F, 0x62, 0xFF, 0xFE, 0x09] + Array("NT1\tq\tu\t1\t2\t£ 2.00\n".utf8)
        default: return Array(header.utf8) + [UInt8](repeating: 0x41, count: 10 * 1024 * 1024) + [0x0A]
        }
    }
}
