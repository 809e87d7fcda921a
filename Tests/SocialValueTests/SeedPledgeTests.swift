import LedgerValues
import LedgerValues
import SocialValue
import Testing

/// Seed 003, the real pledge table, recorded line by line under the shipped portal-003 catalog.
@Suite("Seed 003 pledge")
struct SeedPledgeTests {
    /// (measure, answer, value worked out by hand as proxy × answer rounded to the penny; nil = record-only).
    static let table: [(String, String, String?)] = [
        ("NT1", "24", "738768.00"), ("NT1c", "36", "1108152.00"), ("NT3", "1", "20481.00"), ("NT4", "1", "14782.00"),
        ("NT5", "1", "24527.00"), ("NT6", "0.25", "4105.00"), ("NT8", "50", "804.50"), ("NT9", "70", "20052.90"),
        ("NT10", "70", "15684.90"), ("NT15", "8", "814.88"), ("NT15a", "16", "1629.76"),
        // 003 prints £6,264,776.71 here: ten times proxy × answer. The import (issue 5) flags it.
        ("NT18", "650000", "626477.80"),
        ("CBC5 RBC1", "840000", nil),
        // 003 prints £240,952.95: the proxy's unprinted decimals (0.9638118) explain it.
        ("NT19", "250000", "240953.00"),
        ("NT20", "24", "3164.64"), ("NT28", "1000", "1000.00"), ("NT29", "32", "514.88"), ("NT32", "1000", "22.23"),
        ("NT33", "1000", "12.00"), ("NT67", "1000", "1000.00"), ("NT68", "100", nil),
    ]

    @Test("every line's value is proxy × quantity rounded to the penny, and record-only lines carry no £")
    func lineByLine() throws {
        var scenario = try Scenario.awarded()
        let lines = Scenario.lines(Self.table.map { ($0.0, $0.1) })
        let events = try scenario.run(.recordPledge(catalog: "portal-003@003.2", lines: lines, statedValues: [:]), by: Scenario.procurement)
        guard case .pledgeRecorded(let pledge) = events.first else { Issue.record("no pledge"); return }
        let catalog = try #require(Scenario.shipped.catalog("portal-003", version: "003.2"))
        #expect(pledge.lines.count == Self.table.count)
        for (line, (code, answer, expected)) in zip(pledge.lines, Self.table) {
            #expect(line.measure == code)
            #expect(line.quantity == (try ValueParsing.quantity(answer)))
            #expect(line.value?.plain == expected, "\(code)")
            if let proxy = catalog.measure(code)?.proxy, !proxy.isZero {
                #expect(line.value == Money.lineValue(quantity: line.quantity, proxy: proxy))
                #expect(line.proxy == proxy)
            } else {
                #expect(line.proxy == nil, "\(code) is record-only")
            }
        }
        // The sum of the recomputed lines, added up by hand in the comments above.
        #expect(pledge.total.plain == "2822946.49")
        #expect(pledge.total == pledge.lines.total)
    }

    @Test("the shipped catalogs carry the seed's proxy values exactly as printed, marked with their source")
    func shippedProxies() throws {
        let catalog = try #require(Scenario.shipped.catalog("portal-003", version: "003.2"))
        #expect(catalog.measures.count == 22)
        #expect(catalog.measure("NT18")?.proxy?.description == "0.963812")
        #expect(catalog.measure("NT32")?.proxy?.description == "0.02223")
        #expect(catalog.measure("CBC5 RBC1")?.isRecordOnly == true)
        #expect(catalog.measure("NT1")?.proxySource?.contains("003") == true)
        let lancashire = try #require(Scenario.shipped.latestCatalog("lancashire-toms"))
        #expect(lancashire.measures.count == 43)
        #expect(lancashire.measure("NT1")?.theme == "Employment and skills")
        #expect(lancashire.measure("NT3d")?.proxy == nil, "values not published in the seeds are not invented")
    }
}
