import Projections
import SocialValue

/// The Cabinet report as one long CSV of `section,key,metric,value` rows: every figure the
/// report shows, in a shape a spreadsheet can pivot and a test can compare with the
/// reconciliation. Money is plain pounds with two decimals ("1108152.00"), percentages are
/// plain numbers rounded down ("95.0"), and every cell goes through ``CSVWriter`` (RFC 4180
/// quoting and the spreadsheet formula guard).
enum CabinetReportCSV {
    static let header = "section,key,metric,value"

    static func render(_ m: CabinetReportModel) -> String {
        var rows = Rows()
        rows.add("report", "report", "title", m.title)
        rows.add("report", "report", "period", m.period.description)
        rows.add("report", "report", "financial_year", m.period.financialYear)
        rows.add("report", "report", "reporting_date", m.reportingDate.description)
        rows.add("report", "report", "generated_at", m.generatedAt)

        for h in m.headline {
            let key = h.window.rawValue
            if let first = h.firstDay { rows.add("headline", key, "first_day", first.description) }
            rows.add("headline", key, "last_day", h.lastDay.description)
            rows.add("headline", key, "contracts_in_scope", String(h.contractsInScope))
            rows.add("headline", key, "pledged_gbp", h.pledged.plain)
            rows.add("headline", key, "delivered_gbp", h.delivered.plain)
            rows.add("headline", key, "expected_gbp", h.expected.plain)
            rows.add("headline", key, "variance_gbp", h.variance.plain)
            rows.add("headline", key, "delivered_vs_expected_percent", percent(h.delivered, h.expected))
            rows.add("headline", key, "rating", h.rating.rawValue)
        }
        rows.amounts("portfolio", "portfolio", m.reconciliation.portfolio.amounts)

        for q in m.quarters {
            let key = q.quarter.description
            rows.add("quarter", key, "reached", q.reached ? "yes" : "no")
            guard q.reached else { continue }
            rows.add("quarter", key, "expected_gbp", q.expected.plain)
            rows.add("quarter", key, "delivered_gbp", q.delivered.plain)
            rows.add("quarter", key, "delivered_vs_expected_percent", percent(q.delivered, q.expected))
        }
        for theme in m.reconciliation.byTheme { rows.amounts("theme", theme.key, theme.amounts) }
        for priority in m.reconciliation.byPriority { rows.amounts("priority", priority.key, priority.amounts) }

        for c in m.reconciliation.contracts {
            rows.add("contract", c.reference, "title", c.title)
            rows.add("contract", c.reference, "supplier", c.supplier ?? "")
            rows.add("contract", c.reference, "stage", c.stage.rawValue)
            rows.amounts("contract", c.reference, c.amounts)
            rows.add("contract", c.reference, "late_returns", c.lateReturns.map(\.description).joined(separator: " "))
            rows.add("contract", c.reference, "unpledged_deliveries", String(c.unpledged.count))
        }

        exceptions(m.exceptions, into: &rows)
        compliance(m.compliance, into: &rows)

        rows.add("head", "ledger", "position", String(m.position))
        rows.add("head", "ledger", "hash", m.hash.hex)
        rows.add("head", "ledger", "verify_command", m.verifyCommand)
        rows.add("head", "ledger", "figures_digest", m.figures.digest)
        return rows.text
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
            rows.add("late_return", c.reference, "count", String(c.lateReturns.count))
            rows.add("late_return", c.reference, "quarters", c.lateReturns.map(\.description).joined(separator: " "))
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
        for c in e.noPledge {
            rows.add("above_threshold_no_pledge", c.reference, "title", c.title)
            rows.add("above_threshold_no_pledge", c.reference, "stage", c.stage.rawValue)
            rows.add("above_threshold_no_pledge", c.reference, "estimated_value_gbp", c.estimatedValue.plain)
            rows.add("above_threshold_no_pledge", c.reference, "threshold_gbp", c.assessment?.threshold.plain ?? "")
        }
    }

    static func compliance(_ c: CabinetWeightingCompliance, into rows: inout Rows) {
        rows.add("weighting_compliance", "in_scope_tenders", "count", String(c.tenders.count))
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
            add(section, key, "expected_gbp", a.expected.plain)
            add(section, key, "variance_gbp", a.variance.plain)
            add(section, key, "delivered_vs_expected_percent", percent(a.delivered, a.expected))
            add(section, key, "rating", a.rating.rawValue)
        }
    }
}
