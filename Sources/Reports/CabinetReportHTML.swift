import Projections
import SocialValue

/// The Cabinet report as one self-contained HTML file: inline style, inline SVG, no script and
/// no reference to anything outside the file, so that it can be emailed, archived with the
/// Cabinet papers and printed to PDF years later exactly as it was read.
enum CabinetReportHTML {
    typealias Text = CabinetReportText
    typealias Wording = CabinetReportWording

    static func render(_ m: CabinetReportModel) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="svledger">
            <title>\(Text.html(m.title))</title>
            <style>
            \(CabinetReportStyle.css)
            </style>
            </head>
            <body>
            <main>

            """
        html += cover(m)
        html += summary(m)
        html += howToRead(m)
        html += themesAndQuarters(m)
        html += priorities(m)
        html += contracts(m)
        html += exceptions(m)
        html += compliance(m)
        html += provenance(m)
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    // MARK: - Sections

    static func cover(_ m: CabinetReportModel) -> String {
        """
        <header class="cover">
        <p class="kicker">Social value in procurement · governance report</p>
        <h1>\(Text.html(m.title))</h1>
        <p class="subtitle">\(Text.html(Wording.subtitle(m)))</p>
        <p class="subtitle">\(Text.html(Wording.audience))</p>
        </header>

        """
    }

    static func summary(_ m: CabinetReportModel) -> String {
        let period = m.headline(.period), year = m.headline(.yearToDate), toDate = m.headline(.toDate)
        let e = m.exceptions
        var html = "<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">\n"
        html += card("Delivered in the quarter", period.delivered, detail: share(period))
        html += card("Delivered this year to date", year.delivered, detail: share(year))
        html += card("Delivered to date, all years", toDate.delivered, detail: share(toDate))
        html += """
            <div class="card"><p class="label">Contracts under-delivering</p><p class="value">\(e.underDelivering.count) of \(m.reconciliation.contracts.count)</p>\
            <p class="detail">rated requires improvement or inadequate</p></div>

            """
        html += "</div>\n<ul class=\"points\">\n"
        let points = Wording.summaryPoints(m)
        html += points.map { "<li>\(Text.html($0))</li>\n" }.joined()
        html += "</ul>\n"
        html += headlineTable(m)
        return html + "</section>\n"
    }

    static func headlineTable(_ m: CabinetReportModel) -> String {
        let columns = m.headline
        var html = "<table>\n<caption>\(Text.html(Wording.headlineCaption))</caption>\n"
        html += "<thead><tr><th scope=\"col\">Figure</th>"
        html += columns.map { "<th scope=\"col\" class=\"num\">\(Text.html(Wording.windowTitle($0, m)))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for (label, value) in Wording.headlineRows {
            html += "<tr><th scope=\"row\">\(Text.html(label))</th>" + columns.map { "<td class=\"num\">\(Text.html(value($0)))</td>" }.joined() + "</tr>\n"
        }
        html += "<tr><th scope=\"row\">Rating</th>" + columns.map { "<td class=\"num\">\(badge($0.rating))</td>" }.joined() + "</tr>\n"
        return html + "</tbody>\n</table>\n"
    }

    static func howToRead(_ m: CabinetReportModel) -> String {
        var html = """
            <aside class="note major" aria-labelledby="how-to-read">
            <h2 id="how-to-read">How to read this report</h2>
            <p>\(Text.html(Wording.howToReadIntro))</p>
            <table><thead><tr><th scope="col">Rating</th><th scope="col">Delivered ÷ expected</th></tr></thead><tbody>

            """
        for (rating, meaning) in Text.ratingCutOffs {
            html += "<tr><td>\(badge(rating))</td><td>\(Text.html(meaning))</td></tr>\n"
        }
        html += "</tbody></table>\n<ul class=\"points\">\n"
        for (term, meaning) in Wording.definitions(m) {
            html += "<li><strong>\(Text.html(term))</strong> \(Text.html(meaning))</li>\n"
        }
        return html + "</ul>\n</aside>\n"
    }

    static func themesAndQuarters(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"themes\">\n<h2 id=\"themes\">Pledged and delivered by theme</h2>\n"
        if m.reconciliation.byTheme.isEmpty {
            html += "<p class=\"empty\">No social value commitment is recorded.</p>\n"
        } else {
            html += "<figure>\n" + CabinetReportCharts.themes(m.reconciliation.byTheme, id: "chart-themes")
            html += "\n<figcaption>Each theme's current commitment, the value expected by \(Text.html(Text.longDate(m.reportingDate))) and the value delivered to date. The table below gives the same figures.</figcaption>\n</figure>\n"
        }
        html += amountsTable(
            caption: "Social value by theme, to date", firstColumn: "Theme",
            rows: m.reconciliation.byTheme.map { (Text.html($0.key), $0.amounts) }, total: ("All themes", m.reconciliation.portfolio.amounts))
        html += "<h3>Delivery by quarter, \(Text.html(m.period.financialYear))</h3>\n<figure>\n"
        html += CabinetReportCharts.quarters(m.quarters, id: "chart-quarters")
        html += "\n<figcaption>Social value expected and delivered in each quarter of the financial year. Quarters after \(Text.html(m.period.description)) are not yet reached.</figcaption>\n</figure>\n"
        html += "<table>\n<caption>Expected and delivered in each quarter (£ rounded per measure per quarter)</caption>\n"
        html += "<thead><tr><th scope=\"col\">Quarter</th><th scope=\"col\">Months</th><th scope=\"col\" class=\"num\">Expected</th><th scope=\"col\" class=\"num\">Delivered</th><th scope=\"col\" class=\"num\">Delivered ÷ expected</th></tr></thead>\n<tbody>\n"
        for q in m.quarters {
            let months = Text.span(q.quarter.firstDay, q.quarter.lastDay)
            if q.reached {
                html += "<tr><th scope=\"row\">\(q.quarter)</th><td>\(months)</td><td class=\"num\">\(q.expected.formatted)</td><td class=\"num\">\(q.delivered.formatted)</td><td class=\"num\">\(Text.percent(q.delivered.decimal, of: q.expected.decimal) ?? "—")</td></tr>\n"
            } else {
                html += "<tr><th scope=\"row\">\(q.quarter)</th><td>\(months)</td><td class=\"num muted\" colspan=\"3\">not yet reached</td></tr>\n"
            }
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    static func priorities(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"priorities\">\n<h2 id=\"priorities\">By council priority</h2>\n"
        html += "<p>\(Text.html(Wording.prioritiesIntro))</p>\n"
        if m.priorityGroups.isEmpty { html += "<p class=\"empty\">No measure committed is mapped to a council priority.</p>\n" }
        for group in m.priorityGroups {
            html += "<h3>\(Text.html(group.framework))</h3>\n"
            html += amountsTable(caption: nil, firstColumn: "Priority", rows: group.priorities.map { (Text.html($0.name), $0.amounts) }, total: nil)
        }
        return html + "</section>\n"
    }

    static func contracts(_ m: CabinetReportModel) -> String {
        var html = "<section class=\"major\" aria-labelledby=\"contracts\">\n<h2 id=\"contracts\">Contracts, worst rated first</h2>\n"
        html += "<p>Every contract with a social value commitment, rated on the Procurement Act 2023 scale at \(Text.html(Text.longDate(m.reportingDate))).</p>\n"
        guard !m.reconciliation.contracts.isEmpty else { return html + "<p class=\"empty\">None.</p>\n</section>\n" }
        html += "<table>\n<thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Title</th><th scope=\"col\">Supplier</th><th scope=\"col\" class=\"num\">Current commitment</th><th scope=\"col\" class=\"num\">Delivered</th><th scope=\"col\" class=\"num\">Expected</th><th scope=\"col\" class=\"num\">Variance</th><th scope=\"col\">Rating</th></tr></thead>\n<tbody>\n"
        for c in m.reconciliation.contracts {
            html += "<tr><th scope=\"row\" class=\"ref\">\(Text.html(c.reference))</th><td class=\"title\">\(Text.html(c.title))</td><td class=\"supplier\">\(Text.html(c.supplier ?? "—"))</td>"
            html += money(c.amounts.current) + money(c.amounts.delivered) + money(c.amounts.expected) + money(c.amounts.variance)
            html += "<td>\(badge(c.amounts.rating))</td></tr>\n"
        }
        let p = m.reconciliation.portfolio.amounts
        html += "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">All contracts</th>" + money(p.current) + money(p.delivered) + money(p.expected) + money(p.variance) + "<td>\(badge(p.rating))</td></tr></tfoot>\n"
        return html + "</table>\n</section>\n"
    }

    static func exceptions(_ m: CabinetReportModel) -> String {
        let e = m.exceptions
        var html = "<section class=\"major\" aria-labelledby=\"exceptions\">\n<h2 id=\"exceptions\">Exceptions</h2>\n"
        html += "<p>\(Text.html(Wording.exceptionsIntro))</p>\n"

        html += "<h3>Contracts under-delivering</h3>\n"
        html += table(
            ["Reference", "Title", "Supplier", "#Delivered", "#Expected", "#Variance", "Rating"],
            e.underDelivering.map { c in
                [ref(c.reference), Text.html(c.title), Text.html(c.supplier ?? "—"), c.amounts.delivered.formatted, c.amounts.expected.formatted,
                 "<span class=\"negative\">\(c.amounts.variance.formatted)</span>", badge(c.amounts.rating)]
            }, empty: "No contract is rated requires improvement or inadequate.")

        html += "<h3>Late returns</h3>\n"
        html += table(
            ["Reference", "Title", "Supplier", "Quarters with no return"],
            e.lateReturns.map { c in [ref(c.reference), Text.html(c.title), Text.html(c.supplier ?? "—"), Text.html(c.lateReturns.map(\.description).joined(separator: ", "))] },
            empty: "Every quarter that has ended has its return.")

        html += "<h3>Delivered against measures not pledged</h3>\n<p class=\"muted\">Kept and shown here, never added to the totals.</p>\n"
        html += table(
            ["Reference", "Quarter", "Measure", "#Quantity", "Evidence"],
            e.unpledged.map { u in [ref(u.contract.reference), u.figure.quarter.description, Text.html(u.figure.measure), u.figure.quantity.description, Text.html(u.figure.evidence)] },
            empty: "None.")

        html += "<h3>Exemptions granted</h3>\n"
        html += table(
            ["Reference", "Title", "Business case", "Decided by", "Date", "Reason"],
            e.exemptionsGranted.map { c in
                [ref(c.reference), Text.html(c.title), Text.html(c.exemption?.businessCase ?? "—"), Text.html(c.exemption?.decidedByRole ?? "—"),
                 c.exemption?.decidedOn.map { Text.longDate($0) } ?? "—", Text.html(c.exemption?.reason ?? "—")]
            }, empty: "No exemption has been granted.")

        html += "<h3>Weightings set by board override</h3>\n"
        html += table(
            ["Reference", "Title", "#Weighting", "#Policy minimum", "Reason recorded"],
            e.boardOverrides.map { c in
                [ref(c.reference), Text.html(c.title), c.weighting.map { Text.weighting($0.percent) } ?? "—",
                 c.weighting.map { Text.weighting($0.policyMinimumPercent) } ?? "—", Text.html(c.weighting?.overrideReason ?? "—")]
            }, empty: "No weighting was set by board override.")

        html += "<h3>Above threshold, not exempted, no pledge</h3>\n"
        html += table(
            ["Reference", "Title", "Stage", "Supplier", "#Estimated value", "#Threshold"],
            e.noPledge.map { c in
                [ref(c.reference), Text.html(c.title), Text.html(c.stage.rawValue), Text.html(c.supplier ?? "—"), c.estimatedValue.formatted,
                 c.assessment?.threshold.formatted ?? "—"]
            }, empty: "Every contract in scope of the policy has a pledge.")
        return html + "</section>\n"
    }

    static func compliance(_ m: CabinetReportModel) -> String {
        let c = m.compliance
        var html = "<section class=\"major\" aria-labelledby=\"compliance\">\n<h2 id=\"compliance\">Weighting compliance</h2>\n"
        html += "<p>\(Text.html(Wording.complianceIntro))</p>\n"
        html += "<div class=\"cards\"><div class=\"card\"><p class=\"label\">Weighting at or above the policy minimum</p>"
        html += "<p class=\"value\">\(c.compliant) of \(c.tenders.count)</p><p class=\"detail\">\(Text.html(c.percentage.map { "\($0) of in-scope tenders" } ?? "no tender in scope"))</p></div></div>\n"
        html += "<h3>Tenders below the policy minimum</h3>\n"
        html += table(
            ["Reference", "Title", "#Weighting", "#Policy minimum", "Basis", "Reason recorded"],
            c.below.map { p in
                [ref(p.reference), Text.html(p.title), p.weighting.map { Text.weighting($0.percent) } ?? "—",
                 p.weighting.map { Text.weighting($0.policyMinimumPercent) } ?? "—", Text.html(p.weighting.map { Text.basis($0.basis) } ?? "—"),
                 Text.html(p.weighting?.overrideReason ?? "—")]
            }, empty: "None: every in-scope tender met its policy minimum.")
        return html + "</section>\n"
    }

    static func provenance(_ m: CabinetReportModel) -> String {
        """
        <section aria-labelledby="provenance">
        <h2 id="provenance">Where these figures come from</h2>
        <p>\(Text.html(Wording.provenance))</p>
        <pre class="command">\(Text.html(m.verifyCommand))</pre>
        <p>\(Text.html(Wording.recompute))</p>
        <pre class="command">\(Text.html(m.recomputeCommand))</pre>
        <dl class="facts">
        <dt>Ledger position</dt><dd>\(m.position)</dd>
        <dt>Head hash</dt><dd class="hash">\(m.hash.hex)</dd>
        <dt>Figures digest</dt><dd class="hash">\(m.figures.digest)</dd>
        <dt>Period</dt><dd>\(m.period) (reporting date \(m.reportingDate))</dd>
        <dt>Generated</dt><dd>\(Text.html(m.generatedAt))</dd>
        </dl>
        <footer>\(Text.html(m.title)) · ledger position \(m.position) · generated \(Text.html(m.generatedAt))</footer>
        </section>

        """
    }

    // MARK: - Parts

    /// A table of £ figures (pledged, current, delivered, expected, variance, share, rating).
    static func amountsTable(caption: String?, firstColumn: String, rows: [(String, Amounts)], total: (String, Amounts)?) -> String {
        var html = "<table class=\"amounts\">\n" + (caption.map { "<caption>\(Text.html($0))</caption>\n" } ?? "")
        html += "<thead><tr><th scope=\"col\">\(Text.html(firstColumn))</th>"
        html += ["Pledged", "Current commitment", "Delivered", "Expected", "Variance", "Delivered ÷ expected"].map { "<th scope=\"col\" class=\"num\">\($0)</th>" }.joined()
        html += "<th scope=\"col\">Rating</th></tr></thead>\n<tbody>\n"
        let line: (Amounts) -> String = { a in
            money(a.original) + money(a.current) + money(a.delivered) + money(a.expected) + money(a.variance)
                + "<td class=\"num\">\(Text.deliveredShare(a))</td><td>\(badge(a.rating))</td>"
        }
        for (name, amounts) in rows { html += "<tr><th scope=\"row\">\(name)</th>" + line(amounts) + "</tr>\n" }
        html += "</tbody>\n"
        if let (label, amounts) = total { html += "<tfoot><tr><th scope=\"row\">\(Text.html(label))</th>" + line(amounts) + "</tr></tfoot>\n" }
        return html + "</table>\n"
    }

    /// A plain table; a header starting `#` marks a numeric column. Cells are HTML already.
    static func table(_ headers: [String], _ rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">\(Text.html(empty))</p>\n" }
        let numeric = headers.map { $0.hasPrefix("#") }
        var html = "<table>\n<thead><tr>"
        html += headers.map { $0.hasPrefix("#") ? "<th scope=\"col\" class=\"num\">\(Text.html(String($0.dropFirst())))</th>" : "<th scope=\"col\">\(Text.html($0))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>" + zip(row, numeric).map { cell, isNumber in isNumber ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func card(_ label: String, _ value: Money, detail: String) -> String {
        "<div class=\"card\"><p class=\"label\">\(Text.html(label))</p><p class=\"value\">\(value.formatted)</p><p class=\"detail\">\(detail)</p></div>\n"
    }

    static func share(_ h: CabinetHeadline) -> String {
        guard let percent = Text.percent(h.delivered.decimal, of: h.expected.decimal) else { return "nothing expected yet " + badge(h.rating) }
        return "\(percent) of \(h.expected.formatted) expected " + badge(h.rating)
    }

    static func money(_ value: Money) -> String {
        "<td class=\"num\(value.pence < 0 ? " negative" : "")\">\(value.formatted)</td>"
    }

    static func ref(_ reference: String) -> String { "<span class=\"ref\">\(Text.html(reference))</span>" }

    /// A coloured rating badge whose text names the rating, so it reads without colour.
    static func badge(_ rating: PerformanceRating) -> String {
        let style: String
        switch rating {
        case .good: style = "good"
        case .approachingTarget: style = "approaching"
        case .requiresImprovement: style = "improvement"
        case .inadequate: style = "inadequate"
        case .notYetDue: style = "notdue"
        }
        return "<span class=\"badge \(style)\">\(Text.ratingLabel(rating))</span>"
    }
}
