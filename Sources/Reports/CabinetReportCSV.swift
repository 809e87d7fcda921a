import Projections
import SocialValue

/// The Cabinet report as one long CSV of `section,key,metric,value` rows: every figure and every
/// text the report shows, in a shape a spreadsheet can pivot and a test can compare with the
/// reconciliation. Money is plain pounds with two decimals ("1108152.00"), quantities plain
/// decimals, percentages plain numbers rounded down ("95.0"), and every cell goes through
/// ``CSVWriter`` (RFC 4180 quoting and the spreadsheet formula guard).
enum CabinetReportCSV {
    typealias Wording = CabinetReportWording
    static let header = "section,key,metric,value"

    static func render(_ m: CabinetReportModel) -> String {
        var rows = Rows()
        front(m, into: &rows)
        narrative(m, into: &rows)

        for (rating, count) in m.figures.ratingCounts { rows.add("rating_count", rating.rawValue, "contracts", String(count)) }
        rows.add("summary", "aggregate_rule", "text", Wording.aggregateRule)
        for w in m.figures.windows {
            let key = w.kind.rawValue
            if let first = w.firstDay { rows.add("headline", key, "first_day", first.description) }
            rows.add("headline", key, "last_day", w.lastDay.description)
            rows.add("headline", key, "contracts_in_scope", String(w.contractsInScope))
            rows.add("headline", key, "pledged_gbp", w.pledged.plain)
            rows.add("headline", key, "delivered_gbp", w.delivered.plain)
            rows.add("headline", key, "expected_gbp", w.expected.plain)
            rows.add("headline", key, "variance_gbp", w.variance.plain)
            rows.add("headline", key, "delivered_vs_expected_percent", percent(w.delivered, w.expected))
            rows.add("headline", key, "rating", w.rating.rawValue)
            rows.add("headline", key, "capped_delivered_gbp", w.capped.plain)
            rows.add("headline", key, "capped_vs_expected_percent", percent(w.capped, w.expected))
            rows.add("headline", key, "capped_rating", w.rating.rawValue)
        }
        rows.add("headline", "to_date", "shown_as_year_to_date", m.toDateIsYearToDate ? "yes" : "no")
        rows.amounts("portfolio", "portfolio", m.figures.portfolio)
        rows.add("portfolio", "portfolio", "capped_delivered_gbp", m.figures.capped.plain)

        for outcome in m.figures.outcomes { rows.outcome("outcome", outcome.key, outcome.label, outcome.measures, outcome.quantities) }
        trend(m, into: &rows)
        for area in m.figures.areas {
            rows.add("area", area.name, "contracts", String(area.contracts.count))
            rows.add("area", area.name, "contract_references", area.contracts.joined(separator: " "))
            rows.amounts("area", area.name, area.amounts)
            rows.add("area", area.name, "capped_delivered_gbp", area.capped.plain)
            rows.add("area", area.name, "capped_vs_expected_percent", percent(area.capped, area.amounts.expected))
            rows.add("area", area.name, "under_delivering", String(area.underDelivering))
        }
        evidence(m.figures.evidence, into: &rows)
        for c in Wording.remedial(m) {
            rows.add("remedial", c.reference, "rating", c.amounts.rating.rawValue)
            rows.add("remedial", c.reference, "commentary", m.commentary(on: c.reference).map(text) ?? Wording.noneGiven)
        }

        for q in m.figures.quarters {
            let key = q.quarter.description
            rows.add("quarter", key, "reached", q.reached ? "yes" : "no")
            guard q.reached else { continue }
            rows.add("quarter", key, "expected_gbp", q.expected.plain)
            rows.add("quarter", key, "delivered_gbp", q.delivered.plain)
            rows.add("quarter", key, "delivered_vs_expected_percent", percent(q.delivered, q.expected))
            rows.add("quarter", key, "capped_delivered_gbp", q.capped.plain)
        }
        for theme in m.figures.themes {
            rows.amounts("theme", theme.name, theme.amounts)
            rows.add("theme", theme.name, "capped_delivered_gbp", theme.capped.plain)
            rows.add("theme", theme.name, "capped_vs_expected_percent", percent(theme.capped, theme.amounts.expected))
            rows.add("theme", theme.name, "catalog_themes", theme.catalogThemes.joined(separator: "; "))
            rows.add("theme", theme.name, "council_theme", theme.mapped ? "yes" : "no")
        }
        for priority in m.figures.priorities { rows.amounts("priority", priority.key, priority.amounts) }
        for measure in m.figures.measures {
            rows.outcome("measure", "\(measure.measure) \(measure.unit)", measure.description, [measure.measure], measure.quantities)
            rows.add("measure", "\(measure.measure) \(measure.unit)", "theme", measure.theme)
            rows.add("measure", "\(measure.measure) \(measure.unit)", "contracts", measure.contracts.joined(separator: " "))
        }

        let projections = Dictionary(m.scope.contracts.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
        for c in m.figures.contracts {
            rows.add("contract", c.reference, "title", c.title)
            rows.add("contract", c.reference, "supplier", c.supplier ?? "")
            rows.add("contract", c.reference, "stage", c.stage.rawValue)
            rows.add("contract", c.reference, "directorate", projections[c.reference]?.buyerDepartment ?? "")
            rows.add("contract", c.reference, "areas", projections[c.reference]?.areasServed.joined(separator: "; ") ?? "")
            rows.amounts("contract", c.reference, c.amounts)
            let capped = c.amounts.capped
            rows.add("contract", c.reference, "capped_delivered_gbp", capped.plain)
            rows.add("contract", c.reference, "rated_delivery", c.ratedDelivery.rawValue)
            rows.add("contract", c.reference, "late_returns", c.lateReturnLabels.joined(separator: "; "))
            rows.add("contract", c.reference, "unpledged_deliveries", String(c.unpledged.count))
        }

        exceptions(m.exceptions, into: &rows)
        compliance(m.compliance, into: &rows)

        rows.add("head", "ledger", "position", String(m.position))
        rows.add("head", "ledger", "hash", m.hash.hex)
        rows.add("head", "ledger", "expect_head", m.headText)
        rows.add("head", "ledger", "verify_command", m.verifyCommand)
        rows.add("head", "ledger", "figures_digest", m.figuresFile.digest)
        rows.add("head", "ledger", "recompute_command", m.recomputeCommand)
        if let tree = m.tree {
            rows.add("head", "ledger", "tree_root", tree.root)
            if let checkpoint = tree.checkpoint {
                rows.add("checkpoint", "ledger", "origin", checkpoint.origin)
                rows.add("checkpoint", "ledger", "tree_size", String(checkpoint.size))
                rows.add("checkpoint", "ledger", "root", checkpoint.root)
                rows.add("checkpoint", "ledger", "cosignatures", String(checkpoint.cosignatures))
            }
        }
        return rows.text
    }

    static func front(_ m: CabinetReportModel, into rows: inout Rows) {
        rows.add("report", "report", "title", m.title)
        rows.add("report", "report", "heading", Wording.heading(m))
        rows.add("report", "report", "period", m.period.description)
        rows.add("report", "report", "financial_year", m.period.financialYear)
        rows.add("report", "report", "reporting_date", m.reportingDate.description)
        rows.add("report", "report", "generated_at", m.generatedAt)
        rows.add("report", "council", "id", m.scope.council?.id ?? "")
        rows.add("report", "council", "name", m.scope.councilName)
        rows.add("report", "council", "described", m.council == nil ? "no" : "yes")
        rows.add("report", "council", "directorate", m.scope.directorate ?? "")
        rows.add("report", "front", "meeting_date", m.meeting?.description ?? "")
        rows.add("report", "front", "meeting", Wording.meeting(m))
        rows.add("report", "front", "report_of", m.council?.author ?? "")
        rows.add("report", "front", "contact", Wording.contact(m))
        if let contact = m.council?.contact {
            rows.add("report", "contact", "name", contact.name)
            rows.add("report", "contact", "role", contact.role ?? "")
            rows.add("report", "contact", "phone", contact.phone ?? "")
            rows.add("report", "contact", "email", contact.email)
        }
        for division in m.divisions { rows.add("division", division, "affected", "yes") }
        for (framework, priorities) in m.corporatePriorities {
            for priority in priorities { rows.add("corporate_priority", "\(framework): \(priority)", "listed", "yes") }
        }
        for (index, paragraph) in Wording.briefSummary(m).enumerated() { rows.add("summary", "brief_\(index + 1)", "text", paragraph) }
    }

    static func narrative(_ m: CabinetReportModel, into rows: inout Rows) {
        rows.add("narrative", "file", "name", m.narrative?.fileName ?? "")
        rows.add("narrative", "file", "sha256", m.narrative?.digest ?? "")
        rows.add("narrative", "file", "bytes", m.narrative.map { String($0.byteCount) } ?? "")
        rows.add("narrative", "file", "warnings", m.narrativeWarnings.joined(separator: " "))
        for part in CabinetNarrative.Part.allCases {
            rows.add("narrative", part.key, "text", m.narrative?.blocks(part).map(text) ?? Wording.noneGiven)
        }
        for reference in m.narrative?.contractOrder ?? [] {
            rows.add("narrative", "contract \(reference)", "text", m.commentary(on: reference).map(text) ?? "")
        }
    }

    static func trend(_ m: CabinetReportModel, into rows: inout Rows) {
        for (label, figures) in m.comparisons.map({ ($0.label, $0.figures) }) + [("This quarter", m.figures)] {
            guard let f = figures else { continue }
            let key = f.period.description, w = f.window(.period)
            rows.add("trend", key, "label", label)
            rows.add("trend", key, "contracts", String(f.contracts.count))
            rows.add("trend", key, "delivered_in_quarter_gbp", w.delivered.plain)
            rows.add("trend", key, "expected_in_quarter_gbp", w.expected.plain)
            rows.add("trend", key, "capped_in_quarter_gbp", w.capped.plain)
            rows.add("trend", key, "delivered_to_date_gbp", f.portfolio.delivered.plain)
            rows.add("trend", key, "capped_to_date_gbp", f.capped.plain)
            rows.add("trend", key, "expected_to_date_gbp", f.portfolio.expected.plain)
            rows.add("trend", key, "capped_vs_expected_percent", percent(f.capped, f.portfolio.expected))
            rows.add("trend", key, "delivered_vs_expected_percent", percent(f.portfolio.delivered, f.portfolio.expected))
            for (rating, count) in f.ratingCounts { rows.add("trend", key, "contracts_\(rating.rawValue.replacingOccurrences(of: " ", with: "_"))", String(count)) }
            for outcome in f.outcomes { rows.add("trend_outcome", "\(key) \(outcome.key)", "delivered_in_quarter", outcome.quantities.inPeriod.normalized.description) }
        }
    }

    static func evidence(_ e: CabinetEvidence, into rows: inout Rows) {
        func counts(_ key: String, _ c: CabinetEvidence.Counts) {
            rows.add("evidence", key, "returns", String(c.returns))
            rows.add("evidence", key, "late_returns", String(c.lateReturns))
            rows.add("evidence", key, "figures", String(c.figures))
            rows.add("evidence", key, "with_evidence", String(c.withEvidence))
            rows.add("evidence", key, "without_evidence", String(c.withoutEvidence))
            rows.add("evidence", key, "corrected", String(c.corrected))
            rows.add("evidence", key, "unpledged", String(c.unpledged))
            rows.add("evidence", key, "over_delivered_lines", String(c.overDelivered))
        }
        counts("total", e.total)
        for (reference, c) in e.contracts { counts(reference, c) }
    }

    static func exceptions(_ e: CabinetExceptions, into rows: inout Rows) {
        rows.add("exceptions", "summary", "under_delivering", String(e.underDelivering.count))
        rows.add("exceptions", "summary", "contracts_with_late_returns", String(e.lateReturns.count))
        rows.add("exceptions", "summary", "unpledged_deliveries", String(e.unpledged.count))
        rows.add("exceptions", "summary", "exemptions_granted", String(e.exemptionsGranted.count))
        rows.add("exceptions", "summary", "board_overrides", String(e.boardOverrides.count))
        rows.add("exceptions", "summary", "above_threshold_no_pledge", String(e.noPledge.count))
        for c in e.underDelivering {
            rows.add("under_delivering", c.reference, "rating", c.amounts.rating.rawValue)
            rows.add("under_delivering", c.reference, "delivered_gbp", c.amounts.delivered.plain)
            rows.add("under_delivering", c.reference, "expected_gbp", c.amounts.expected.plain)
            rows.add("under_delivering", c.reference, "variance_gbp", c.amounts.variance.plain)
        }
        for c in e.lateReturns {
            rows.add("late_return", c.reference, "count", String(c.lateReturnCount))
            rows.add("late_return", c.reference, "quarters", c.lateReturnLabels.joined(separator: "; "))
        }
        for u in e.unpledged {
            let key = "\(u.contract.reference) \(u.figure.quarter) \(u.figure.measure)"
            rows.add("unpledged_delivery", key, "quantity", u.figure.quantity.description)
            rows.add("unpledged_delivery", key, "evidence", u.figure.evidence)
        }
        for c in e.exemptionsGranted {
            rows.add("exemption_granted", c.reference, "title", c.title)
            rows.add("exemption_granted", c.reference, "business_case", c.exemption?.businessCase ?? "")
            rows.add("exemption_granted", c.reference, "decided_by_role", c.exemption?.decidedByRole ?? "")
            rows.add("exemption_granted", c.reference, "decided_on", c.exemption?.decidedOn?.description ?? "")
            rows.add("exemption_granted", c.reference, "reason", c.exemption?.reason ?? "")
        }
        for c in e.boardOverrides {
            rows.add("board_override", c.reference, "title", c.title)
            rows.add("board_override", c.reference, "weighting_percent", c.weighting?.percent.normalized.description ?? "")
            rows.add("board_override", c.reference, "policy_minimum_percent", c.weighting?.policyMinimumPercent.normalized.description ?? "")
            rows.add("board_override", c.reference, "override_reason", c.weighting?.overrideReason ?? "")
        }
        for o in e.kpiAssessmentsOverdue {
            rows.add("kpi_assessment_overdue", o.contract.reference, o.kpi.id, o.why)
        }
        for c in e.noPledge {
            rows.add("above_threshold_no_pledge", c.reference, "title", c.title)
            rows.add("above_threshold_no_pledge", c.reference, "stage", c.stage.rawValue)
            rows.add("above_threshold_no_pledge", c.reference, "estimated_value_gbp", c.estimatedValue.plain)
            rows.add("above_threshold_no_pledge", c.reference, "threshold_gbp", c.assessment?.threshold.plain ?? "")
        }
    }

    static func compliance(_ c: CabinetWeightingCompliance, into rows: inout Rows) {
        rows.add("weighting_compliance", "in_scope_tenders", "count", String(c.tenders))
        rows.add("weighting_compliance", "at_or_above_minimum", "count", String(c.compliant))
        rows.add("weighting_compliance", "below_minimum", "count", String(c.below.count))
        rows.add("weighting_compliance", "at_or_above_minimum", "percent", c.percentage.map { String($0.dropLast()) } ?? "")
        for p in c.below {
            rows.add("weighting_below_minimum", p.reference, "weighting_percent", p.weighting?.percent.normalized.description ?? "")
            rows.add("weighting_below_minimum", p.reference, "policy_minimum_percent", p.weighting?.policyMinimumPercent.normalized.description ?? "")
            rows.add("weighting_below_minimum", p.reference, "basis", p.weighting?.basis.rawValue ?? "")
            rows.add("weighting_below_minimum", p.reference, "override_reason", p.weighting?.overrideReason ?? "")
        }
    }

    /// A narrative part as plain text: paragraphs and lists separated by blank lines.
    static func text(_ blocks: [CabinetNarrative.Block]) -> String { blocks.map(\.plainText).joined(separator: "\n\n") }

    /// "95.0", or empty when nothing is expected.
    static func percent(_ delivered: Money, _ expected: Money) -> String {
        CabinetReportText.percent(delivered.decimal, of: expected.decimal).map { String($0.dropLast()) } ?? ""
    }

    struct Rows {
        private(set) var text = CabinetReportCSV.header + "\n"

        mutating func add(_ section: String, _ key: String, _ metric: String, _ value: String) {
            text += CSVWriter.field(section)
            text += ","
            text += CSVWriter.field(key)
            text += ","
            text += CSVWriter.field(metric)
            text += ","
            text += CSVWriter.field(value)
            text += "\n"
        }

        mutating func amounts(_ section: String, _ key: String, _ a: Amounts) {
            add(section, key, "pledged_gbp", a.original.plain)
            add(section, key, "current_gbp", a.current.plain)
            add(section, key, "delivered_gbp", a.delivered.plain)
            add(section, key, "validated_gbp", a.validated.plain)
            add(section, key, "expected_gbp", a.expected.plain)
            add(section, key, "variance_gbp", a.variance.plain)
            add(section, key, "delivered_vs_expected_percent", percent(a.delivered, a.expected))
            add(section, key, "rating", a.rating.rawValue)
        }

        mutating func outcome(_ section: String, _ key: String, _ label: String, _ measures: [String], _ q: CabinetQuantities) {
            add(section, key, "label", label)
            add(section, key, "measures", measures.joined(separator: " "))
            add(section, key, "committed_quantity", q.committed.normalized.description)
            add(section, key, "expected_quantity", q.expected.normalized.description)
            add(section, key, "delivered_quantity", q.delivered.normalized.description)
            add(section, key, "delivered_in_period_quantity", q.inPeriod.normalized.description)
            add(section, key, "delivered_in_year_quantity", q.inYear.normalized.description)
        }
    }
}
