import Projections
import Reports
import SocialValue
import Testing

/// The HTML and Markdown renderings: self-contained, escaped, accessible, and carrying the
/// reconciliation's figures.
@Suite("Cabinet report: HTML and Markdown")
struct CabinetReportRenderingTests {
    @Test("page 1 states the quarter's own figure and rating first, says the £ are proxy values, and rounds money in prose")
    func headlineIsTheQuarters() throws {
        let fixture = try CabinetReportFixture()
        let markdown = try fixture.report(.md)
        let summary = try #require(markdown.components(separatedBy: "## Brief summary").dropFirst().first?.components(separatedBy: "\n## ").first)
        let quarter = try #require(summary.range(of: "In the quarter itself ("), "\(summary)")
        let allYears = try #require(summary.range(of: "Over every quarter so far"), "\(summary)")
        #expect(quarter.lowerBound < allYears.lowerBound, "the quarter's figure must come before the all-years one")
        #expect(summary.contains("which the council's scale rates "))
        #expect(summary.contains("proxy values") && summary.contains("not cash"))
        // Prose rounds (£1.38m, £83.3k); pence are for tables.
        #expect(summary.firstMatch(of: #/£[0-9,]+\.[0-9]{2}\b/#) == nil, "\(summary)")
        #expect(!markdown.contains("Procurement Act 2023 scale"))
    }

    @Test("the HTML refers to nothing outside itself")
    func selfContained() throws {
        let html = try CabinetReportFixture().report(.html).lowercased()
        for forbidden in ["http", "https", "//", "src=", "<script", "@import", "url(", "<link", "<img", "<iframe", "<object", "href="] {
            #expect(!html.contains(forbidden), "the HTML contains \(forbidden)")
        }
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<style>"))
        #expect(html.contains("@media print"))
        #expect(html.contains("size: a4"))
        #expect(html.contains("break-before: page"))
        #expect(html.contains("break-inside: avoid"))
    }

    @Test("the HTML shows the reconciliation's portfolio, each contract's figures, and the ledger head")
    func figuresAndHead() throws {
        let fixture = try CabinetReportFixture()
        let (snapshot, reconciliation) = try fixture.read()
        let html = CabinetReport.html(snapshot: snapshot, reconciliation: reconciliation, generatedAt: CabinetReportFixture.generatedAt)
        #expect(html.contains("<title>Social value report 2025-26-Q2: Lancashire County Council</title>"))
        #expect(html.contains(reconciliation.portfolio.amounts.delivered.formatted))
        #expect(reconciliation.portfolio.amounts.delivered.formatted == "£238,969.88")
        for contract in reconciliation.contracts {
            #expect(html.contains(contract.amounts.current.formatted))
            #expect(html.contains(contract.amounts.delivered.formatted))
            #expect(html.contains(contract.amounts.expected.formatted))
        }
        #expect(html.contains(snapshot.hash.hex))
        #expect(html.contains("svledger verify --expect-head \(snapshot.position):\(snapshot.hash.hex)"))
        // The head on a line of its own, whole, in a block that copies as one selection.
        #expect(html.contains("<pre class=\"head\">\(snapshot.position):\(snapshot.hash.hex)</pre>"))
        #expect(html.contains(CabinetReportFixture.generatedAt))
        // Worst first: RT-3 (inadequate) comes before RT-1 (good) in the contracts table.
        let contracts = try #require(html.range(of: "id=\"contracts\""))
        let rt3 = try #require(html.range(of: ">RT-3<", range: contracts.upperBound..<html.endIndex))
        let rt1 = try #require(html.range(of: ">RT-1<", range: contracts.upperBound..<html.endIndex))
        #expect(rt3.lowerBound < rt1.lowerBound)
    }

    @Test("the charts are inline SVG with a title, a description, axis and legend, and the rating badges read as text")
    func accessibleCharts() throws {
        let fixture = try CabinetReportFixture()
        let (_, reconciliation) = try fixture.read()
        let html = try fixture.report(.html)
        // One small panel per theme, each on its own scale, and the quarters.
        #expect(html.components(separatedBy: "<svg ").count - 1 == reconciliation.byTheme.count + 1)
        #expect(html.contains(#"role="img""#))
        #expect(html.contains(#"<title id="chart-theme-1-title">\#(reconciliation.byTheme[0].key)</title>"#))
        #expect(html.contains(#"<desc id="chart-quarters-desc">2025-26-Q1: expected"#))
        #expect(html.contains(#"class="axis""#))
        #expect(html.contains(">Delivered to date</text>"))
        #expect(html.contains(">Expected to date</text>"))
        #expect(html.contains(">not yet reached</text>"))
        #expect(html.contains(#"<span class="badge inadequate">Inadequate</span>"#))
        #expect(html.contains(#"<span class="badge good">Good</span>"#))
        // The explanation of the ratings comes from PerformanceRating's cut-offs.
        #expect(html.contains("95% or more"))
        #expect(html.contains("50% to under 80%"))
    }

    @Test("text from the ledger is escaped: a title with <b>&\"' stays text")
    func escaping() throws {
        let fixture = try CabinetReportFixture()
        let html = try fixture.report(.html)
        #expect(html.contains("Resurfacing &lt;b&gt;&amp;&quot;&#39; works"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains(CabinetReportFixture.awkwardTitle))

        let markdown = try fixture.report(.md)
        #expect(markdown.contains(#"Resurfacing \<b\>\&"' works"#))
        #expect(!markdown.contains("<b>"))

        let csv = CabinetCSV(try fixture.report(.csv))
        #expect(csv.value("contract", "RT-1", "title") == CabinetReportFixture.awkwardTitle, "CSV keeps the title exactly, quoted")
    }

    @Test("the exceptions and compliance appear in the HTML with their reasons")
    func exceptionsInHTML() throws {
        let html = try CabinetReportFixture().report(.html)
        #expect(html.contains("BC-2025-007"))
        #expect(html.contains("No delivery on site; no social value market"))
        #expect(html.contains("Specialist market of three bidders; Board minute 2025&#47;14"))
        #expect(html.contains("Depot rebuild"), "RT-4: above threshold with no pledge")
        #expect(html.contains("2025-26-Q1"), "RT-3's late return")
        #expect(html.contains(">2 of 3<"))
        #expect(html.contains("66.6% of in-scope tenders"))
    }

    @Test("the Markdown has the same content as tables, charts included")
    func markdown() throws {
        let fixture = try CabinetReportFixture()
        let (_, reconciliation) = try fixture.read()
        let markdown = try fixture.report(.md)
        #expect(markdown.hasPrefix("# Social value report 2025-26-Q2: Lancashire County Council\n"))
        for heading in ["## Brief summary", "## Recommendation", "## Detail", "### Commentary", "## Summary of the figures", "### Key figures",
                        "### Outcomes as counts", "### Delivery by area", "### Evidence", "## Contracts needing remedial action",
                        "## Social value by theme", "## Delivery by quarter, 2025-26", "## Outcomes by measure", "## Delivery by area",
                        "## By council priority", "## Contracts, worst rated first", "## Evidence behind the figures", "## Exceptions", "### Late returns",
                        "### Exemptions granted", "### Weightings set by board override", "### Above threshold, not exempted, no pledge",
                        "## Weighting compliance", "## Implications", "### Risk management", "### Legal", "### Financial", "### Equality",
                        "## Appendices", "## List of background papers", "## Appendix 'A': how to read this report",
                        "## Appendix 'B': where these figures come from"] {
            #expect(markdown.contains("\n\(heading)\n"), "missing \(heading)")
        }
        #expect(markdown.contains("| 2025-26-Q2 | 1 July to 30 September 2025 |"))
        #expect(markdown.contains(reconciliation.portfolio.amounts.delivered.formatted))
        #expect(markdown.contains("svledger verify --expect-head \(reconciliation.position):\(reconciliation.hash.hex)"))
        #expect(!markdown.contains("<svg"))
    }

    @Test("an empty ledger still makes a complete report")
    func emptyLedger() throws {
        let fixture = try CabinetReportFixture()
        let empty = try fixture.ledger.snapshot(at: 2)
        let reconciliation = Reconciliation.compute(empty, period: CabinetReportFixture.period)
        for format in CabinetReport.Format.allCases {
            let text = CabinetReport.render(format, snapshot: empty, reconciliation: reconciliation, generatedAt: "t")
            #expect(text.contains("0.00"), "\(format)")
        }
        let html = CabinetReport.render(.html, snapshot: empty, reconciliation: reconciliation, generatedAt: "t")
        #expect(html.contains("No social value commitment is recorded."))
        #expect(html.contains("</html>"))
    }
}
