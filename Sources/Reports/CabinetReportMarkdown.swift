import Projections
import SocialValue

/// The Cabinet report as Markdown: the HTML's content and wording in the same order, with each
/// chart given as the table of its figures, for papers assembled in a word processor or a
/// repository.
enum CabinetReportMarkdown {
    typealias Text = CabinetReportText
    typealias Wording = CabinetReportWording

    static func render(_ m: CabinetReportModel) -> String {
        var md = "# \(Text.markdown(m.title))\n\n"
        md += "**Report to the Cabinet: \(Text.markdown(m.scope.councilName))**\n\n"
        md += "\(Text.markdown(Wording.meeting(m)))\n\n\(Text.markdown(Wording.reportOf(m)))\n\nPart I\n\n"
        md += "## \(Text.markdown(Wording.heading(m)))\n\n\(Text.markdown(Wording.subtitle(m)))\n\n"
        md += "- **Electoral divisions affected:** \(Text.markdown(Wording.divisions(m)))\n"
        md += "- **Corporate priorities:**\n" + Wording.corporatePriorities(m).map { "  - \(Text.markdown($0))\n" }.joined()
        md += "- **Contact for further information:** \(Text.markdown(Wording.contact(m)))\n"
        if let directorate = m.scope.directorate { md += "- **Directorate:** \(Text.markdown(directorate))\n" }
        md += "\n## Brief summary\n\n" + Wording.briefSummary(m).map { Text.markdown($0) + "\n\n" }.joined()
        if let blocks = m.narrative?.blocks(.summary) { md += narrative(blocks) }
        md += m.narrative?.blocks(.keyDecision).map { narrative($0) } ?? Text.markdown(Wording.noKeyDecision) + "\n\n"
        md += "## Recommendation\n\n" + (m.narrative == nil ? Text.markdown(Wording.noRecommendation) + "\n\n" : narrative(m.narrative?.blocks(.recommendation)))
        md += "## Detail\n\n### Commentary\n\n" + narrative(m.narrative?.blocks(.commentary))
        md += "### Consultations\n\n" + narrative(m.narrative?.blocks(.consultations))
        md += "The figures follow: a one-page summary, then each in detail.\n\n"

        md += summary(m)
        md += detail(m)

        md += "## Implications\n\n"
        for part in [CabinetNarrative.Part.risk, .legal, .financial, .equality] {
            md += "### \(part.heading)\n\n" + narrative(m.narrative?.blocks(part))
        }
        md += "## Appendices\n\n\(Text.markdown(Wording.appendicesIntro))\n\n"
        md += table(["Appendix", "Title"], numeric: [false, false], Wording.appendices.map { [$0.label, $0.title] })
        md += "## List of background papers\n\n"
        md += table(
            ["Paper", "Date", "Contact/Tel"], numeric: [false, false, false],
            (m.narrative?.backgroundPapers ?? []).map { [$0.paper, $0.date ?? "—", $0.contact ?? "—"] }, empty: "None")

        md += "## \(Wording.appendices[0].heading)\n\n\(Text.markdown(Wording.howToReadIntro))\n\n"
        md += table(["Rating", "Capped ÷ expected"], numeric: [false, false], Text.ratingCutOffs(m.figures.cutOffs).map { [$0.0.rawValue, $0.1] })
        md += Wording.definitions(m).map { "- **\(Text.markdown($0.term))** \(Text.markdown($0.meaning))\n" }.joined() + "\n"

        md += "## \(Wording.appendices[1].heading)\n\n\(Text.markdown(Wording.provenance))\n\n"
        md += "Ledger head (position:hash), to copy whole:\n\n```\n\(m.headText)\n```\n\n```\n\(m.verifyCommand)\n```\n\n"
        if let tree = m.tree {
            md += "Merkle tree root at position \(m.position), to compare with a published checkpoint:\n\n```\n\(tree.root)\n```\n\n\(Text.markdown(tree.sentence(position: m.position)))\n\n"
        }
        md += "\(Text.markdown(Wording.recompute))\n\n```\n\(CabinetReportHTML.recomputeLines(m))\n```\n\n"
        md += "- Ledger position: \(m.position)\n- Head hash: `\(m.hash.hex)`\n- Figures digest: `\(m.figuresFile.digest)`\n"
        md += "- Period: \(m.period) (reporting date \(m.reportingDate))\n- Narrative: \(Text.markdown(Wording.narrativeSource(m)))\n"
        md += "- Narrative warnings: \(Text.markdown(m.narrativeWarnings.isEmpty ? "none" : m.narrativeWarnings.joined(separator: " ")))\n"
        md += "- Generated: \(Text.markdown(m.generatedAt))\n"
        return md
    }

    static func summary(_ m: CabinetReportModel) -> String {
        let f = m.figures
        var md = "## Summary of the figures\n\n\(Text.markdown(Wording.subtitle(m)))\n\n"
        md += table(f.ratingCounts.map { Text.ratingLabel($0.rating) }, numeric: f.ratingCounts.map { _ in true }, [f.ratingCounts.map { String($0.count) }])
        md += "\(Text.markdown(Wording.aggregateRule))\n\n"

        let trend = Wording.ratingsTrend(m)
        if !trend.isEmpty { md += "\(Text.markdown(trend))\n\n" }
        md += "### Key figures\n\n"
        let columns = Wording.keyColumns(m)
        var rows = Wording.keyRows.map { label, value in [label] + columns.map { $0.window.map(value) ?? "—" } }
        rows.insert(["Rating, capped"] + columns.map { $0.window?.rating.rawValue ?? "—" }, at: Wording.keyHeadlineRow + 1)
        rows += Wording.keyOutcomes(m).map { outcome in [outcome.label] + columns.map { Wording.keyQuantity(outcome, $0) } }
        md += table(["Figure"] + columns.map { "\($0.title) (\($0.detail))" }, numeric: [false] + columns.map { _ in true }, rows)
        md += "\(Text.markdown(Wording.keyCaption(m)))\n\n"

        md += "### Outcomes as counts\n\n" + outcomes(m, compact: true)
        md += "### Delivery by area\n\n" + areas(m, compact: true)
        md += "### Evidence\n\n" + Wording.evidenceBrief(m).map { "- \(Text.markdown($0))\n" }.joined() + "\n"
        md += "### Exceptions and compliance\n\n" + Wording.exceptionPoints(m).map { "- \(Text.markdown($0))\n" }.joined() + "\n"

        md += "## Contracts needing remedial action\n\n\(Text.markdown(Wording.remedialIntro))\n\n"
        let remedial = Wording.remedial(m)
        if remedial.isEmpty { md += "No contract is rated inadequate.\n\n" }
        for c in remedial {
            md += "### \(Text.markdown(c.reference)): \(Text.markdown(c.title)) (\(c.amounts.rating.rawValue))\n\n"
            md += "\(Text.markdown(c.supplier ?? "No supplier recorded")). Delivered \(c.amounts.delivered.formatted) against \(c.amounts.expected.formatted) expected"
            md += Text.percent(c.amounts.delivered.decimal, of: c.amounts.expected.decimal).map { " (\($0))" } ?? ""
            md += c.hasLateReturns ? "; no return for \(c.lateReturnLabels.joined(separator: ", ")).\n\n" : ".\n\n"
            md += narrative(m.commentary(on: c.reference))
        }
        return md
    }

    static func detail(_ m: CabinetReportModel) -> String {
        let f = m.figures
        var md = "## Social value by theme\n\n\(Text.markdown(Wording.themesSentence(m)))\n\n"
        md += table(
            ["Theme", "Includes", "Pledged", "Committed", "Expected", "Delivered", "Capped", "Capped ÷ expected", "Rating, capped"],
            numeric: [false, false, true, true, true, true, true, true, false],
            f.themes.map { t in
                [t.name + (t.mapped ? "" : " (no council theme)"), t.catalogThemes.filter { $0 != t.name }.joined(separator: "; "), t.amounts.original.formatted,
                 t.amounts.current.formatted, t.amounts.expected.formatted, t.amounts.delivered.formatted, t.capped.formatted,
                 Text.percent(t.capped.decimal, of: t.amounts.expected.decimal) ?? "—",
                 PerformanceRating.rating(delivered: t.capped.decimal, expected: t.amounts.expected.decimal, cutOffs: m.figures.cutOffs).rawValue]
            } + [["All themes", "", f.portfolio.original.formatted, f.portfolio.current.formatted, f.portfolio.expected.formatted, f.portfolio.delivered.formatted,
                  f.capped.formatted, Text.percent(f.capped.decimal, of: f.portfolio.expected.decimal) ?? "—",
                  PerformanceRating.rating(delivered: f.capped.decimal, expected: f.portfolio.expected.decimal, cutOffs: f.cutOffs).rawValue]])

        md += "## Delivery by quarter, \(m.period.financialYear)\n\n"
        md += table(
            ["Quarter", "Months", "Expected", "Delivered", "Delivered ÷ expected, uncapped", "Capped ÷ expected, rated"], numeric: [false, false, true, true, true, true],
            m.quarters.map { q in
                let months = Text.span(q.quarter.firstDay, q.quarter.lastDay)
                guard q.reached else { return [q.quarter.description, months, "not yet reached", "", "", ""] }
                return [q.quarter.description, months, q.expected.formatted, q.delivered.formatted,
                        Text.percent(q.delivered.decimal, of: q.expected.decimal) ?? "—", Text.percent(q.capped.decimal, of: q.expected.decimal) ?? "—"]
            })

        md += "## Outcomes as counts\n\n" + outcomes(m, compact: false)
        md += "## Outcomes by measure\n\n"
        md += table(
            ["Measure", "Description", "Theme", "Unit", "This quarter", "To date", "Expected to date", "Committed", "Contracts"],
            numeric: [false, false, false, false, true, true, true, true, false],
            f.measures.map { o in
                let q = o.quantities
                return [o.measure, o.description, o.theme, o.unit] + [q.inPeriod, q.delivered, q.expected, q.committed].map { Text.quantity($0, unit: o.unit) }
                    + [o.contracts.joined(separator: ", ")]
            }, empty: "No measure is committed.")

        md += "## Delivery by area\n\n" + areas(m, compact: false)

        md += "## By council priority\n\n\(Text.markdown(Wording.prioritiesIntro))\n\n"
        if m.priorityGroups.isEmpty { md += "No measure committed is mapped to a council priority.\n\n" }
        for group in m.priorityGroups {
            md += "### \(Text.markdown(group.framework))\(group.isCouncils ? "" : " (a catalog's framework)")\n\n" + amountsTable("Priority", group.priorities.map { ($0.name, $0.amounts) })
        }

        let projections = Dictionary(m.scope.contracts.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
        md += "## Contracts, worst rated first\n\n"
        md += table(
            ["Reference", "Title", "Supplier", "Directorate", "Areas", "Committed", "Expected", "Delivered (claimed)", "Validated", "Delivered ÷ expected, uncapped",
             "Capped ÷ expected, rated", "Rating"],
            numeric: [false, false, false, false, false, true, true, true, true, true, true, false],
            f.contracts.map { c in
                let capped = c.amounts.capped
                return [c.reference, c.title, c.supplier ?? "—", projections[c.reference]?.buyerDepartment ?? "—",
                        projections[c.reference]?.areasServed.joined(separator: ", ") ?? "", c.amounts.current.formatted, c.amounts.expected.formatted,
                        c.amounts.delivered.formatted, c.amounts.validated.formatted, Text.deliveredShare(c.amounts), Text.percent(capped.decimal, of: c.amounts.expected.decimal) ?? "—",
                        c.amounts.rating.rawValue]
            }, empty: "No contract has a social value commitment.")

        md += "## Evidence behind the figures\n\n" + Wording.evidence(m, detail: true).map { "- \(Text.markdown($0))\n" }.joined() + "\n"
        md += table(
            ["Reference", "Returns made", "Returns late", "Figures", "With evidence", "Corrected", "Against measures not pledged", "Lines over twice expected"],
            numeric: [false, true, true, true, true, true, true, true],
            f.evidence.contracts.map { row in
                [row.reference, String(row.counts.returns), String(row.counts.lateReturns), String(row.counts.figures), String(row.counts.withEvidence),
                 String(row.counts.corrected), String(row.counts.unpledged), String(row.counts.overDelivered)]
            }, empty: "No contract with a commitment in force.")

        let kpiRows = CabinetKPIRow.rows(m)
        if !kpiRows.isEmpty {
            md += "## Key performance indicators\n\n" + table(
                ["Reference", "KPI", "Target", "Latest assessment", "Period"], numeric: [false, false, false, false, false],
                kpiRows.map { r in
                    [r.contract, "\(r.kpi.id): \(r.kpi.name)", r.kpi.target, r.latest.map { KPIRating(rawValue: $0.rating)?.label ?? $0.rating } ?? "Not yet assessed",
                     r.latest.map { "\($0.periodStart) to \($0.periodEnd)" } ?? "—"]
                }, empty: "")
        }
        md += exceptions(m)

        let c = m.compliance
        md += "## Weighting compliance\n\n\(Text.markdown(Wording.complianceIntro))\n\n"
        md += "**\(c.compliant) of \(c.tenders)** in-scope tenders at or above the policy minimum" + (c.percentage.map { " (\($0))" } ?? "") + ".\n\n"
        md += "### Tenders below the policy minimum\n\n"
        md += table(
            ["Reference", "Title", "Weighting", "Policy minimum", "Basis", "Reason recorded"], numeric: [false, false, true, true, false, false],
            c.below.map { p in
                [p.reference, p.title, p.weighting.map { Text.weighting($0.percent) } ?? "—", p.weighting.map { Text.weighting($0.policyMinimumPercent) } ?? "—",
                 p.weighting.map { Text.basis($0.basis) } ?? "—", p.weighting?.overrideReason ?? "—"]
            }, empty: "None: every in-scope tender met its policy minimum.")
        return md
    }

    static func outcomes(_ m: CabinetReportModel, compact: Bool) -> String {
        let outcomes = compact ? Array(m.figures.outcomes.prefix(Wording.compactOutcomes)) : m.figures.outcomes
        var md = table(
            ["Outcome", "Measures", "This quarter", "To date", "Expected to date", "Committed"], numeric: [false, false, true, true, true, true],
            outcomes.map { o in
                let q = o.quantities
                return [o.label, o.description ?? o.measures.joined(separator: ", ")] + [q.inPeriod, q.delivered, q.expected, q.committed].map { Text.quantity($0, unit: o.unit) }
            }, empty: "No measure with a quantity is committed.")
        if compact, m.figures.outcomes.count > outcomes.count { md += "\(m.figures.outcomes.count - outcomes.count) more under Outcomes by measure. " }
        return md + "\(Text.markdown(compact ? Wording.outcomesShortNote : Wording.outcomesNote))\n\n"
    }

    static func areas(_ m: CabinetReportModel, compact: Bool) -> String {
        let headers = compact
            ? ["Area", "Contracts", "Capped ÷ expected", "Under-delivering"]
            : ["Area", "Contracts", "Committed", "Expected", "Delivered", "Capped ÷ expected", "Under-delivering"]
        var md = table(
            headers, numeric: headers.map { $0 != "Area" },
            (compact ? Wording.compactAreas(m) : m.figures.areas).map { a in
                let share = Text.percent(a.capped.decimal, of: a.amounts.expected.decimal) ?? "—"
                return compact
                    ? [a.name, String(a.contracts.count), share, String(a.underDelivering)]
                    : [a.name, a.contracts.joined(separator: ", "), a.amounts.current.formatted, a.amounts.expected.formatted, a.amounts.delivered.formatted, share, String(a.underDelivering)]
            }, empty: "No contract with a commitment in force.")
        if compact, m.figures.areas.count > Wording.compactAreas(m).count {
            md += "The \(Wording.compactAreas(m).count) areas delivering least of what was expected; \(m.figures.areas.count - Wording.compactAreas(m).count) more under Delivery by area. "
        }
        md += "\(Text.markdown(Wording.areasNote))\n\n"
        return md
    }

    static func exceptions(_ m: CabinetReportModel) -> String {
        let e = m.exceptions
        var md = "## Exceptions\n\n\(Text.markdown(Wording.exceptionsIntro))\n\n"
        md += "### Contracts under-delivering\n\n"
        md += table(
            ["Reference", "Title", "Supplier", "Delivered", "Expected", "Variance", "Rating"], numeric: [false, false, false, true, true, true, false],
            e.underDelivering.map { c in
                [c.reference, c.title, c.supplier ?? "—", c.amounts.delivered.formatted, c.amounts.expected.formatted, c.amounts.variance.formatted, c.amounts.rating.rawValue]
            }, empty: "No contract is rated requires improvement or inadequate.")
        md += "### Late returns\n\n"
        md += table(
            ["Reference", "Title", "Supplier", "Returns not made (a whole quarter, or a pledged measure a return left out)"], numeric: [false, false, false, false],
            e.lateReturns.map { [$0.reference, $0.title, $0.supplier ?? "—", $0.lateReturnLabels.joined(separator: ", ")] },
            empty: "Every quarter that has ended has its return, with a line for every pledged measure.")
        md += "### Delivered against measures not pledged\n\nKept and shown here, never added to the totals.\n\n"
        md += table(
            ["Reference", "Quarter", "Measure", "Quantity", "Evidence"], numeric: [false, false, false, true, false],
            e.unpledged.map { [$0.contract.reference, $0.figure.quarter.description, $0.figure.measure, $0.figure.quantity.description, $0.figure.evidence] },
            empty: "None.")
        md += "### Exemptions granted\n\n"
        md += table(
            ["Reference", "Title", "Business case", "Decided by", "Date", "Reason"], numeric: [false, false, false, false, false, false],
            e.exemptionsGranted.map { c in
                [c.reference, c.title, c.exemption?.businessCase ?? "—", c.exemption?.decidedByRole ?? "—",
                 c.exemption?.decidedOn.map { Text.longDate($0) } ?? "—", c.exemption?.reason ?? "—"]
            }, empty: "No exemption has been granted.")
        md += "### Weightings set by board override\n\n"
        md += table(
            ["Reference", "Title", "Weighting", "Policy minimum", "Reason recorded"], numeric: [false, false, true, true, false],
            e.boardOverrides.map { c in
                [c.reference, c.title, c.weighting.map { Text.weighting($0.percent) } ?? "—", c.weighting.map { Text.weighting($0.policyMinimumPercent) } ?? "—",
                 c.weighting?.overrideReason ?? "—"]
            }, empty: "No weighting was set by board override.")
        md += "### Above threshold, not exempted, no pledge\n\n"
        md += table(
            ["Reference", "Title", "Stage", "Supplier", "Estimated value", "Threshold"], numeric: [false, false, false, false, true, true],
            e.noPledge.map { c in
                [c.reference, c.title, c.stage.rawValue, c.supplier ?? "—", c.estimatedValue.formatted, c.assessment?.threshold.formatted ?? "—"]
            }, empty: "Every contract in scope of the policy has a pledge.")
        md += "### KPI assessments overdue\n\n"
        md += table(
            ["Reference", "Title", "KPI", "Why overdue"], numeric: [false, false, false, false],
            e.kpiAssessmentsOverdue.map { [$0.contract.reference, $0.contract.title, "\($0.kpi.id): \($0.kpi.name)", $0.why] },
            empty: "No KPI assessment is overdue.")
        return md
    }

    /// The author's text as Markdown paragraphs and lists, escaped; "None given." when there is none.
    static func narrative(_ blocks: [CabinetNarrative.Block]?) -> String {
        guard let blocks else { return "\(Wording.noneGiven)\n\n" }
        return blocks.map { block in
            switch block {
            case .paragraph(let text): return Text.markdown(text) + "\n\n"
            case .list(let items): return items.map { "- " + Text.markdown($0) + "\n" }.joined() + "\n"
            }
        }.joined()
    }

    static func amountsTable(_ first: String, _ rows: [(String, Amounts)]) -> String {
        table(
            [first, "Pledged", "Committed", "Delivered", "Expected", "Variance", "Delivered ÷ expected", "Rating"],
            numeric: [false, true, true, true, true, true, true, false],
            rows.map { name, a in
                [name, a.original.formatted, a.current.formatted, a.delivered.formatted, a.expected.formatted, a.variance.formatted,
                 Text.deliveredShare(a), a.rating.rawValue]
            }, empty: "No social value commitment is recorded.")
    }

    /// A pipe table; every cell is escaped, numeric columns are right-aligned.
    static func table(_ headers: [String], numeric: [Bool], _ rows: [[String]], empty: String = "None.") -> String {
        guard !rows.isEmpty else { return "\(Text.markdown(empty))\n\n" }
        var md = "| " + headers.map(Text.markdown).joined(separator: " | ") + " |\n"
        md += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows { md += "| " + row.map(Text.markdown).joined(separator: " | ") + " |\n" }
        return md + "\n"
    }
}
