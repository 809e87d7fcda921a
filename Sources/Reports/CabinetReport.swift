import Projections

/// The Cabinet Member report (docs/domain.md, "Who uses it"): social value pledged and delivered for a
/// period and the year to date, by theme, council priority and contract; the exceptions
/// governance must see; weighting compliance; and the ledger head it was made from.
///
/// Pure functions from data to text: the caller reads the ledger, reconciles it and says when
/// the report is generated, so that the same inputs always give the same bytes and the tests
/// can check every figure against `Reconciliation.compute` without a clock or a file.
public enum CabinetReport {
    public enum Format: String, Sendable, CaseIterable {
        /// One self-contained HTML file with inline SVG charts, for screen and print.
        case html
        /// The same content as Markdown tables (charts become tables).
        case md
        /// Every figure as `section,key,metric,value` rows.
        case csv
    }

    /// The report in `format`, made from `snapshot` and its portfolio `reconciliation` at the period.
    public static func render(_ format: Format, snapshot: Snapshot, reconciliation: Reconciliation, generatedAt: String) -> String {
        render(format, CabinetReportModel(snapshot: snapshot, reconciliation: reconciliation, generatedAt: generatedAt))
    }

    public static func render(_ format: Format, _ model: CabinetReportModel) -> String {
        switch format {
        case .html: return CabinetReportHTML.render(model)
        case .md: return CabinetReportMarkdown.render(model)
        case .csv: return CabinetReportCSV.render(model)
        }
    }

    public static func html(snapshot: Snapshot, reconciliation: Reconciliation, generatedAt: String) -> String {
        render(.html, snapshot: snapshot, reconciliation: reconciliation, generatedAt: generatedAt)
    }

    public static func markdown(snapshot: Snapshot, reconciliation: Reconciliation, generatedAt: String) -> String {
        render(.md, snapshot: snapshot, reconciliation: reconciliation, generatedAt: generatedAt)
    }

    public static func csv(snapshot: Snapshot, reconciliation: Reconciliation, generatedAt: String) -> String {
        render(.csv, snapshot: snapshot, reconciliation: reconciliation, generatedAt: generatedAt)
    }
}
