import Projections

/// The Cabinet report (docs/domain.md, "The council and its Cabinet report"): one council's
/// report to its Cabinet, in the shape of a Cabinet paper (front sheet, summary, recommendation,
/// detail, implications, background papers), with a one-page summary of the figures up front,
/// the figures by theme, area, council priority and contract, the exceptions governance must
/// see, weighting compliance, and the ledger head it was made from.
///
/// Pure functions from data to text: the caller reads the ledger, reconciles it, reads the
/// author's narrative and says when the report is generated, so that the same inputs always give
/// the same bytes and the tests can check every figure against `Reconciliation.compute` without
/// a clock or a file.
public enum CabinetReport {
    public enum Format: String, Sendable, CaseIterable {
        /// One self-contained HTML file with inline SVG charts, for screen and print.
        case html
        /// The same content as Markdown tables (charts become tables).
        case md
        /// Every figure and every text as `section,key,metric,value` rows.
        case csv
    }

    /// The report in `format` on the only council of `snapshot` (every contract when it has
    /// several), with no narrative. The CLI builds a ``CabinetReportModel`` with a request instead.
    /// - Parameter figures: the figures file of `reconciliation`, when the caller has made it already.
    /// - Parameter comparisons: the trend's reconciliations, each of the commitments in force at
    ///   its quarter's end (``CabinetReportModel/comparedQuarters(_:)``); `nil` reconciles `snapshot`.
    /// - Parameter tree: the Merkle root and last checkpoint at the report's position, when read.
    public static func render(
        _ format: Format, snapshot: Snapshot, reconciliation: Reconciliation, figures: FiguresFile? = nil, comparisons: [Reconciliation]? = nil,
        generatedAt: String, tree: TreeStatement? = nil
    ) -> String {
        var model = CabinetReportModel(
            snapshot: snapshot, reconciliation: reconciliation, figuresFile: figures, comparisons: comparisons, generatedAt: generatedAt)
        model.tree = tree
        return render(format, model)
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
