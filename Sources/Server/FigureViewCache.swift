import Foundation
import LMDB
import LedgerValues
import Ledger
import Projections
import Queries
import SocialValue
import Synchronization

/// Whole-portfolio figure views (the contracts list, the portfolio's reconciliation and
/// figures, the Cabinet report), each worked out once and then reused while nothing in the
/// ledger changes. At the head a view starts from the server's ``LiveFold``; at an earlier
/// point (`as-of`, `at`) it folds the log up to there.
///
/// A view only changes when the environment does, and ``Environment/ChangeStamp`` moves
/// whenever it may have (any writer's commit, in this process or another, or a write to
/// `data.mdb` that bypassed LMDB): so a view is kept with the stamp it was read at.
///
/// Under writes the stamp moves all the time, and working a view out per read would pile up:
/// one read point (a "slot": the head, or an as-of date…) has at most one view being worked out
/// (a "replay"). A read that finds its slot's view current takes it; one that finds a replay
/// under way takes the last view completed (which states its own head), or waits for that
/// replay when there is none yet; one that finds the view out of date and nothing under way
/// starts the replay and waits for it, so that a change is seen by the next read.
final class FigureViewCache: Sendable {
    /// A read point: what the view is of, apart from the ledger's state.
    struct Slot: Hashable, Sendable {
        let asOf: CalendarDate?
        let at: UInt64?
        let on: CalendarDate?
        let period: FinancialQuarter?
        /// A default period and reporting date come from today's date.
        let today: CalendarDate
        /// With the Cabinet report's trend (``FigureView/comparisons``).
        let trend: Bool
        /// The answer rendered as part of working each view out (``Prepared``), if any.
        let prepared: String?
    }

    /// An answer rendered from each view of a slot as part of working the view out, so that a
    /// read which takes the last view completed finds its answer ready: the Cabinet report of a
    /// large portfolio takes seconds to render, and under writes every view is soon replaced.
    struct Prepared: Sendable {
        let key: String
        let render: @Sendable (FigureView) throws -> CachedView.Rendered
    }

    /// One slot's views: the last completed, and the replay under way.
    struct Views: Sendable {
        var latest: (stamp: Environment.ChangeStamp, view: CachedView)?
        var running: (stamp: Environment.ChangeStamp, task: Task<CachedView, any Error>)?
    }

    /// A handful of read points at once; each view holds the portfolio's projections, so the
    /// bound (two views a slot at most) also bounds the memory held.
    static let limit = 8

    private let slots = Mutex(RecentlyUsed<Slot, Views>(limit: FigureViewCache.limit))
    /// How many replays were started, are under way, and were ever under way at once (across
    /// slots): for the tests.
    let replays = Atomic<Int>(0)
    let replaying = Atomic<Int>(0)
    let peakReplaying = Atomic<Int>(0)

    /// The folded view of the whole portfolio at `point` for `period`, with the answers
    /// already rendered from it.
    func view(
        _ ledger: Ledger, live: LiveFold, at point: ReadPoint, period: FinancialQuarter?, today: CalendarDate, trend: Bool = false, prepared: Prepared? = nil
    ) async throws -> CachedView {
        let slot = Slot(asOf: point.asOf, at: point.at, on: point.on, period: period, today: today, trend: trend, prepared: prepared?.key)
        let stamp = ledger.store.environment.changeStamp()
        enum Next { case ready(CachedView), wait(Task<CachedView, any Error>, started: Bool) }
        let next: Next = slots.withLock { slots in
            var views = slots.value(slot) ?? Views()
            if let latest = views.latest, latest.stamp == stamp { return .ready(latest.view) }
            if let running = views.running {
                if let latest = views.latest { return .ready(latest.view) }
                return .wait(running.task, started: false)
            }
            let task = Task {
                let view = try await offload { () throws -> CachedView in
                    // At the head, the live fold: no replay of the log, only the reconciliation.
                    guard point.asOf == nil, point.at == nil else {
                        return CachedView(view: try FigureView(ledger, at: point, period: period, today: today, trend: trend))
                    }
                    guard point.on == nil else {
                        return CachedView(view: try FigureView(read: try live.current(ledger.store), store: ledger.store, at: point, period: period, today: today, trend: trend))
                    }
                    // The commitments in force at the reporting date and the trend's quarter ends
                    // are kept by the live fold too: nothing is folded again.
                    let (reportingDate, trendQuarters) = FigureView.inForceDays(at: point, period: period, today: today, trend: trend)
                    let (read, inForce) = try live.current(ledger.store, inForceOn: [reportingDate] + trendQuarters.map(\.lastDay))
                    return CachedView(view: FigureView(
                        read: read, inForce: inForce[0], trend: Array(zip(trendQuarters, inForce.dropFirst())), at: point, period: period, today: today,
                        contract: nil, supplier: nil))
                }
                if let prepared { try await offload { try view.prepare(prepared.key, prepared.render) } }
                return view
            }
            views.running = (stamp, task)
            _ = slots.insert(views, for: slot)
            return .wait(task, started: true)
        }
        switch next {
        case .ready(let view):
            return view
        case .wait(let task, let started):
            if started {
                replays.add(1, ordering: .relaxed)
                let now = replaying.add(1, ordering: .relaxed).newValue
                peakReplaying.max(now, ordering: .relaxed)
            }
            let result = await task.result
            if started {
                replaying.subtract(1, ordering: .relaxed)
                finish(slot, stamp: stamp, result)
            }
            return try result.get()
        }
    }

    /// The replay for `slot` at `stamp` has ended: a view becomes the latest, a refusal is
    /// worked out afresh by the next read (the cause may be passing, a resize).
    private func finish(_ slot: Slot, stamp: Environment.ChangeStamp, _ result: Result<CachedView, any Error>) {
        slots.withLock { slots in
            var views = slots.value(slot) ?? Views()
            if views.running?.stamp == stamp { views.running = nil }
            if case .success(let view) = result { views.latest = (stamp, view) }
            _ = slots.insert(views, for: slot)
        }
    }
}

/// A folded view and the answers rendered from it: a read asked again while the ledger is
/// unchanged is the same bytes, so they are kept rather than built and encoded again (which,
/// once the fold is shared, is most of what a read costs).
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

    /// The answer named `key` if it is rendered already.
    func kept(_ key: String) -> Rendered? { answers.withLock { $0.value(key) } }

    /// One lock per answer being rendered: reads that ask for it at once (16 people opening
    /// the portfolio just after a write) wait for the one rendering it, rather than each
    /// rendering it again.
    private let rendering = Mutex([String: NSLock]())

    /// The answer named `key` (the read and its own parameters), rendered by `render` once.
    func rendered(_ key: String, _ render: (FigureView) throws -> Rendered) rethrows -> Rendered {
        if let kept = kept(key) { return kept }
        let lock = rendering.withLock { locks in
            if let lock = locks[key] { return lock }
            let lock = NSLock()
            locks[key] = lock
            return lock
        }
        lock.lock()
        defer { lock.unlock() }
        if let kept = kept(key) { return kept }
        let made = try render(view)
        answers.withLock { _ = $0.insert(made, for: key) }
        // Whoever waits holds the lock already; whoever comes next finds the answer kept.
        rendering.withLock { $0[key] = nil }
        return made
    }
}
