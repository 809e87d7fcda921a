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
