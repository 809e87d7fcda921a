import LMDB
import LedgerValues
import Ledger
import Projections
import Queries
import SocialValue
import Synchronization

/// Whole-portfolio figure views, each checked against a full replay of the log once and then
/// reused while nothing in the ledger changes.
///
/// A read of figures replays the log and compares it with the stored projections, so that an
/// edited projection is caught, never shown (`projection-differs`). Done for every request,
/// that replay made 64 concurrent readers wait seconds. The check's answer only changes when
/// the environment does, and ``Environment/ChangeStamp`` moves whenever it may have (any
/// writer's commit, in this process or another, or a write to `data.mdb` that bypassed LMDB):
/// so a view is kept under the stamp it was read at, and concurrent requests for the same view
/// wait for the one replay in flight instead of starting their own.
final class FigureViewCache: Sendable {
    struct Key: Hashable, Sendable {
        let stamp: Environment.ChangeStamp
        let asOf: CalendarDate?
        let at: UInt64?
        let on: CalendarDate?
        let period: FinancialQuarter?
        /// A default period and reporting date come from today's date.
        let today: CalendarDate
    }

    /// A handful of read points at once (the head, a report's as-of date…); each view holds the
    /// portfolio's projections, so the bound also bounds the memory held.
    static let limit = 8

    private let views = Mutex(RecentlyUsed<Key, Task<CachedView, any Error>>(limit: FigureViewCache.limit))

    /// The checked view of the whole portfolio at `point` for `period`, with the answers
    /// already rendered from it.
    func view(_ ledger: Ledger, at point: ReadPoint, period: FinancialQuarter?, today: CalendarDate) async throws -> CachedView {
        let key = Key(
            stamp: ledger.store.environment.changeStamp(), asOf: point.asOf, at: point.at, on: point.on, period: period, today: today)
        let task = views.withLock { views in
            if let running = views.value(key) { return running }
            let started = Task { try await offload { CachedView(view: try FigureView(ledger, at: point, period: period)) } }
            views.insert(started, for: key)
            return started
        }
        do {
            return try await task.value
        } catch {
            // A refusal is worked out afresh next time: the cause may be passing (a resize).
            views.withLock { $0.remove(key) }
            throw error
        }
    }
}

/// A checked view and the answers rendered from it: a read asked again while the ledger is
/// unchanged is the same bytes, so they are kept rather than built and encoded again (which,
/// once the check is shared, is most of what a read costs).
final class CachedView: Sendable {
    struct Rendered: Sendable {
        let body: [UInt8]
        /// The contract stream's version, for a read that gives it as its ETag.
        let version: UInt64?
    }

    let view: FigureView
    /// Bounded: a show is some 20 KB, so a thousand answers are some 20 MB per view.
    private let answers = Mutex(RecentlyUsed<String, Rendered>(limit: 1024))

    init(view: FigureView) { self.view = view }

    /// The answer named `key` (the read and its own parameters), rendered by `render` once.
    func rendered(_ key: String, _ render: (FigureView) throws -> Rendered) rethrows -> Rendered {
        if let kept = answers.withLock({ $0.value(key) }) { return kept }
        let made = try render(view)
        answers.withLock { _ = $0.insert(made, for: key) }
        return made
    }
}
