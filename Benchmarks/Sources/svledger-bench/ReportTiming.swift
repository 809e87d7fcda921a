import Ledger
import LedgerValues
import Projections
import Queries
import Reports
import SocialValue

/// The reads a council officer waits for: the portfolio snapshot, its reconciliation, and the
/// Cabinet report rendered as HTML from them.
enum ReportTiming {
    /// The last quarter the synthetic portfolio reports.
    static let period = FinancialQuarter("2026-27-Q2")!

    struct Outcome {
        let snapshotSeconds: Double
        let reconciliationSeconds: Double
        /// Building the report model and rendering HTML, from the snapshot and reconciliation.
        let cabinetRenderSeconds: Double
        let cabinetBytes: Int
        let contracts: Int
        /// What `svledger report cabinet` waits for before it renders: the snapshot folded from
        /// the whole log, the commitments in force at the reporting date, the
        /// reconciliation and the figures digest (``FigureView``).
        let checkedViewSeconds: Double
        /// What a user waits for from `svledger report cabinet`: snapshot + reconciliation + render.
        var cabinetTotalSeconds: Double { snapshotSeconds + reconciliationSeconds + cabinetRenderSeconds }
    }

    static func run(_ ledger: Ledger) throws -> Outcome {
        let (snapshot, snapshotSeconds) = try Stopwatch.time { try ledger.snapshot() }
        let (reconciliation, reconciliationSeconds) = Stopwatch.time { Reconciliation.compute(snapshot, period: period) }
        let (html, renderSeconds) = Stopwatch.time {
            CabinetReport.html(snapshot: snapshot, reconciliation: reconciliation, generatedAt: "2026-11-22T00:00:00Z")
        }
        let (_, checkedSeconds) = try Stopwatch.time { try FigureView(ledger, at: ReadPoint(), period: period, today: Timestamp.now().date) }
        return Outcome(
            snapshotSeconds: snapshotSeconds, reconciliationSeconds: reconciliationSeconds,
            cabinetRenderSeconds: renderSeconds, cabinetBytes: html.utf8.count, contracts: reconciliation.contracts.count,
            checkedViewSeconds: checkedSeconds)
    }
}
