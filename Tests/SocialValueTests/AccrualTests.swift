import LedgerValues
import SocialValue
import Testing

/// Levels and flows (docs/rules.md): a level's return is what was held during the quarter, so
/// quarters never add up its levels.
@Suite("Levels and flows")
struct AccrualTests {
    /// A one-year term from 2025-04-01, pledged on its first day: 365 days.
    static let spread = CommitmentSpread(termStart: CalendarDate("2025-04-01")!, termEnd: CalendarDate("2026-03-31")!, pledgedOn: nil)

    static func decimal(_ text: String) -> ExactDecimal { try! ValueParsing.quantity(text) }

    @Test("a flow's return is its delivery; a level per year delivers a quarter of a year")
    func perQuarter() {
        let q1 = FinancialQuarter("2025-26-Q1")!
        #expect(Accrual.addsUp.delivered(Self.decimal("6"), in: q1, spread: Self.spread) == Self.decimal("6"))
        #expect(Accrual.levelPerYear.delivered(Self.decimal("6"), in: q1, spread: Self.spread) == Self.decimal("1.5"))
        // The issue's case: 5 and 6 FTE in two quarters are 2.75 FTE-years, never 11.
        let two = [("2025-26-Q1", "5"), ("2025-26-Q2", "6")].reduce(ExactDecimal.zero) {
            $0 + Accrual.levelPerYear.delivered(Self.decimal($1.1), in: FinancialQuarter($1.0)!, spread: Self.spread)
        }
        #expect(two == Self.decimal("2.75"))
    }

    @Test("a level over the term delivers the quarter's days of the spread, and a rate held all term delivers the rate")
    func overTheTerm() {
        let quarters = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"].map { FinancialQuarter($0)! }
        #expect(quarters.map { Self.spread.days(of: $0) } == [91, 92, 92, 90])
        let each = quarters.map { Accrual.levelOverTerm.delivered(Self.decimal("100"), in: $0, spread: Self.spread) }
        #expect(each == ["24.9315", "25.2055", "25.2055", "24.6575"].map(Self.decimal))
        #expect(each.reduce(ExactDecimal.zero, +) == Self.decimal("100"))
        // A quarter outside the spread holds none of its days.
        #expect(Self.spread.days(of: FinancialQuarter("2026-27-Q1")!) == 0)
        #expect(Self.spread.days(of: FinancialQuarter("2024-25-Q4")!) == 0)
    }

    @Test("the shipped catalogs: FTE and access-for-12-months measures are levels per year, percentages levels over the term, every other unit adds up")
    func shippedCatalogs() throws {
        for reference in ["lancashire-toms@2024.2", "portal-003@003.2"] {
            let catalog = try #require(Scenario.shipped.catalog(reference: reference))
            #expect(catalog.document["measures"]?.arrayValue?.allSatisfy { $0["returns"] != nil } == true, "\(reference): every measure says")
            for measure in catalog.measures.values {
                let expected: Accrual = if measure.unit.contains("FTE") || measure.description.contains("(FTE)") {
                    .levelPerYear
                } else if measure.unit == "no. employees provided access" && measure.description.contains("at least 12 months") {
                    .levelPerYear
                } else if measure.unit == "%" {
                    .levelOverTerm
                } else {
                    .addsUp
                }
                #expect(measure.accrual == expected, "\(reference) \(measure.code) (\(measure.unit))")
                #expect(measure.accrualSource?.isEmpty == false, "\(reference) \(measure.code) gives its reason")
            }
        }
        #expect(Scenario.shipped.catalog(reference: "portal-003@003.2")?.measure("NT1")?.accrual == .levelPerYear)
        #expect(Scenario.shipped.catalog(reference: "portal-003@003.2")?.measure("NT10")?.accrual == .addsUp)
    }

    @Test("a catalog naming an unknown kind of return is refused, and one that names none adds up")
    func catalogField() throws {
        let text = try #require(BuiltinReference.document(.catalogs, "portal-003")).canonicalText
        let firstReturns = #""returns":"level-per-year""#
        #expect(text.contains(firstReturns))
        let unknown = try JSONValue(parsing: text.replacingOccurrences(of: firstReturns, with: #""returns":"weekly""#))
        #expect(throws: InputError.self) { try Catalog(document: unknown) }
        do {
            _ = try Catalog(document: unknown)
        } catch {
            #expect(error.description.contains(".returns"), "\(error)")
            #expect(error.description.contains("add-up, level-per-year, level-over-term"), "\(error)")
        }
        // A catalog that says nothing (every one published before the field) adds up.
        let silent = try JSONValue(parsing: text.replacingOccurrences(of: firstReturns + ",", with: ""))
        #expect(try Catalog(document: silent).measure("NT1")?.accrual == .addsUp)
    }
}
