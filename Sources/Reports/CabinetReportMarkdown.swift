import Projections
import SocialValue

/// The Cabinet report as Markdown: the HTML's content and wording, with each chart given as
/// the table of its figures, for papers assembled in a word processor or a repository.
enum CabinetReportMarkdown {
    typealias Text = CabinetReportText
    typealias Wording = CabinetReportWording

    static func render(_ m: CabinetReportModel) -> String {
        var md = "# \(Text.markdown(m.title))\n\n\(Text.markdown(Wording.subtitle(m)))\n\n\(Text.markdown(Wording.audience))\n\n"

        md += "## Summary\n\n"
        md += Wording.summaryPoints(m).map { "- \(Text.markdown($0))\n" }.joined() + "\n"
        md += "\(Text.markdown(Wording.headlineCaption))\n\n"
        md += table(
            ["Figure"] + m.headline.map { Wording.windowTitle($0, m) }, numeric: [false] + m.headline.map { _ in true },
            Wording.headlineRows.map { label, value in [label] + m.headline.map(value) } + [["Rating"] + m.headline.map { $0.rating.rawValue }])

        md += "## How to read this report\n\n\(Text.markdown(Wording.howToReadIntro))\n\n"
        md += table(["Rating", "Delivered ÷ expected"], numeric: [false, false], Text.ratingCutOffs.map { [$0.0.rawValue, $0.1] })
        md += Wording.definitions(m).map { "- **\(Text.markdown($0.term))** \(Text.markdown($0.meaning))\n" }.joined() + "\n"

        md += "## Pledged and delivered by theme\n\n"
        md += amountsTable("Theme", m.reconciliation.byTheme.map { ($0.key, $0.amounts) } + [("All themes", m.reconciliation.portfolio.amounts)])

        md += "### Delivery by quarter, \(m.period.financialYear)\n\n"
        md += table(
            ["Quarter", "Months", "Expected", "Delivered", "Delivered ÷ expected"], numeric: [false, false, true, true, true],
            m.quarters.map { q in
                let months = Text.span(q.quarter.firstDay, q.quarter.lastDay)
                guard q.reached else { return [q.quarter.description, months, "not yet reached", "", ""] }
                return [q.quarter.description, months, q.expected.formatted, q.delivered.formatted,
                        Text.percent(q.delivered.decimal, of: q.expected.decimal) ?? "—"]
            })

        md += "## By council priority\n\n\(Text.markdown(Wording.prioritiesIntro))\n\n"
        if m.priorityGroups.isEmpty { md += "No measure committed is mapped to a council priority.\n\n" }
        for group in m.priorityGroups {
            md += "### \(Text.markdown(group.framework))\n\n" + amountsTable("Priority", group.priorities.map { ($0.name, $0.amounts) })
        }

        md += "## Contracts, worst rated first\n\n"
        md += table(
            ["Reference", "Title", "Supplier", "Current commitment", "Delivered", "Expected", "Variance", "Rating"],
            numeric: [false, false, false, true, true, true, true, false],
            m.reconciliation.contracts.map { c in
                [c.reference, c.title, c.supplier ?? "—", c.amounts.current.formatted, c.amounts.delivered.formatted,
                 c.amounts.expected.formatted, c.amounts.variance.formatted, c.amounts.rating.rawValue]
            }, empty: "No contract has a social value commitment.")

        md += exceptions(m)

        let c = m.compliance
        md += "## Weighting compliance\n\n\(Text.markdown(Wording.complianceIntro))\n\n"
        md += "**\(c.compliant) of \(c.tenders.count)** in-scope tenders at or above the policy minimum" + (c.percentage.map { " (\($0))" } ?? "") + ".\n\n"
        md += "### Tenders below the policy minimum\n\n"
        md += table(
            ["Reference", "Title", "Weighting", "Policy minimum", "Basis", "Reason recorded"], numeric: [false, false, true, true, false, false],
            c.below.map { p in
                [p.reference, p.title, p.weighting.map { Text.weighting($0.percent) } ?? "—", p.weighting.map { Text.weighting($0.policyMinimumPercent) } ?? "—",
                 p.weighting.map { Text.basis($0.basis) } ?? "—", p.weighting?.overrideReason ?? "—"]
            }, empty: "None: every in-scope tender met its policy minimum.")

        md += "## Where these figures come from\n\n\(Text.markdown(Wording.provenance))\n\n```\n\(m.verifyCommand)\n```\n\n"
        md += "\(Text.markdown(Wording.recompute))\n\n```\n\(m.recomputeCommand)\n```\n\n"
        md += "- Ledger position: \(m.position)\n- Head hash: `\(m.hash.hex)`\n- Figures digest: `\(m.figures.digest)`\n"
        md += "- Period: \(m.period) (reporting date \(m.reportingDate))\n- Generated: \(Text.markdown(m.generatedAt))\n"
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
            ["Reference", "Title", "Supplier", "Quarters with no return"], numeric: [false, false, false, false],
            e.lateReturns.map { [$0.reference, $0.title, $0.supplier ?? "—", $0.lateReturns.map(\.description).joined(separator: ", ")] },
            empty: "Every quarter that has ended has its return.")
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
        return md
    }

    static func amountsTable(_ first: String, _ rows: [(String, Amounts)]) -> String {
        table(
            [first, "Pledged", "Current commitment", "Delivered", "Expected", "Variance", "Delivered ÷ expected", "Rating"],
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
