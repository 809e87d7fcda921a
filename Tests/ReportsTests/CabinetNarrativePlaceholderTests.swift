import Foundation
import LedgerValues
@testable import Reports
import Testing

/// The narrative quotes the report's figures through placeholders, so that its prose can never
/// contradict the tables beside it; a figure typed by hand is listed in a warning, and a report
/// without a narrative says it has no recommendation (issue 20, point 6).
@Suite("Cabinet report: figures in the narrative")
struct CabinetNarrativePlaceholderTests {
    static func narrative(_ text: String) throws -> CabinetNarrative {
        try CabinetNarrative(bytes: Array(text.utf8), fileName: "narrative.md")
    }

    static func request(_ narrative: CabinetNarrative?) -> CabinetReportRequest {
        CabinetReportRequest(council: "Lancashire County Council", narrative: narrative, generatedAt: CabinetReportFixture.generatedAt)
    }

    @Test("placeholders are filled with the report's own figures, the same the tables print")
    func filled() throws {
        let fixture = try CabinetReportFixture()
        let written = try Self.narrative("""
            ## Key decision
            This is not deemed to be a Key Decision.

            ## Summary
            Suppliers delivered {{quarter.capped.percent}} in the quarter ({{ quarter.rating }}); {{contracts.without-returns}} of {{contracts}} contracts made no return.
            """)
        let model = try fixture.model(Self.request(written))
        guard case .paragraph(let text)? = model.narrative?.blocks(.summary)?.first else { Issue.record("no summary"); return }
        let window = model.figures.window(.period)
        let share = try #require(CabinetReportText.percent(window.capped.decimal, of: window.expected.decimal))
        #expect(text.hasPrefix("Suppliers delivered \(share) in the quarter ("), "\(text)")
        #expect(!text.contains("{{"))
        #expect(text.hasSuffix("of \(model.figures.contracts.count) contracts made no return."), "\(text)")
        #expect(model.narrativeWarnings.isEmpty, "\(model.narrativeWarnings)")
    }

    @Test("a placeholder the report has no figure for is refused, naming it and the part it is in")
    func unknownPlaceholder() throws {
        let fixture = try CabinetReportFixture()
        let written = try Self.narrative("## Commentary\nThe figure is {{quarter.guess}}.\n")
        let refused = #expect(throws: CabinetReportError.self) { try fixture.model(Self.request(written)) }
        #expect(refused?.kind == "invalid-narrative")
        #expect(refused?.message.contains("{{quarter.guess}}") == true && refused?.message.contains("Commentary") == true, "\(refused?.message ?? "")")
        #expect(refused?.message.contains("quarter.capped.percent") == true)
    }

    @Test("figures typed by hand are listed in a warning; years, dates and labels such as quarter 2 are not figures")
    func typedFigures() throws {
        let fixture = try CabinetReportFixture()
        let written = try Self.narrative("""
            ## Key decision
            This is not deemed to be a Key Decision.

            ## Summary
            Without them the capped figure is 94.0%, or £1,083,772.38 of 12 contracts; see appendix 2.
            Returns for quarters 1 and 2 of 2025-26 are due on 30 November 2025.
            """)
        let model = try fixture.model(Self.request(written))
        let warning = try #require(model.narrativeWarnings.first)
        #expect(warning.contains(#"Summary: "94.0%""#) && warning.contains(#"Summary: "£1,083,772.38""#) && warning.contains(#"Summary: "12""#), "\(warning)")
        for label in [#""2""#, #""1""#, #""30""#, #""2025""#] { #expect(!warning.contains(label), "\(label) is no figure: \(warning)") }
        let html = CabinetReport.render(.html, model)
        #expect(html.contains("Narrative warnings") && html.contains("94.0%"))
    }

    @Test("without a narrative the report says on page 1 that it has no recommendation, and warns")
    func noNarrative() throws {
        let fixture = try CabinetReportFixture()
        let model = try fixture.model(Self.request(nil))
        #expect(model.narrativeWarnings.first?.contains("no narrative file was given") == true)
        let markdown = CabinetReport.render(.md, model)
        let recommendation = try #require(markdown.components(separatedBy: "## Recommendation").dropFirst().first)
        #expect(recommendation.contains("This report has no recommendation"), "\(recommendation.prefix(200))")
    }
}
