import Projections
import SocialValue

/// What one event changed in a contract, as old → new values: the audit trail's "what
/// changed", worked out by comparing the contract's projection just before and just after
/// the event (so it holds for every kind of event, corrections and refreshes included).
public struct ProjectionChange: Sendable, Equatable {
    /// What changed, e.g. `delivered NT1 in 2025-26-Q1`, `committed NT10`, `stage`.
    public let what: String
    /// `nil` when there was none before (or is none after).
    public let old: String?
    public let new: String?

    public init(what: String, old: String?, new: String?) {
        self.what = what
        self.old = old
        self.new = new
    }

    /// `what: old → new`, with `—` for none.
    public var text: String { "\(what): \(old ?? "—") → \(new ?? "—")" }

    /// The changes from `before` (nil: the contract did not exist) to `after`.
    public static func between(_ before: ContractProjection?, _ after: ContractProjection) -> [ProjectionChange] {
        var changes: [ProjectionChange] = []
        func note(_ what: String, _ old: String?, _ new: String?) {
            if old != new { changes.append(ProjectionChange(what: what, old: old, new: new)) }
        }
        note("stage", before?.stage.rawValue, after.stage.rawValue)
        note("title", before?.title, after.title)
        note("term", before.map { "\($0.startDate) to \($0.endDate)" }, "\(after.startDate) to \(after.endDate)")
        note("threshold", before?.assessment.map(assessment), after.assessment.map(assessment))
        note("exemption", before?.exemption.map { $0.status.rawValue }, after.exemption.map { $0.status.rawValue })
        note("weighting", before?.weighting.map { "\($0.percent)% (\($0.basis.rawValue))" }, after.weighting.map { "\($0.percent)% (\($0.basis.rawValue))" })
        note("supplier", before?.supplier, after.supplier)
        note("award", before?.award.map { "\($0.date), \($0.value.formatted)" }, after.award.map { "\($0.date), \($0.value.formatted)" })
        note("priced with", before?.commitmentCatalog, after.commitmentCatalog)
        // Lines and figures are compared as values, and only those that differ are put in
        // words: an event changes a line or two, and describing every figure of a long-running
        // contract for each of its events made its audit trail quadratic.
        let oldLines = Dictionary((before?.lines ?? []).map { ($0.measure, $0) }, uniquingKeysWith: { first, _ in first })
        for line in after.lines {
            let old = oldLines[line.measure]
            if old?.original != line.original { note("pledged \(line.measure)", old?.original.map(figure), line.original.map(figure)) }
            if old?.current != line.current { note("committed \(line.measure)", old.flatMap { $0.current.map(figure) }, line.current.map(figure)) }
        }
        let oldFigures = Dictionary(
            (before?.deliveries ?? []).map { (FigureKey(measure: $0.measure, quarter: $0.quarter), $0) }, uniquingKeysWith: { _, last in last })
        for figure in after.deliveries {
            let old = oldFigures[FigureKey(measure: figure.measure, quarter: figure.quarter)]
            guard old?.quantity != figure.quantity || old?.evidence != figure.evidence || old?.pledged != figure.pledged else { continue }
            note("delivered \(figure.measure) in \(figure.quarter)", old.map(delivered), delivered(figure))
        }
        note("closed", before?.closedOn?.description, after.closedOn?.description)
        return changes
    }

    private struct FigureKey: Hashable {
        let measure: String
        let quarter: FinancialQuarter
    }

    private static func assessment(_ a: ContractProjection.Assessment) -> String { "\(a.outcome.rawValue) \(a.threshold.formatted)" }

    private static func figure(_ f: ContractProjection.Figure) -> String {
        f.value.map { "\(f.quantity) (\($0.formatted))" } ?? "\(f.quantity) (record-only)"
    }

    private static func delivered(_ d: ContractProjection.DeliveredFigure) -> String {
        "\(d.quantity)\(d.evidence.isEmpty ? "" : ", evidence \(d.evidence)")\(d.pledged ? "" : ", not pledged")"
    }
}
