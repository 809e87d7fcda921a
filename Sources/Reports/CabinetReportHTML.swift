import Projections
import SocialValue

/// The Cabinet report as one self-contained HTML file: inline style, inline SVG, no script and
/// no reference to anything outside the file, so that it can be emailed, archived with the
/// Cabinet papers and printed to PDF years later exactly as it was read.
///
/// It follows the shape of a report to a council's Cabinet: a front sheet (meeting, whose report,
/// divisions affected, corporate priorities, contact, brief summary, recommendation), a one-page
/// summary of the figures, the detail, the implications and the background papers; then, as an
/// appendix, how to read it and where its figures come from.
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
            \(CabinetReportStyle.css(m))
            </style>
            </head>
            <body>
            <main>

            """
        // The parts are written side by side on the machine's cores (the contracts' tables
        // are most of a large portfolio's report), then joined in order.
        let parts: [@Sendable (CabinetReportModel) -> String] = [front, commentary, summary] + detailParts + [implications, appendix]
        for part in ConcurrentMap.map(parts.count, minimum: 2, { parts[$0](m) }) { html += part }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    // MARK: - Front sheet

    static func front(_ m: CabinetReportModel) -> String {
        var html = """
            <header class="front">
            <p class="council">\(Text.html(m.scope.councilName))</p>
            <p class="kicker">Report to the Cabinet</p>
            <p class="meeting">\(Text.html(Wording.meeting(m)))</p>
            <p class="report-of">\(Text.html(Wording.reportOf(m)))</p>
            <p class="part">Part I</p>
            <h1>\(Text.heading(Wording.heading(m)))</h1>
            <p class="subtitle">\(Text.html(Wording.subtitle(m)))</p>
            <dl class="front-facts">
            <dt>Electoral divisions affected</dt><dd>\(Text.html(Wording.divisions(m)))</dd>
            <dt>Corporate priorities</dt><dd>\(Wording.corporatePriorities(m).map { Text.html($0) }.joined(separator: "<br>"))</dd>
            <dt>Contact for further information</dt><dd>\(Text.html(Wording.contact(m)))</dd>

            """
        if let directorate = m.scope.directorate { html += "<dt>Directorate</dt><dd>\(Text.html(directorate))</dd>\n" }
        html += "</dl>\n</header>\n"
        html += "<section aria-labelledby=\"brief-summary\">\n<h2 id=\"brief-summary\">Brief summary</h2>\n"
        html += Wording.briefSummary(m).map { "<p>\(Text.html($0))</p>\n" }.joined()
        if let blocks = m.narrative?.blocks(.summary) { html += narrative(blocks) }
        html += "<div class=\"key-decision\">" + (m.narrative?.blocks(.keyDecision).map { narrative($0) } ?? "<p class=\"none-given\">\(Text.html(Wording.noKeyDecision))</p>\n") + "</div>\n"
        html += "</section>\n"
        html += "<section class=\"recommendation\" aria-labelledby=\"recommendation\">\n<h2 id=\"recommendation\">Recommendation</h2>\n"
        html += (m.narrative == nil ? "<p class=\"none-given\">\(Text.html(Wording.noRecommendation))</p>\n" : narrative(m.narrative?.blocks(.recommendation))) + "</section>\n"
        return html
    }

    // MARK: - The one-page summary

    static func summary(_ m: CabinetReportModel) -> String {
        let f = m.figures
        var html = "<section class=\"at-a-glance\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary of the figures</h2>\n"
        html += "<p class=\"lede\">\(Text.html(Wording.subtitle(m)))</p>\n"
        html += "<div class=\"ratings\" role=\"list\" aria-label=\"Contracts by rating\">\n"
        for (rating, count) in f.ratingCounts {
            html += "<div class=\"rating-box \(style(rating))\" role=\"listitem\"><p class=\"count\">\(count)</p><p>\(badge(rating))</p></div>\n"
        }
        html += "</div>\n"
        let trend = Wording.ratingsTrend(m)
        if !trend.isEmpty { html += "<p class=\"small muted\">\(Text.html(trend))</p>\n" }
        html += "<p class=\"rule\">\(Text.html(Wording.aggregateRule))</p>\n"
        html += keyFigures(m)
        html += "<div class=\"two\">\n<div>\n<h3>Outcomes as counts</h3>\n" + outcomesTable(m, compact: true) + "</div>\n"
        html += "<div>\n<h3>Delivery by area</h3>\n" + areasTable(m, compact: true) + "</div>\n</div>\n"
        html += "<div class=\"two\">\n<div>\n<h3>Evidence</h3>\n<ul class=\"points small\">\n"
        html += Wording.evidenceBrief(m).map { "<li>\(Text.html($0))</li>\n" }.joined() + "</ul>\n</div>\n"
        html += "<div>\n<h3>Exceptions and compliance</h3>\n<ul class=\"points small\">\n"
        html += Wording.exceptionPoints(m).map { "<li>\(Text.html($0))</li>\n" }.joined() + "</ul>\n</div>\n</div>\n"
        html += "</section>\n"
        html += remedial(m)
        return html
    }

    /// The trend and the windows in one table: the same quarter last year, last quarter, this
    /// quarter, the year to date and to date; the capped share, with its rating, is the headline.
    static func keyFigures(_ m: CabinetReportModel) -> String {
        let columns = Wording.keyColumns(m)
        var html = "<table class=\"key-figures\">\n<caption>\(Text.html(Wording.keyCaption(m)))</caption>\n<thead><tr><th scope=\"col\">Figure</th>"
        html += columns.map { "<th scope=\"col\" class=\"num\">\(Text.html($0.title))<br><span class=\"muted\">\(Text.html($0.detail))</span></th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        func cells(_ value: (CabinetWindow) -> String) -> String {
            columns.map { "<td class=\"num\">\($0.window.map { Text.html(value($0)) } ?? "—")</td>" }.joined()
        }
        for (index, (label, value)) in Wording.keyRows.enumerated() {
            html += "<tr\(index == Wording.keyHeadlineRow ? " class=\"key\"" : "")><th scope=\"row\">\(Text.html(label))</th>" + cells(value) + "</tr>\n"
            if index == Wording.keyHeadlineRow {
                html += "<tr><th scope=\"row\">Rating, capped</th>" + columns.map { "<td class=\"num\">\($0.window.map { badge($0.rating) } ?? "—")</td>" }.joined() + "</tr>\n"
            }
        }
        for outcome in Wording.keyOutcomes(m) {
            html += "<tr><th scope=\"row\">\(Text.html(outcome.label))</th>" + columns.map { "<td class=\"num\">\(Text.html(Wording.keyQuantity(outcome, $0)))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func outcomesTable(_ m: CabinetReportModel, compact: Bool) -> String {
        let outcomes = compact ? Array(m.figures.outcomes.prefix(CabinetReportWording.compactOutcomes)) : m.figures.outcomes
        guard !outcomes.isEmpty else { return "<p class=\"empty\">No measure with a quantity is committed.</p>\n" }
        var html = "<table class=\"outcomes\">\n<thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\" class=\"num\">This quarter</th>"
        html += "<th scope=\"col\" class=\"num\">To date</th><th scope=\"col\" class=\"num\">Expected to date</th><th scope=\"col\" class=\"num\">Committed</th></tr></thead>\n<tbody>\n"
        for o in outcomes {
            let q = o.quantities
            let detail = compact ? (o.hasOwnLabel ? nil : o.description.map { CabinetReportCharts.shortened($0, to: 60) }) : (o.description ?? o.measures.joined(separator: ", "))
            html += "<tr><th scope=\"row\">\(Text.html(o.label))\(detail.map { "<br><span class=\"muted small\">\(Text.html($0))</span>" } ?? "")</th>"
            html += [q.inPeriod, q.delivered, q.expected, q.committed].map { "<td class=\"num\">\(Text.html(Text.quantity($0, unit: o.unit)))</td>" }.joined()
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if compact, m.figures.outcomes.count > outcomes.count {
            html += "<p class=\"small muted\">\(m.figures.outcomes.count - outcomes.count) more under Outcomes by measure. \(Text.html(Wording.outcomesShortNote))</p>\n"
        } else {
            html += "<p class=\"small muted\">\(Text.html(compact ? Wording.outcomesShortNote : Wording.outcomesNote))</p>\n"
        }
        return html
    }

    static func areasTable(_ m: CabinetReportModel, compact: Bool) -> String {
        let areas = compact ? CabinetReportWording.compactAreas(m) : m.figures.areas
        guard !areas.isEmpty else { return "<p class=\"empty\">No contract with a commitment in force.</p>\n" }
        var html = "<table class=\"areas\">\n<thead><tr><th scope=\"col\">Area</th><th scope=\"col\" class=\"num\">Contracts</th>"
        if !compact { html += "<th scope=\"col\" class=\"num\">Committed</th><th scope=\"col\" class=\"num\">Expected</th><th scope=\"col\" class=\"num\">Delivered</th>" }
        html += "<th scope=\"col\">Delivered against expected, capped</th><th scope=\"col\" class=\"num\">Under-delivering</th></tr></thead>\n<tbody>\n"
        for area in areas {
            html += "<tr><th scope=\"row\">\(Text.html(area.name))</th><td class=\"num\">\(area.contracts.count)</td>"
            if !compact { html += money(area.amounts.current) + money(area.amounts.expected) + money(area.amounts.delivered) }
            html += "<td>\(meter(area.capped, of: area.amounts.expected, cutOffs: m.figures.cutOffs))</td><td class=\"num\">\(area.underDelivering)</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if compact, m.figures.areas.count > areas.count {
            html += "<p class=\"small muted\">The \(areas.count) areas delivering least of what was expected; \(m.figures.areas.count - areas.count) more under Delivery by area.</p>\n"
        }
        html += "<p class=\"small muted\">\(Text.html(Wording.areasNote))</p>\n"
        return html
    }

    /// A bar of a share from 0 to 100%, with the figure beside it: readable without colour.
    static func meter(_ part: Money, of whole: Money, cutOffs: RatingCutOffs) -> String {
        guard let share = Text.percent(part.decimal, of: whole.decimal) else { return "<span class=\"muted\">nothing expected yet</span>" }
        let fraction = max(0, min(1, Double(part.pence) / Double(max(whole.pence, 1))))
        let width = Int((fraction * 100).rounded(.down))
        let rating = PerformanceRating.rating(delivered: part.decimal, expected: whole.decimal, cutOffs: cutOffs)
        return "<span class=\"meter\" aria-hidden=\"true\"><span class=\"fill \(style(rating))\" style=\"width: \(width)%\"></span></span> <span class=\"meter-figure\">\(share)</span>"
    }

    static func remedial(_ m: CabinetReportModel) -> String {
        let contracts = Wording.remedial(m)
        var html = "<section aria-labelledby=\"remedial\">\n<h2 id=\"remedial\">Contracts needing remedial action</h2>\n"
        html += "<p>\(Text.html(Wording.remedialIntro))</p>\n"
        guard !contracts.isEmpty else { return html + "<p class=\"empty\">No contract is rated inadequate.</p>\n</section>\n" }
        for c in contracts {
            html += "<div class=\"remedial\">\n<h3>\(Text.html(c.reference)): \(Text.html(c.title)) \(badge(c.amounts.rating))</h3>\n"
            html += "<p class=\"small\">\(Text.html(c.supplier ?? "No supplier recorded")). Delivered \(c.amounts.delivered.formatted) against \(c.amounts.expected.formatted) expected"
            html += "\(Text.percent(c.amounts.delivered.decimal, of: c.amounts.expected.decimal).map { " (\($0))" } ?? "")"
            html += c.hasLateReturns ? "; no return for \(Text.html(c.lateReturnLabels.joined(separator: ", "))).</p>\n" : ".</p>\n"
            html += narrative(m.commentary(on: c.reference)) + "</div>\n"
        }
        return html + "</section>\n"
    }

    // MARK: - Detail

    /// The author's commentary and consultations: the start of the detail, on the front pages.
    static func commentary(_ m: CabinetReportModel) -> String {
        var html = "<section class=\"detail\" aria-labelledby=\"detail\">\n<h2 id=\"detail\">Detail</h2>\n"
        html += "<h3>Commentary</h3>\n" + narrative(m.narrative?.blocks(.commentary))
        html += "<h3>Consultations</h3>\n" + narrative(m.narrative?.blocks(.consultations))
        html += "<p class=\"small muted\">The figures follow: a one-page summary, then each in detail.</p>\n"
        return html + "</section>\n"
    }

    /// The detail's parts, in order.
    static let detailParts: [@Sendable (CabinetReportModel) -> String] = [
        themes, quarters, outcomes, areas, priorities, contracts, kpis, evidence, exceptions, compliance,
    ]

    static func themes(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"themes\">\n<h2 id=\"themes\">Social value by theme</h2>\n"
        html += "<p>\(Text.html(Wording.themesSentence(m)))</p>\n"
        guard !m.figures.themes.isEmpty else { return html + "<p class=\"empty\">No social value commitment is recorded.</p>\n</section>\n" }
        html += "<div class=\"theme-chart\">\n<p class=\"legend\"><span class=\"swatch fill-pledged\"></span>Committed <span class=\"swatch fill-expected\"></span>Expected to date "
        html += "<span class=\"swatch fill-delivered\"></span>Delivered, within what was expected <span class=\"swatch fill-beyond\"></span>Delivered beyond what was expected</p>\n"
        html += CabinetReportCharts.themePanels(m.figures.themes, id: "chart-theme")
        html += "<p class=\"small muted\">Each theme is drawn on its own scale, shown under it, so that a small theme is as readable as a large one: compare the bars within a theme, and the figures across themes.</p>\n</div>\n"
        html += "<table class=\"amounts\">\n<caption>Social value by theme, to date</caption>\n<thead><tr><th scope=\"col\">Theme</th>"
        html += ["Pledged", "Committed", "Expected", "Delivered", "Capped", "Capped ÷ expected"].map { "<th scope=\"col\" class=\"num\">\($0)</th>" }.joined()
        html += "<th scope=\"col\">Rating, capped</th></tr></thead>\n<tbody>\n"
        for t in m.figures.themes {
            let includes = t.catalogThemes.filter { $0 != t.name }
            html += "<tr><th scope=\"row\">\(Text.html(t.name))\(t.mapped ? "" : " <span class=\"muted small\">(no council theme)</span>")"
            html += includes.isEmpty ? "" : "<br><span class=\"muted small\">from: \(Text.html(includes.joined(separator: "; ")))</span>"
            html += "</th>" + money(t.amounts.original) + money(t.amounts.current) + money(t.amounts.expected) + money(t.amounts.delivered) + money(t.capped)
            html += "<td class=\"num\">\(Text.percent(t.capped.decimal, of: t.amounts.expected.decimal) ?? "—")</td>"
            html += "<td>\(badge(PerformanceRating.rating(delivered: t.capped.decimal, expected: t.amounts.expected.decimal, cutOffs: m.figures.cutOffs)))</td></tr>\n"
        }
        let p = m.figures.portfolio
        html += "</tbody>\n<tfoot><tr><th scope=\"row\">All themes</th>" + money(p.original) + money(p.current) + money(p.expected) + money(p.delivered) + money(m.figures.capped)
        html += "<td class=\"num\">\(Text.percent(m.figures.capped.decimal, of: p.expected.decimal) ?? "—")</td>"
        html += "<td>\(badge(PerformanceRating.rating(delivered: m.figures.capped.decimal, expected: p.expected.decimal, cutOffs: m.figures.cutOffs)))</td></tr></tfoot>\n</table>\n"
        return html + "</section>\n"
    }

    static func quarters(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"quarters\">\n<h2 id=\"quarters\">Delivery by quarter, \(Text.heading(m.period.financialYear))</h2>\n<figure>\n"
        html += CabinetReportCharts.quarters(m.quarters, id: "chart-quarters")
        html += "\n<figcaption>Social value expected and delivered in each quarter of the financial year. Quarters after \(Text.html(m.period.description)) are not yet reached.</figcaption>\n</figure>\n"
        html += "<table>\n<caption>Expected and delivered in each quarter (£ rounded per measure per quarter)</caption>\n"
        html += "<thead><tr><th scope=\"col\">Quarter</th><th scope=\"col\">Months</th><th scope=\"col\" class=\"num\">Expected</th><th scope=\"col\" class=\"num\">Delivered</th><th scope=\"col\" class=\"num\">Delivered ÷ expected, uncapped</th><th scope=\"col\" class=\"num\">Capped ÷ expected, rated</th></tr></thead>\n<tbody>\n"
        for q in m.quarters {
            let months = Text.span(q.quarter.firstDay, q.quarter.lastDay)
            if q.reached {
                html += "<tr><th scope=\"row\">\(q.quarter)</th><td>\(months)</td><td class=\"num\">\(q.expected.formatted)</td><td class=\"num\">\(q.delivered.formatted)</td>"
                html += "<td class=\"num\">\(Text.percent(q.delivered.decimal, of: q.expected.decimal) ?? "—")</td><td class=\"num\">\(Text.percent(q.capped.decimal, of: q.expected.decimal) ?? "—")</td></tr>\n"
            } else {
                html += "<tr><th scope=\"row\">\(q.quarter)</th><td>\(months)</td><td class=\"num muted\" colspan=\"4\">not yet reached</td></tr>\n"
            }
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    static func outcomes(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"outcomes\">\n<h2 id=\"outcomes\">Outcomes as counts</h2>\n"
        html += outcomesTable(m, compact: false)
        html += "<h3>Outcomes by measure</h3>\n"
        html += table(
            ["Measure", "Theme", "Unit", "#This quarter", "#To date", "#Expected to date", "#Committed", "Contracts"],
            m.figures.measures.map { o in
                let q = o.quantities
                return ["<span class=\"ref\">\(Text.html(o.measure))</span><br><span class=\"small\">\(Text.html(o.description))</span>", Text.html(o.theme), Text.html(o.unit)]
                    + [q.inPeriod, q.delivered, q.expected, q.committed].map { Text.html(Text.quantity($0, unit: o.unit)) }
                    + [Text.html(o.contracts.joined(separator: ", "))]
            }, empty: "No measure is committed.", className: "measures")
        return html + "</section>\n"
    }

    static func areas(_ m: CabinetReportModel) -> String {
        "<section aria-labelledby=\"areas\">\n<h2 id=\"areas\">Delivery by area</h2>\n" + areasTable(m, compact: false) + "</section>\n"
    }

    static func priorities(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"priorities\">\n<h2 id=\"priorities\">By council priority</h2>\n"
        html += "<p>\(Text.html(Wording.prioritiesIntro))</p>\n"
        if m.priorityGroups.isEmpty { html += "<p class=\"empty\">No measure committed is mapped to a council priority.</p>\n" }
        for group in m.priorityGroups {
            html += "<h3>\(Text.html(group.framework))\(group.isCouncils ? "" : " <span class=\"muted small\">(a catalog's framework)</span>")</h3>\n"
            html += amountsTable(caption: nil, firstColumn: "Priority", rows: group.priorities.map { (Text.html($0.name), $0.amounts) }, total: nil)
        }
        return html + "</section>\n"
    }

    /// The Procurement Act 2023's KPIs of the contracts in scope, each with its latest assessment
    /// (docs/kpis.md); overdue assessments are among the exceptions.
    static func kpis(_ m: CabinetReportModel) -> String {
        let rows = CabinetKPIRow.rows(m)
        guard !rows.isEmpty else { return "" }
        var html = "<section aria-labelledby=\"kpis\">\n<h2 id=\"kpis\">Key performance indicators</h2>\n"
        html += "<p>The KPIs agreed on contracts above the KPI threshold (the Procurement Act 2023 asks for at least three), each with its latest assessment, rated Good, Approaching target, Requires improvement, Inadequate or Other.</p>\n"
        html += table(["Reference", "KPI", "Target", "Latest assessment", "Period"], rows.map { r in
            [ref(r.contract), Text.html("\(r.kpi.id): \(r.kpi.name)"), Text.html(r.kpi.target), Text.html(r.latest.map { KPIRating(rawValue: $0.rating)?.label ?? $0.rating } ?? "Not yet assessed"),
             Text.html(r.latest.map { "\($0.periodStart) to \($0.periodEnd)" } ?? "—")]
        }, empty: "")
        return html + "</section>\n"
    }

    static func contracts(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"contracts\">\n<h2 id=\"contracts\">Contracts, worst rated first</h2>\n"
        html += "<p>Every contract with a social value commitment in force, rated on the council's scale (its cut-offs, with the Procurement Act 2023's four labels) at \(Text.html(Text.longDate(m.reportingDate))) from its capped share, which counts each of its measures at most at what was expected of it; the uncapped share beside it counts over-delivery in full.</p>\n"
        guard !m.figures.contracts.isEmpty else { return html + "<p class=\"empty\">None.</p>\n</section>\n" }
        // Each contract's projection by its place: a dictionary of projections copied each one.
        let projections = m.scope.contracts
        let places = Dictionary(projections.indices.map { (projections[$0].reference, $0) }, uniquingKeysWith: { $1 })
        html += "<table class=\"contracts\">\n<thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Title and supplier</th><th scope=\"col\">Directorate and areas</th><th scope=\"col\" class=\"num\">Committed</th><th scope=\"col\" class=\"num\">Expected</th><th scope=\"col\" class=\"num\">Delivered (claimed)</th><th scope=\"col\" class=\"num\">Validated</th><th scope=\"col\" class=\"num\">Delivered ÷ expected, uncapped</th><th scope=\"col\" class=\"num\">Capped ÷ expected, rated</th><th scope=\"col\">Rating</th></tr></thead>\n<tbody>\n"
        for c in m.figures.contracts {
            let capped = c.amounts.capped
            let at = places[c.reference]
            html += "<tr><th scope=\"row\" class=\"ref\">\(Text.html(c.reference))</th><td class=\"title\">\(Text.html(c.title))<br><span class=\"muted small\">\(Text.html(c.supplier ?? "—"))</span></td>"
            html += "<td class=\"small\">\(Text.html(at.map { projections[$0].buyerDepartment } ?? "—"))<br><span class=\"muted\">\(Text.html(at.map { projections[$0].areasServed.joined(separator: ", ") } ?? ""))</span></td>"
            html += money(c.amounts.current) + money(c.amounts.expected) + money(c.amounts.delivered) + money(c.amounts.validated)
            html += "<td class=\"num\">\(Text.deliveredShare(c.amounts))</td><td class=\"num\">\(Text.percent(capped.decimal, of: c.amounts.expected.decimal) ?? "—")</td>"
            html += "<td>\(badge(c.amounts.rating))</td></tr>\n"
        }
        let p = m.figures.portfolio
        html += "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">All contracts</th>" + money(p.current) + money(p.expected) + money(p.delivered) + money(p.validated)
        html += "<td class=\"num\">\(Text.deliveredShare(p))</td><td class=\"num\">\(Text.percent(m.figures.capped.decimal, of: p.expected.decimal) ?? "—")</td><td></td></tr></tfoot>\n"
        return html + "</table>\n</section>\n"
    }

    static func evidence(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"evidence\">\n<h2 id=\"evidence\">Evidence behind the figures</h2>\n<ul class=\"points\">\n"
        html += Wording.evidence(m, detail: true).map { "<li>\(Text.html($0))</li>\n" }.joined() + "</ul>\n"
        html += table(
            ["Reference", "#Returns made", "#Returns late", "#Figures", "#With evidence", "#Corrected", "#Against measures not pledged", "#Lines over twice expected"],
            m.figures.evidence.contracts.map { row in
                [ref(row.reference), String(row.counts.returns), String(row.counts.lateReturns), String(row.counts.figures), String(row.counts.withEvidence),
                 String(row.counts.corrected), String(row.counts.unpledged), String(row.counts.overDelivered)]
            }, empty: "No contract with a commitment in force.")
        return html + "</section>\n"
    }

    static func exceptions(_ m: CabinetReportModel) -> String {
        let e = m.exceptions
        var html = "<section aria-labelledby=\"exceptions\">\n<h2 id=\"exceptions\">Exceptions</h2>\n"
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
            ["Reference", "Title", "Supplier", "Returns not made (a whole quarter, or a pledged measure a return left out)"],
            e.lateReturns.map { c in [ref(c.reference), Text.html(c.title), Text.html(c.supplier ?? "—"), Text.html(c.lateReturnLabels.joined(separator: ", "))] },
            empty: "Every quarter that has ended has its return, with a line for every pledged measure.")

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

        html += "<h3>KPI assessments overdue</h3>\n"
        html += table(
            ["Reference", "Title", "KPI", "Target", "Last assessment", "Why overdue"],
            e.kpiAssessmentsOverdue.map { o in
                let last = o.kpi.assessments.max { $0.periodEnd < $1.periodEnd }
                return [ref(o.contract.reference), Text.html(o.contract.title), Text.html("\(o.kpi.id): \(o.kpi.name)"), Text.html(o.kpi.target),
                        Text.html(last.map { "\(KPIRating(rawValue: $0.rating)?.label ?? $0.rating), to \($0.periodEnd)" } ?? "none"), Text.html(o.why)]
            }, empty: "No KPI assessment is overdue.")
        return html + "</section>\n"
    }

    static func compliance(_ m: CabinetReportModel) -> String {
        let c = m.compliance
        var html = "<section aria-labelledby=\"compliance\">\n<h2 id=\"compliance\">Weighting compliance</h2>\n"
        html += "<p>\(Text.html(Wording.complianceIntro))</p>\n"
        html += "<p class=\"figure-line\"><strong>\(c.compliant) of \(c.tenders)</strong> \(Text.html(c.percentage.map { "(\($0) of in-scope tenders)" } ?? "(no tender in scope)")) at or above the policy minimum.</p>\n"
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

    // MARK: - Implications, background papers, appendix

    static func implications(_ m: CabinetReportModel) -> String {
        var html = "<section aria-labelledby=\"implications\">\n<h2 id=\"implications\">Implications</h2>\n"
        for part in [CabinetNarrative.Part.risk, .legal, .financial, .equality] {
            html += "<h3>\(Text.html(part.heading))</h3>\n" + narrative(m.narrative?.blocks(part))
        }
        html += "</section>\n<section aria-labelledby=\"appendices\">\n<h2 id=\"appendices\">Appendices</h2>\n"
        html += "<p>\(Text.html(Wording.appendicesIntro))</p>\n"
        html += table(["Appendix", "Title"], Wording.appendices.map { [Text.html($0.label), Text.html($0.title)] }, empty: "None")
        html += "</section>\n<section aria-labelledby=\"background\">\n<h2 id=\"background\">List of background papers</h2>\n"
        html += table(
            ["Paper", "Date", "Contact/Tel"],
            (m.narrative?.backgroundPapers ?? []).map { [Text.html($0.paper), Text.html($0.date ?? "—"), Text.html($0.contact ?? "—")] },
            empty: "None")
        html += "</section>\n"
        return html
    }

    static func appendix(_ m: CabinetReportModel) -> String {
        var html = """
            <section class="appendix" aria-labelledby="how-to-read">
            <h2 id="how-to-read">\(Text.html(Wording.appendices[0].heading))</h2>
            <p>\(Text.html(Wording.howToReadIntro))</p>
            <table class="scale"><thead><tr><th scope="col">Rating</th><th scope="col">Capped ÷ expected</th></tr></thead><tbody>

            """
        for (rating, meaning) in Text.ratingCutOffs(m.figures.cutOffs) {
            html += "<tr><td>\(badge(rating))</td><td>\(Text.html(meaning))</td></tr>\n"
        }
        html += "</tbody></table>\n<ul class=\"points\">\n"
        for (term, meaning) in Wording.definitions(m) {
            html += "<li><strong>\(Text.html(term))</strong> \(Text.html(meaning))</li>\n"
        }
        html += "</ul>\n</section>\n"
        html += """
            <section class="provenance" aria-labelledby="provenance">
            <h2 id="provenance">\(Text.html(Wording.appendices[1].heading))</h2>
            <p>\(Text.html(Wording.provenance))</p>
            <dl class="facts">
            <dt>Ledger position</dt><dd>\(m.position)</dd>
            <dt>Head hash</dt><dd><code class="hash">\(m.hash.hex)</code></dd>
            <dt>Figures digest</dt><dd><code class="hash">\(m.figuresFile.digest)</code></dd>
            <dt>Period</dt><dd>\(m.period) (reporting date \(m.reportingDate))</dd>
            <dt>Narrative</dt><dd>\(Text.html(Wording.narrativeSource(m)))</dd>
            <dt>Narrative warnings</dt><dd>\(Text.html(m.narrativeWarnings.isEmpty ? "None: every figure in the narrative is the report's own." : m.narrativeWarnings.joined(separator: " ")))</dd>
            <dt>Generated</dt><dd>\(Text.html(m.generatedAt))</dd>
            </dl>
            <p class="copy-label">Ledger head (position:hash), to copy whole:</p>
            <pre class="head">\(Text.html(m.headText))</pre>
            <pre class="command">\(Text.html(m.verifyCommand))</pre>
            \(treeStatement(m))<p>\(Text.html(Wording.recompute))</p>
            <pre class="command">\(Text.html(recomputeLines(m)))</pre>
            </section>

            """
        return html
    }

    /// The Merkle root and the checkpoint, when the caller read them.
    static func treeStatement(_ m: CabinetReportModel) -> String {
        guard let tree = m.tree else { return "" }
        return """
            <p class="copy-label">Merkle tree root at position \(m.position), to compare with a published checkpoint:</p>
            <pre class="head">\(Text.html(tree.root))</pre>
            <p>\(Text.html(tree.sentence(position: m.position)))</p>

            """
    }

    /// The recompute command broken over two lines with a shell continuation, so that it prints
    /// whole on A4 and still runs when pasted.
    static func recomputeLines(_ m: CabinetReportModel) -> String {
        "python3 tools/reconcile_ledger.py LEDGER --period \(m.period) \\\n    --reporting-date \(m.reportingDate) --through \(m.position) --digest"
    }

    // MARK: - Parts

    /// The author's text: paragraphs and lists, escaped; "None given." when there is none.
    static func narrative(_ blocks: [CabinetNarrative.Block]?) -> String {
        guard let blocks else { return "<p class=\"none-given\">\(Wording.noneGiven)</p>\n" }
        return blocks.map { block in
            switch block {
            case .paragraph(let text): return "<p class=\"authored\">\(Text.html(text))</p>\n"
            case .list(let items): return "<ul class=\"authored\">\n" + items.map { "<li>\(Text.html($0))</li>\n" }.joined() + "</ul>\n"
            }
        }.joined()
    }

    /// A table of £ figures (pledged, current, delivered, expected, variance, share, rating).
    static func amountsTable(caption: String?, firstColumn: String, rows: [(String, Amounts)], total: (String, Amounts)?) -> String {
        var html = "<table class=\"amounts\">\n" + (caption.map { "<caption>\(Text.html($0))</caption>\n" } ?? "")
        html += "<thead><tr><th scope=\"col\">\(Text.html(firstColumn))</th>"
        html += ["Pledged", "Committed", "Delivered", "Expected", "Variance", "Delivered ÷ expected"].map { "<th scope=\"col\" class=\"num\">\($0)</th>" }.joined()
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
    static func table(_ headers: [String], _ rows: [[String]], empty: String, className: String? = nil) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">\(Text.html(empty))</p>\n" }
        let numeric = headers.map { $0.hasPrefix("#") }
        var html = "<table\(className.map { " class=\"\($0)\"" } ?? "")>\n<thead><tr>"
        html += headers.map { $0.hasPrefix("#") ? "<th scope=\"col\" class=\"num\">\(Text.html(String($0.dropFirst())))</th>" : "<th scope=\"col\">\(Text.html($0))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>" + zip(row, numeric).map { cell, isNumber in isNumber ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func money(_ value: Money) -> String {
        "<td class=\"num\(value.pence < 0 ? " negative" : "")\">\(value.formatted)</td>"
    }

    static func ref(_ reference: String) -> String { "<span class=\"ref\">\(Text.html(reference))</span>" }

    static func style(_ rating: PerformanceRating) -> String {
        switch rating {
        case .good: "good"
        case .approachingTarget: "approaching"
        case .requiresImprovement: "improvement"
        case .inadequate: "inadequate"
        case .notYetDue: "notdue"
        }
    }

    /// A coloured rating badge whose text names the rating, so it reads without colour.
    static func badge(_ rating: PerformanceRating) -> String {
        "<span class=\"badge \(style(rating))\">\(Text.ratingLabel(rating))</span>"
    }
}
