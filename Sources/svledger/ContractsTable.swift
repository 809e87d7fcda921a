import Reports
import SocialValue

/// `svledger contracts` as text (for people: £ amounts, the rated quarter in the heading) and
/// as CSV (for spreadsheets: plain figures, the period a column like in `reconcile`), from the
/// same rows as the JSON document.
enum ContractsTable {
    static func text(_ d: ContractsDocument) {
        let rows = d.rows.map { row in
            cells(row, money: \.formatted)
        }
        TableOutput.text(
            ["CONTRACT", "TITLE", "STAGE", "SUPPLIER", "POLICY", "THRESHOLD", "WEIGHTING", "COMMITTED", "DELIVERED", "RATING \(d.period)"],
            rows, maxWidth: 36)
    }

    static func csv(_ d: ContractsDocument) {
        let rows = d.rows.map { row in
            cells(row, money: \.plain).dropLast() + [d.period.description, row.amounts?.rating.rawValue ?? ""]
        }
        TableOutput.csv(
            ["contract", "title", "stage", "supplier", "policy", "threshold", "weighting", "committed_gbp", "delivered_gbp", "period", "rating"],
            rows.map(Array.init))
    }

    /// A weighting as a reader takes it: "10% (the policy minimum)", "15% (policy minimum 10%)",
    /// "12% matrix"; never "15% policy-minimum", which reads as if 15% were the minimum.
    private static func weighting(_ percent: ExactDecimal, _ row: ContractsDocument.Row) -> String {
        guard row.weightingBasis == .policyMinimum, let minimum = row.weightingMinimumPercent else {
            return "\(percent)% \(row.weightingBasis?.rawValue ?? "")"
        }
        return percent == minimum ? "\(percent)% (the policy minimum)" : "\(percent)% (policy minimum \(minimum)%)"
    }

    private static func cells(_ row: ContractsDocument.Row, money: KeyPath<Money, String>) -> [String] {
        let weighting = row.weightingPercent.map { Self.weighting($0, row) } ?? (row.exempt ? "exempt" : "")
        return [
            row.reference, row.title, row.stage.rawValue, row.supplier ?? "", row.policyId, row.threshold?.rawValue ?? "", weighting,
            row.amounts.map { $0.current[keyPath: money] } ?? "", row.amounts.map { $0.delivered[keyPath: money] } ?? "",
            row.amounts?.rating.rawValue ?? "",
        ]
    }
}
