import Foundation
import Reports
import Testing

/// The parts of a council's front sheet and end matter the seed Cabinet report has: "(All
/// Divisions)", the key decision statement, the appendices table, and the background papers as
/// a Paper / Date / Contact table.
@Suite("Cabinet report: the front sheet and end matter")
struct CabinetFrontSheetTests {
    static let narrative = """
        ## Key decision
        This is not deemed to be a Key Decision.

        ## Recommendation
        Cabinet is asked to note the report.

        ## Background papers
        - Social Value Policy and Framework 2024-28 | 8 February 2024 | R. Shah, 01632 960 100
        - Quarterly returns, held by Procurement
        """

    func render(_ fixture: CabinetReportFixture, narrative: String?, format: CabinetReport.Format = .html) throws -> (CabinetReportModel, String) {
        let parsed = try narrative.map { try CabinetNarrative(bytes: Array($0.utf8), fileName: "n.md") }
        let model = try fixture.model(CabinetReportRequest(council: "lancashire", narrative: parsed, generatedAt: CabinetReportFixture.generatedAt))
        return (model, CabinetReport.render(format, model))
    }

    /// The fixture's Lancashire described again with its divisions and the name of its whole area.
    static func describeDivisions(_ fixture: CabinetReportFixture, _ divisions: [String], wholeArea: String?) throws {
        let described = CabinetReportFixture.lancashire
            .replacingOccurrences(of: #""directorates":"#, with: #""divisions": \#(CabinetReportFixture.jsonList(divisions)), "wholeArea": \#(wholeArea.map(CabinetReportFixture.json) ?? "null"), "directorates":"#)
        try fixture.run([described])
    }

    @Test("the divisions affected: the areas served, or \"(All Divisions)\" when they cover every division the council lists or its whole area")
    func divisions() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        // Lancashire's contracts serve Preston and Chorley; the description lists no divisions.
        #expect(try render(fixture, narrative: nil).0.allDivisions == false)
        #expect(try render(fixture, narrative: nil).1.contains("<dd>Chorley; Preston</dd>"))
        try Self.describeDivisions(fixture, ["Preston", "Chorley", "Wyre"], wholeArea: nil)
        #expect(try render(fixture, narrative: nil).0.allDivisions == false, "Wyre is not served")
        try Self.describeDivisions(fixture, ["preston", "Chorley"], wholeArea: nil)
        let (every, html) = try render(fixture, narrative: nil)
        #expect(every.allDivisions, "every division listed is served (names compared ignoring case)")
        #expect(html.contains("<dd>(All Divisions)</dd>"))
        try Self.describeDivisions(fixture, ["Preston", "Wyre"], wholeArea: "Preston")
        #expect(try render(fixture, narrative: nil).0.allDivisions, "a contract serves the whole area")
    }

    @Test("the key decision statement comes from the narrative, and its absence is said and warned about")
    func keyDecision() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        let (model, html) = try render(fixture, narrative: Self.narrative)
        #expect(html.contains("<div class=\"key-decision\"><p class=\"authored\">This is not deemed to be a Key Decision.</p>"))
        #expect(!model.narrativeWarnings.contains { $0.contains("key decision") })
        let (silent, silentHTML) = try render(fixture, narrative: "## Recommendation\nNote the report.\n")
        #expect(silentHTML.contains("Key decision: not stated."))
        #expect(silent.narrativeWarnings.contains { $0.contains("states no key decision") }, "\(silent.narrativeWarnings)")
        let markdown = try render(fixture, narrative: Self.narrative, format: .md).1
        #expect(markdown.contains("\nThis is not deemed to be a Key Decision.\n"))
    }

    @Test("appendices as a table, background papers as Paper / Date / Contact, None when there are none")
    func endMatter() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        let (_, html) = try render(fixture, narrative: Self.narrative)
        #expect(html.contains("<h2 id=\"appendices\">Appendices</h2>"))
        #expect(html.contains("<td>Appendix &#39;A&#39;</td><td>How to read this report: the rating scale and the words used</td>"), "\(html.components(separatedBy: "appendices").dropFirst().first?.prefix(600) ?? "")")
        #expect(html.contains("<h2 id=\"how-to-read\">Appendix &#39;A&#39;: how to read this report</h2>"))
        #expect(html.contains("<h2 id=\"provenance\">Appendix &#39;B&#39;: where these figures come from</h2>"))
        #expect(html.contains("<th scope=\"col\">Paper</th><th scope=\"col\">Date</th><th scope=\"col\">Contact&#47;Tel</th>"))
        #expect(html.contains("<td>Social Value Policy and Framework 2024-28</td><td>8 February 2024</td><td>R. Shah, 01632 960 100</td>"))
        #expect(html.contains("<td>Quarterly returns, held by Procurement</td><td>—</td><td>—</td>"))
        let none = try render(fixture, narrative: "## Key decision\nNot a key decision.\n").1
        let papers = none.components(separatedBy: "List of background papers</h2>").last ?? ""
        #expect(papers.hasPrefix("\n<p class=\"empty\">None</p>"), "\(papers.prefix(200))")
        let markdown = try render(fixture, narrative: Self.narrative, format: .md).1
        #expect(markdown.contains("| Social Value Policy and Framework 2024-28 | 8 February 2024 | R. Shah, 01632 960 100 |"))
    }
}
