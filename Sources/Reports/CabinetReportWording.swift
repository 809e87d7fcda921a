import Projections
import SocialValue

/// The sentences the HTML and Markdown renderings share, in plain text (each rendering escapes
/// them its own way), so that the two say the same thing in the same words.
enum CabinetReportWording {
    typealias Text = CabinetReportText

    static func subtitle(_ m: CabinetReportModel) -> String {
        "Quarter \(m.period.number) of the financial year \(m.period.financialYear): \(Text.span(m.period.firstDay, m.period.lastDay)). "
            + "Figures to the reporting date, \(Text.longDate(m.reportingDate))."
    }

    static let audience = "For the Cabinet Member for Resources, the Director of Finance and the Head of Procurement."

    /// The key messages under the summary figures.
    static func summaryPoints(_ m: CabinetReportModel) -> [String] {
        let portfolio = m.reconciliation.portfolio.amounts, e = m.exceptions
        let late = e.lateReturns.reduce(0) { $0 + $1.lateReturns.count }
        return [
            "\(count(m.reconciliation.contracts.count, "contract")) with a social value commitment: \(portfolio.original.formatted) pledged, "
                + "\(portfolio.current.formatted) committed after reviews.",
            "Delivered to date \(portfolio.delivered.formatted) against \(portfolio.expected.formatted) expected by "
                + "\(Text.longDate(m.reportingDate)) (variance \(portfolio.variance.formatted)); overall rating: \(portfolio.rating.rawValue).",
            "\(count(e.underDelivering.count, "contract")) under-delivering; \(count(late, "quarterly return")) late "
                + "across \(count(e.lateReturns.count, "contract")).",
            "\(count(e.exemptionsGranted.count, "exemption")) granted; \(count(e.boardOverrides.count, "weighting")) set by board override; "
                + "\(count(e.noPledge.count, "contract")) in scope of the policy with no pledge recorded.",
            compliance(m.compliance),
        ]
    }

    static func compliance(_ c: CabinetWeightingCompliance) -> String {
        guard let percentage = c.percentage else { return "Weighting compliance: no tender in scope has a weighting decided." }
        return "Weighting compliance: \(c.compliant) of \(c.tenders.count) in-scope tenders (\(percentage)) at or above the policy minimum."
    }

    static func windowTitle(_ h: CabinetHeadline, _ m: CabinetReportModel) -> String {
        switch h.window {
        case .period: return "This quarter (\(m.period))"
        case .yearToDate: return "Year to date (\(m.period.financialYear))"
        case .toDate: return "To date, all years"
        }
    }

    static let headlineCaption = "Headline figures. Pledged: original pledges dated in the window (every pledge, in the last column)."

    /// The headline table's rows, label and value per column (the rating is added by each rendering).
    static var headlineRows: [(String, (CabinetHeadline) -> String)] {
        [
            ("Contracts in scope", { String($0.contractsInScope) }),
            ("Social value pledged", { $0.pledged.formatted }),
            ("Delivered", { $0.delivered.formatted }),
            ("Expected", { $0.expected.formatted }),
            ("Variance (delivered − expected)", { $0.variance.formatted }),
            ("Delivered against expected", { Text.percent($0.delivered.decimal, of: $0.expected.decimal) ?? "—" }),
        ]
    }

    static let howToReadIntro =
        "Suppliers pledge social value when they win a contract, measured in TOMs (Themes, Outcomes and Measures) and valued in pounds "
        + "with each measure's published proxy value, and report what they delivered every quarter. Expected is the current commitment "
        + "spread evenly over the days of the commitment, counted up to the reporting date. Each contract is rated on the "
        + "Procurement Act 2023 scale from delivered ÷ expected:"

    /// Terms and what they mean, for the note under the rating scale.
    static func definitions(_ m: CabinetReportModel) -> [(term: String, meaning: String)] {
        [
            ("This quarter", "counts what was delivered in \(m.period)."),
            ("Year to date", "counts the quarters of \(m.period.financialYear) up to and including \(m.period)."),
            ("To date", "counts every quarter since each commitment began, and equals the reconciliation (svledger reconcile --period \(m.period))."),
            ("Contracts in scope", "have a commitment running in the window: from the later of the contract start and the pledge, to the end of the term or closure."),
            ("Pledged", "is the value of the original pledges dated in the window; in the to-date column, every pledge."),
            ("Quarterly £ figures", "are rounded to the penny per measure per quarter, so they may differ from the to-date total by a few pence."),
            ("Percentages", "are rounded down, so a figure shown never passes a rating cut-off it has not reached."),
            ("Measures recorded without a £ value", "(record only) count in a contract's record but not in its £ totals; deliveries against "
                + "measures that were never pledged are listed apart and never added to the totals."),
        ]
    }

    static let provenance =
        "Every figure is read from the social value ledger, a tamper-evident record in which each event is chained to the one before it "
        + "by a SHA-256 hash. The report was made from the ledger head below; anyone holding the ledger can prove that it still holds "
        + "exactly what this report was made from by running:"

    static let recompute =
        "The figures themselves can be recomputed from the ledger's log alone, by a second program written from the published "
        + "definitions, which prints the same figures digest when every figure agrees to the penny:"

    static let exceptionsIntro = "Delivery exceptions are at the reporting date; decisions are every one the ledger holds, with their dates."

    static let complianceIntro =
        "Tenders in scope are contracts assessed above their policy's threshold, not exempted, with a social value weighting decided. "
        + "Compliant means a weighting at or above the minimum the policy set when it was decided."

    static let prioritiesIntro =
        "Each measure serves one or more council priorities, as its catalog maps it; a measure mapped to two priorities counts towards "
        + "both, so the rows of a framework need not add up to the portfolio."

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
