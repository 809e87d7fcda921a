import LedgerValues
import Projections
import Reports
import SocialValue
import Testing

/// Whose report it is: one council (or one directorate of it), its front sheet, its own themes,
/// and the refusals when the council or directorate cannot be found or must be chosen.
@Suite("Cabinet report: one council")
struct CabinetCouncilTests {
    static let request = CabinetReportRequest(council: "lancashire", generatedAt: CabinetReportFixture.generatedAt)

    @Test("a ledger of two councils needs --council; an unknown council or directorate is named; a council is found by id or name")
    func choosing() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        func failure(_ request: CabinetReportRequest) -> CabinetReportError? {
            do { _ = try fixture.model(request); return nil } catch { return error as? CabinetReportError }
        }
        let required = failure(CabinetReportRequest(generatedAt: "t"))
        #expect(required?.kind == "council-required")
        #expect(required?.category == .usage)
        #expect(required?.message.contains("lancashire (Lancashire County Council); leicestershire (Leicestershire County Council)") == true)
        let unknown = failure(CabinetReportRequest(council: "york", generatedAt: "t"))
        #expect(unknown?.kind == "unknown-council")
        #expect(unknown?.category == .notFound)
        let directorate = failure(CabinetReportRequest(council: "lancashire", directorate: "Culture", generatedAt: "t"))
        #expect(directorate?.kind == "unknown-directorate")
        #expect(directorate?.message.contains("its directorates: Highways; Property") == true)

        let byName = try fixture.model(CabinetReportRequest(council: "LEICESTERSHIRE county council", generatedAt: "t"))
        #expect(byName.scope.council?.id == "leicestershire")
        #expect(byName.figures.contracts.map(\.reference) == ["LEI-1"])
    }

    @Test("a council's report holds its contracts only, each equal to the reconciliation's, and its totals are their sums")
    func councilFigures() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        let (snapshot, reconciliation) = try fixture.read()
        let model = try fixture.model(Self.request)
        let lancashire = reconciliation.contracts.filter { $0.reference.hasPrefix("RT-") }
        #expect(model.figures.contracts.map(\.reference) == lancashire.map(\.reference), "every Lancashire contract, worst first, and no other")
        #expect(model.figures.contracts == lancashire)
        let sum = lancashire.reduce(into: Amounts.zero) { $0.add($1.amounts) }
        #expect(model.figures.portfolio == sum)
        #expect(model.scope.contracts.map(\.reference).sorted() == ["RT-1", "RT-2", "RT-3", "RT-4", "RT-5", "RT-6", "RT-7"])

        let csv = CabinetCSV(CabinetReport.render(.csv, model))
        for contract in lancashire {
            #expect(csv.value("contract", contract.reference, "delivered_gbp") == contract.amounts.delivered.plain)
            #expect(csv.value("contract", contract.reference, "expected_gbp") == contract.amounts.expected.plain)
        }
        #expect(csv.value("contract", "LEI-1", "delivered_gbp") == nil)
        #expect(csv.value("portfolio", "portfolio", "delivered_gbp") == sum.delivered.plain)
        #expect(csv.value("headline", "to_date", "delivered_gbp") == sum.delivered.plain)
        // The figures digest stays the whole ledger's: the recompute command gives that one.
        #expect(csv.value("head", "ledger", "figures_digest") == FiguresFile(reconciliation).digest)
        #expect(csv.value("head", "ledger", "hash") == snapshot.hash.hex)
        #expect(csv.value("report", "council", "id") == "lancashire")
        #expect(csv.value("report", "council", "name") == "Lancashire County Council")
    }

    @Test("one directorate: only the contracts its department bought")
    func directorate() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        let (_, reconciliation) = try fixture.read()
        let model = try fixture.model(CabinetReportRequest(council: "lancashire", directorate: "property", generatedAt: "t"))
        #expect(model.scope.directorate == "Property", "spelt as the council lists it")
        #expect(model.figures.contracts.map(\.reference) == ["RT-7"])
        #expect(model.figures.contracts.first == reconciliation.contracts.first { $0.reference == "RT-7" })
        #expect(model.divisions == ["Chorley"])
        #expect(model.title == "Social value report 2025-26-Q2: Lancashire County Council, Property")
    }

    @Test("the council's own themes: one set, each the sum of the lines whose catalog theme it takes")
    func themes() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        let model = try fixture.model(Self.request)
        let own = ["Employment and skills", "Economic prosperity", "Community building: health & wellbeing", "Environment sustainability"]
        #expect(model.figures.themes.allSatisfy { own.contains($0.name) && $0.mapped })
        #expect(model.figures.themes.map(\.name) == own.filter { name in model.figures.themes.contains { $0.name == name } }, "in the council's order")
        var sum = Amounts.zero
        for theme in model.figures.themes { sum.add(theme.amounts) }
        #expect(sum == model.figures.portfolio)
        let jobs = model.figures.contracts.flatMap(\.lines).filter { $0.theme == "Jobs: Promote Local Skills and Employment" }
            .reduce(into: Amounts.zero) { $0.add($1.amounts) }
        #expect(model.figures.themes.first { $0.name == "Employment and skills" }?.amounts == jobs)
        #expect(model.figures.themes.first { $0.name == "Employment and skills" }?.catalogThemes == ["Jobs: Promote Local Skills and Employment"])

        // Leicestershire describes no themes: the catalog's own are shown.
        let leicestershire = try fixture.model(CabinetReportRequest(council: "leicestershire", generatedAt: "t"))
        #expect(leicestershire.figures.themes.map(\.name).sorted() == ["Growth: Supporting Growth of Responsible Regional Business", "Jobs: Promote Local Skills and Employment"])
    }

    @Test("the front sheet: meeting, report of, divisions, corporate priorities, contact; a narrative part not written reads None given.")
    func frontSheet() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        let narrative = try CabinetNarrative(bytes: Array("## Recommendation\nCabinet is asked to note the report.\n## Contract RT-3\nA recovery plan is agreed.\n".utf8), fileName: "n.md")
        var request = Self.request
        request.meeting = CalendarDate("2025-11-13")
        request.narrative = narrative
        let model = try fixture.model(request)
        let html = CabinetReport.render(.html, model)
        #expect(html.contains("Meeting to be held on Thursday, 13 November 2025"))
        #expect(html.contains("Report of the Director of Finance"))
        #expect(html.contains("Chorley; Preston"))
        #expect(html.contains("Lancashire priorities: Delivering better services; Protecting our environment"))
        #expect(html.contains("R. Shah, Head of Procurement, Tel: 01632 960 100, social.value@lancashire.example"))
        #expect(html.contains("Cabinet is asked to note the report."))
        #expect(html.contains("A recovery plan is agreed."), "RT-3 is inadequate: its remedial commentary is in the summary")
        #expect(html.contains("<p class=\"none-given\">None given.</p>"), "Legal, Financial, Equality and the rest were not written")
        #expect(html.contains(narrative.digest))
        let markdown = CabinetReport.render(.md, model)
        #expect(markdown.contains("Meeting to be held on Thursday, 13 November 2025"))
        #expect(markdown.contains("A recovery plan is agreed."))
        let csv = CabinetCSV(CabinetReport.render(.csv, model))
        #expect(csv.value("report", "front", "meeting_date") == "2025-11-13")
        #expect(csv.value("report", "front", "report_of") == "Director of Finance")
        #expect(csv.value("narrative", "recommendation", "text") == "Cabinet is asked to note the report.")
        #expect(csv.value("narrative", "legal", "text") == "None given.")
        #expect(csv.value("narrative", "file", "sha256") == narrative.digest)
        #expect(csv.value("remedial", "RT-3", "commentary") == "A recovery plan is agreed.")
        #expect(csv.value("division", "Chorley", "affected") == "yes")

        // Without a narrative, an inadequate contract's commentary reads None given.
        let bare = CabinetCSV(CabinetReport.render(.csv, try fixture.model(Self.request)))
        #expect(bare.value("remedial", "RT-3", "commentary") == "None given.")
        #expect(bare.value("narrative", "recommendation", "text") == "None given.")
    }

    @Test("a narrative naming a contract the report does not cover is refused")
    func strayContract() throws {
        let fixture = try CabinetReportFixture(twoCouncils: true)
        var request = Self.request
        request.narrative = try CabinetNarrative(bytes: Array("## Contract LEI-1\nNot ours.\n".utf8), fileName: "n.md")
        #expect(throws: CabinetReportError.self) { try fixture.model(request) }
        do { _ = try fixture.model(request) } catch let error as CabinetReportError {
            #expect(error.kind == "invalid-narrative")
            #expect(error.message.contains("\"Contract LEI-1\" names a contract this report (Lancashire County Council) does not cover"))
        }
    }

    @Test("ledger text in the council's description stays text, in the page margin's CSS too")
    func hostileCouncilName() throws {
        let fixture = try CabinetReportFixture()
        try fixture.run([#"{"command": "council.describe", "actor": {"id": "r.shah", "role": "Head"}, "councilId": "odd", "name": "A \"quoted\" </style><script>x</script> url(x) // council", "author": "<b>Chief</b>", "contact": {"name": "X", "email": "x@y.example"}}"#])
        let html = try fixture.model(CabinetReportRequest(council: "odd", generatedAt: "t")).self
        let text = CabinetReport.render(.html, html)
        let style = try #require(text.range(of: "<style>")).upperBound
        let styleEnd = try #require(text.range(of: "</style>")).lowerBound
        let css = text[style..<styleEnd]
        #expect(!css.contains("url(") && !css.contains("//") && !css.contains("<"))
        #expect(text.components(separatedBy: "</style>").count == 2, "the name cannot close the style element")
        #expect(!text.lowercased().contains("<script") && !text.contains("<b>"))
        #expect(text.contains("Report of the &lt;b&gt;Chief&lt;&#47;b&gt;"))
    }
}
