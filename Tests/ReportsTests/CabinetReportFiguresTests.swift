import EventStore
import LedgerValues
import Projections
import Reports
import SocialValue
import Testing

/// Every money figure of the Cabinet report against the reconciliation, to the penny, and the
/// period and year-to-date figures worked by hand.
@Suite("Cabinet report: figures")
struct CabinetReportFiguresTests {
    @Test("the CSV's contract, theme, priority and portfolio figures equal Reconciliation.compute to the penny")
    func csvEqualsReconciliation() throws {
        let fixture = try CabinetReportFixture()
        let (snapshot, reconciliation) = try fixture.read()
        let csv = CabinetCSV(CabinetReport.render(.csv, snapshot: snapshot, reconciliation: reconciliation, generatedAt: CabinetReportFixture.generatedAt))
        #expect(csv.rows.first == ["section", "key", "metric", "value"])
        #expect(csv.rows.allSatisfy { $0.count == 4 }, "every row has exactly four fields")

        func check(_ section: String, _ key: String, _ a: Amounts, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(csv.value(section, key, "pledged_gbp") == a.original.plain, "\(section) \(key) pledged", sourceLocation: sourceLocation)
            #expect(csv.value(section, key, "current_gbp") == a.current.plain, "\(section) \(key) current", sourceLocation: sourceLocation)
            #expect(csv.value(section, key, "delivered_gbp") == a.delivered.plain, "\(section) \(key) delivered", sourceLocation: sourceLocation)
            #expect(csv.value(section, key, "expected_gbp") == a.expected.plain, "\(section) \(key) expected", sourceLocation: sourceLocation)
            #expect(csv.value(section, key, "variance_gbp") == a.variance.plain, "\(section) \(key) variance", sourceLocation: sourceLocation)
            #expect(csv.value(section, key, "rating") == a.rating.rawValue, "\(section) \(key) rating", sourceLocation: sourceLocation)
        }
        #expect(csv.keys("contract") == reconciliation.contracts.map(\.reference), "every reconciled contract, worst rated first")
        for contract in reconciliation.contracts { check("contract", contract.reference, contract.amounts) }
        #expect(csv.keys("theme") == reconciliation.byTheme.map(\.key))
        for theme in reconciliation.byTheme { check("theme", theme.key, theme.amounts) }
        #expect(csv.keys("priority") == reconciliation.byPriority.map(\.key))
        for priority in reconciliation.byPriority { check("priority", priority.key, priority.amounts) }
        check("portfolio", "portfolio", reconciliation.portfolio.amounts)

        // The headline's to-date column is the reconciliation's portfolio.
        let portfolio = reconciliation.portfolio.amounts
        #expect(csv.value("headline", "to_date", "delivered_gbp") == portfolio.delivered.plain)
        #expect(csv.value("headline", "to_date", "expected_gbp") == portfolio.expected.plain)
        #expect(csv.value("headline", "to_date", "pledged_gbp") == portfolio.original.plain)
        #expect(csv.value("headline", "to_date", "contracts_in_scope") == String(reconciliation.contracts.count))
        #expect(csv.value("head", "ledger", "hash") == snapshot.hash.hex)
        #expect(csv.value("head", "ledger", "position") == String(snapshot.position))
        #expect(csv.value("head", "ledger", "figures_digest") == FiguresFile(reconciliation).digest)
        #expect(csv.value("head", "ledger", "verify_command") == "svledger verify --expect-head \(snapshot.position):\(snapshot.hash.hex)")
    }

    @Test("period and year-to-date figures, worked by hand")
    func periodAndYearToDate() throws {
        let csv = CabinetCSV(try CabinetReportFixture().report(.csv))
        // NT1 (FTE) is a level: a quarter's return of 6 FTE delivers 6 × ¼ = 1.5 FTE-years.
        // To date (the reconciliation): RT-1 NT1 (5 + 6) × ¼ × £30,782 = £84,650.50, NT10 35 × £224.07 = £7,842.45,
        // NT18 140,000 × £0.963812 = £134,933.68; RT-5 NT1 1.5 × ¼ × £30,782 = £11,543.25. Total £238,969.88.
        #expect(csv.value("headline", "to_date", "delivered_gbp") == "238969.88")
        // Year to date leaves out RT-5's 2024-25-Q3 return (1 × ¼ × £30,782 = £7,695.50).
        #expect(csv.value("headline", "year_to_date", "delivered_gbp") == "231274.38")
        // The quarter: RT-1 NT1 6 × ¼ × £30,782 = £46,173.00, NT10 18 × £224.07 = £4,033.26, NT18 £134,933.68;
        // RT-5 NT1 0.5 × ¼ × £30,782 = £3,847.75. Total £188,987.69.
        #expect(csv.value("headline", "period", "delivered_gbp") == "188987.69")
        #expect(csv.value("quarter", "2025-26-Q2", "delivered_gbp") == "188987.69")
        // Q1: RT-1 NT1 5 (the corrected figure) × ¼ × £30,782 = £38,477.50 and NT10 17 × £224.07 = £3,809.19.
        #expect(csv.value("quarter", "2025-26-Q1", "delivered_gbp") == "42286.69")
        #expect(csv.value("quarter", "2025-26-Q3", "reached") == "no")
        #expect(csv.value("quarter", "2025-26-Q3", "delivered_gbp") == nil)
        // Pledges dated in 2025-26 up to the period: RT-3 only (NT10 52 × £224.07 + NT29 100 × £16.09).
        #expect(csv.value("headline", "year_to_date", "pledged_gbp") == "13260.64")
        #expect(csv.value("headline", "period", "pledged_gbp") == "0.00")
        // RT-1, RT-3 and RT-5 all have a commitment running in Q2.
        #expect(csv.value("headline", "period", "contracts_in_scope") == "3")
    }

    @Test("expected in the period and the year is the reconciliation's expected-to-date less that at the window's start")
    func expectedByWindow() throws {
        let fixture = try CabinetReportFixture()
        let (snapshot, reconciliation) = try fixture.read()
        let csv = CabinetCSV(try fixture.report(.csv))
        let atQ1 = Reconciliation.compute(snapshot, period: FinancialQuarter("2025-26-Q1")!).portfolio.amounts.expected
        let atYearStart = Reconciliation.compute(snapshot, period: FinancialQuarter("2024-25-Q4")!).portfolio.amounts.expected
        let atQ2 = reconciliation.portfolio.amounts.expected
        #expect(csv.value("headline", "period", "expected_gbp") == (atQ2 - atQ1).plain)
        #expect(csv.value("quarter", "2025-26-Q2", "expected_gbp") == (atQ2 - atQ1).plain)
        #expect(csv.value("quarter", "2025-26-Q1", "expected_gbp") == (atQ1 - atYearStart).plain)
        #expect(csv.value("headline", "year_to_date", "expected_gbp") == (atQ2 - atYearStart).plain)
        #expect(atYearStart > .zero, "RT-5 was expected to deliver in 2024-25 already")
    }

    @Test("quarter figures rounded per line per quarter add up to the year to date")
    func quartersAddUp() throws {
        let csv = CabinetCSV(try CabinetReportFixture().report(.csv))
        let quarters = ["2025-26-Q1", "2025-26-Q2"].compactMap { csv.value("quarter", $0, "delivered_gbp") }
        let sum = quarters.compactMap { Money.parsePlain($0) }.reduce(Money.zero, +)
        #expect(quarters.count == 2)
        #expect(sum.plain == csv.value("headline", "year_to_date", "delivered_gbp"))
    }

    @Test("exceptions and weighting compliance name the right contracts")
    func exceptionsAndCompliance() throws {
        let csv = CabinetCSV(try CabinetReportFixture().report(.csv))
        #expect(csv.value("late_return", "RT-3", "quarters") == "2025-26-Q1")
        #expect(csv.value("under_delivering", "RT-3", "rating") == "inadequate")
        #expect(csv.value("unpledged_delivery", "RT-1 2025-26-Q1 NT28", "quantity") == "500")
        #expect(csv.value("exemption_granted", "RT-2", "business_case") == "BC-2025-007")
        #expect(csv.value("exemption_granted", "RT-2", "decided_by_role") == "Head of Procurement")
        #expect(csv.value("exemption_granted", "RT-2", "reason") == "No delivery on site; no social value market")
        #expect(csv.value("board_override", "RT-3", "override_reason") == "Specialist market of three bidders; Board minute 2025/14")
        #expect(csv.value("board_override", "RT-3", "weighting_percent") == "7.5")
        #expect(csv.keys("above_threshold_no_pledge") == ["RT-4"], "RT-2 is exempted, RT-6 is below threshold")
        // In scope with a weighting: RT-1 (10%), RT-3 (7.5% by override), RT-4 (10%): 2 of 3, 66.6% rounded down.
        #expect(csv.value("weighting_compliance", "in_scope_tenders", "count") == "3")
        #expect(csv.value("weighting_compliance", "at_or_above_minimum", "count") == "2")
        #expect(csv.value("weighting_compliance", "at_or_above_minimum", "percent") == "66.6")
        #expect(csv.keys("weighting_below_minimum") == ["RT-3"])
        #expect(csv.value("weighting_below_minimum", "RT-3", "policy_minimum_percent") == "10")
    }

    @Test("as of a position before the Q2 returns, the report shows what the ledger held then")
    func asOfEarlierPosition() throws {
        let fixture = try CabinetReportFixture()
        let head = try fixture.ledger.store.head().position
        let earlier = try fixture.ledger.snapshot(at: head - 2)
        let reconciliation = Reconciliation.compute(earlier, period: CabinetReportFixture.period)
        let csv = CabinetCSV(CabinetReport.render(.csv, snapshot: earlier, reconciliation: reconciliation, generatedAt: "t"))
        #expect(csv.value("head", "ledger", "position") == String(head - 2))
        #expect(csv.value("portfolio", "portfolio", "delivered_gbp") == reconciliation.portfolio.amounts.delivered.plain)
        // Before RT-1's Q2 return and the correction: Q1 NT1 is still 6 (1.5 FTE-years, £46,173.00, with
        // NT10's £3,809.19), and Q2 has RT-5's £3,847.75 only.
        #expect(csv.value("quarter", "2025-26-Q2", "delivered_gbp") == "3847.75")
        #expect(csv.value("quarter", "2025-26-Q1", "delivered_gbp") == "49982.19")
    }

    @Test("the capped headline: each commitment line counted at most at its expected, to the penny, beside the uncapped figure")
    func cappedHeadline() throws {
        let fixture = try CabinetReportFixture()
        let (_, reconciliation) = try fixture.read()
        let csv = CabinetCSV(try fixture.report(.csv))
        let lines = reconciliation.contracts.flatMap(\.lines)
        let capped = lines.reduce(Money.zero) { $0 + max(.zero, min($1.amounts.delivered, $1.amounts.expected)) }
        #expect(csv.value("headline", "to_date", "capped_delivered_gbp") == capped.plain)
        #expect(csv.value("portfolio", "portfolio", "capped_delivered_gbp") == capped.plain)
        #expect(csv.value("headline", "to_date", "delivered_gbp") == reconciliation.portfolio.amounts.delivered.plain, "the uncapped figure is kept")
        // RT-1 delivered NT18 £140,000 × £0.963812 = £134,933.68 against £104,603.50 expected: only the expected counts.
        let nt18 = try #require(reconciliation.contracts.first { $0.reference == "RT-1" }?.lines.first { $0.measure == "NT18" })
        #expect(nt18.amounts.delivered == Money(pence: 13_493_368))
        #expect(nt18.amounts.capped == Money(pence: 10_460_350))
        #expect(capped < reconciliation.portfolio.amounts.delivered)
        #expect(capped <= reconciliation.portfolio.amounts.expected)
        let percent = CabinetReportCSV_percent(capped, reconciliation.portfolio.amounts.expected)
        #expect(csv.value("headline", "to_date", "capped_vs_expected_percent") == percent)
        #expect(csv.value("summary", "aggregate_rule", "text")?.contains("at most at 100%") == true)
        // Contracts by rating: RT-3 inadequate, RT-1 and RT-5 as the reconciliation rates them.
        for rating in PerformanceRating.allCases {
            #expect(csv.value("rating_count", rating.rawValue, "contracts") == String(reconciliation.contracts.count { $0.amounts.rating == rating }))
        }
        // The quarter's capped figure: each line's delivery in the quarter, capped at its expected in the quarter.
        let q2 = csv.value("quarter", "2025-26-Q2", "capped_delivered_gbp").flatMap(Money.parsePlain)
        let delivered = csv.value("quarter", "2025-26-Q2", "delivered_gbp").flatMap(Money.parsePlain)
        #expect(q2 != nil && delivered != nil && q2! < delivered!)
        #expect(csv.value("headline", "period", "capped_delivered_gbp") == q2?.plain)
    }

    @Test("outcomes as counts, worked by hand: jobs, apprenticeship weeks, each £ spend measure alone")
    func outcomeCounts() throws {
        let csv = CabinetCSV(try CabinetReportFixture().report(.csv))
        // Jobs (no. people FTE, a level): RT-1 NT1 5 + 6 FTE held (Q1 corrected, Q2), RT-5 NT1 1 (2024-25-Q3)
        // + 0.5 (Q2), each a quarter of a year: (5 + 6 + 1 + 0.5) × ¼ = 3.125 FTE-years, never 12.5.
        #expect(csv.value("outcome", "no. people FTE", "delivered_quantity") == "3.125")
        #expect(csv.value("outcome", "no. people FTE", "delivered_in_period_quantity") == "1.625")
        #expect(csv.value("outcome", "no. people FTE", "delivered_in_year_quantity") == "2.875")
        #expect(csv.value("outcome", "no. people FTE", "committed_quantity") == "27")
        #expect(csv.value("outcome", "no. people FTE", "label") == "Jobs (full-time equivalent years of employment)")
        // Apprenticeship weeks (NT10): RT-1 17 + 18; RT-3 committed 52, nothing returned.
        #expect(csv.value("outcome", "no. weeks", "delivered_quantity") == "35")
        #expect(csv.value("outcome", "no. weeks", "delivered_in_period_quantity") == "18")
        #expect(csv.value("outcome", "no. weeks", "committed_quantity") == "122")
        // £ measures are never added together: NT18 (local spend) and CBC5 RBC1 (record only) each alone.
        #expect(csv.value("outcome", "£ NT18", "delivered_quantity") == "140000")
        #expect(csv.value("outcome", "£ NT18", "label") == "£ spent in the local supply chain (NT18)")
        #expect(csv.value("outcome", "£ CBC5 RBC1", "committed_quantity") == "840000")
        #expect(csv.value("outcome", "£", "delivered_quantity") == nil)
        // Unpledged NT28 (500) is not an outcome of a commitment.
        #expect(csv.value("outcome", "£ value NT28", "delivered_quantity") == nil)
    }

    @Test("the trend: last quarter and the same quarter last year, each the reconciliation at that quarter")
    func trend() throws {
        let fixture = try CabinetReportFixture()
        let (snapshot, _) = try fixture.read()
        let csv = CabinetCSV(try fixture.report(.csv))
        for quarter in ["2025-26-Q1", "2024-25-Q2"] {
            let q = FinancialQuarter(quarter)!
            let earlier = Reconciliation.compute(snapshot, period: q, reportingDate: q.lastDay)
            #expect(csv.value("trend", quarter, "delivered_to_date_gbp") == earlier.portfolio.amounts.delivered.plain, "\(quarter)")
            #expect(csv.value("trend", quarter, "expected_to_date_gbp") == earlier.portfolio.amounts.expected.plain, "\(quarter)")
            #expect(csv.value("trend", quarter, "contracts") == String(earlier.contracts.count), "\(quarter)")
        }
        #expect(csv.value("trend", "2025-26-Q1", "label") == "Last quarter")
        #expect(csv.value("trend", "2024-25-Q2", "label") == "Same quarter last year")
        // Last quarter's own delivery is the year's Q1 (corrections included): £42,286.69.
        #expect(csv.value("trend", "2025-26-Q1", "delivered_in_quarter_gbp") == "42286.69")
        #expect(csv.value("trend", "2025-26-Q2", "delivered_in_quarter_gbp") == csv.value("headline", "period", "delivered_gbp"))
        // A year before, only RT-5 ran, and its first return was for 2024-25-Q3.
        #expect(csv.value("trend", "2024-25-Q2", "delivered_in_quarter_gbp") == "0.00")
        #expect(csv.value("trend_outcome", "2025-26-Q1 no. people FTE", "delivered_in_quarter") == "1.25")
    }

    @Test("delivery by area and the evidence behind the figures")
    func areasAndEvidence() throws {
        let fixture = try CabinetReportFixture()
        let (_, reconciliation) = try fixture.read()
        let csv = CabinetCSV(try fixture.report(.csv))
        // Every fixture contract serves Preston: the area is the whole portfolio.
        #expect(csv.keys("area") == ["Preston"])
        #expect(csv.value("area", "Preston", "delivered_gbp") == reconciliation.portfolio.amounts.delivered.plain)
        #expect(csv.value("area", "Preston", "expected_gbp") == reconciliation.portfolio.amounts.expected.plain)
        #expect(csv.value("area", "Preston", "contracts") == "3")
        // RT-3 (nothing returned) and RT-5 (0.375 FTE-years against about 1.46 expected).
        #expect(csv.value("area", "Preston", "under_delivering") == "2")
        // RT-1: two returns, five pledged figures (Q1 NT1 corrected), NT28 unpledged; RT-3: none, Q1 late; RT-5: two returns,
        // none for 2024-25-Q1, Q2 and Q4 and 2025-26-Q1.
        #expect(csv.value("evidence", "total", "returns") == "4")
        // …and RT-1's Q1 return has no line for NT18 or CBC5 RBC1, which it pledged: two more, by measure.
        #expect(csv.value("evidence", "total", "late_returns") == "7")
        #expect(csv.value("evidence", "RT-1", "late_returns") == "2")
        #expect(csv.value("late_return", "RT-1", "quarters") == "NT18 and CBC5 RBC1 in 2025-26-Q1")
        #expect(csv.value("evidence", "RT-5", "late_returns") == "4")
        #expect(csv.value("evidence", "total", "figures") == "7")
        #expect(csv.value("evidence", "total", "with_evidence") == "7")
        #expect(csv.value("evidence", "total", "without_evidence") == "0")
        #expect(csv.value("evidence", "total", "corrected") == "1")
        #expect(csv.value("evidence", "total", "unpledged") == "1")
        #expect(csv.value("evidence", "RT-1", "corrected") == "1")
        let flagged = reconciliation.contracts.flatMap(\.lines).count(where: \.overDelivered)
        #expect(csv.value("evidence", "total", "over_delivered_lines") == String(flagged))
        #expect(flagged > 0, "RT-1 delivered NT1 11 against about 4 expected")

        // Two councils, two areas for Lancashire: each area the sum of its contracts.
        let two = try CabinetReportFixture(twoCouncils: true)
        let model = try two.model(CabinetReportRequest(council: "lancashire", generatedAt: "t"))
        let chorley = try #require(model.figures.areas.first { $0.name == "Chorley" })
        #expect(chorley.contracts == ["RT-7"])
        #expect(chorley.amounts == model.figures.contracts.first { $0.reference == "RT-7" }?.amounts)
        #expect(model.figures.areas.map(\.name) == ["Chorley", "Preston"])
    }

    @Test("the same inputs give the same bytes in every format")
    func deterministic() throws {
        let fixture = try CabinetReportFixture()
        for format in CabinetReport.Format.allCases {
            #expect(try fixture.report(format) == (try fixture.report(format)), "\(format)")
        }
    }
}

/// "95.0" from two amounts, as the report's CSV writes a share (rounded down).
func CabinetReportCSV_percent(_ part: Money, _ whole: Money) -> String {
    let ratio = (part.decimal * ExactDecimal(100)).divided(by: whole.decimal, decimals: 6)
    var tenths = ratio.units
    for _ in 1..<max(1, ratio.scale) { tenths /= 10 }
    return String(tenths / 10) + "." + String(tenths % 10)
}

extension Money {
    /// Reads "1234.56" or "-0.05" back into pence, for comparing figures written as plain text.
    static func parsePlain(_ text: String) -> Money? {
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let pounds = Int64(parts[0]), let pence = Int64(parts[1]) else { return nil }
        return Money(pence: (negative ? -1 : 1) * (pounds * 100 + pence))
    }
}
