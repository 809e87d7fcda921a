import EventStore
import Foundation
import LedgerValues
import Ledger
import Transparency

/// Why a follower stopped for good: its primary's history is not the one it holds, or an
/// event it sent was altered. What the follower holds is kept, and nothing past it appended.
public struct ReplicationStopped: Error, Sendable, CustomStringConvertible {
    public let position: UInt64
    public let problem: String

    public init(position: UInt64, problem: String) {
        self.position = position
        self.problem = problem
    }

    public var description: String { "stopped at position \(position): \(problem). What this follower held is kept, and nothing from there on was appended" }
}

/// A verifying follower (docs/operations.md, "More than one machine"): it pages through its
/// primary's `GET /log` from its replica's head and keeps each event byte for byte, checked hash
/// by hash against the chain the replica holds. Each page is one durable transaction, so a
/// follower killed at any moment resumes from its head with no gap and no duplicate.
public final class Follower: Sendable {
    public let replica: any Replica
    public let primary: PrimaryClient
    /// New events asked for in one `GET /log` (the server gives at most 10,000, the event the
    /// follower holds last among them).
    let pageSize: Int
    /// Called after each page kept: its events, and the replica's head then.
    let onPage: @Sendable ([ReplicatedEvent], LedgerHead) -> Void

    public init(
        replica: any Replica, primary: PrimaryClient, pageSize: Int = 2_000,
        onPage: @escaping @Sendable ([ReplicatedEvent], LedgerHead) -> Void = { _, _ in }
    ) {
        self.replica = replica
        self.primary = primary
        self.pageSize = pageSize
        self.onPage = onPage
    }

    /// A follower into its own ledger, in `directory`.
    public convenience init(
        ledger: Ledger, primary: PrimaryClient, directory: String, pageSize: Int = 2_000, rejoining: Bool = false,
        onPage: @escaping @Sendable ([ReplicatedEvent], LedgerHead) -> Void = { _, _ in }
    ) {
        self.init(
            replica: LedgerReplica(ledger: ledger, directory: directory, rejoining: rejoining), primary: primary, pageSize: pageSize, onPage: onPage)
    }

    /// What one catch-up did.
    public struct CatchUp: Sendable {
        public var appended = 0
        public var head: LedgerHead
        public var primaryHead: UInt64
        /// The size of a checkpoint of the primary's checked in this pass.
        public var checkpointChecked: UInt64?
    }

    /// Catches up with the primary's head as it is when asked, then lets the replica check
    /// what it checks after (the primary's checkpoint).
    /// - Throws: ``ReplicationStopped`` when the histories differ or an event was altered;
    ///   ``PrimaryUnavailable`` when the primary cannot be read (what was kept stays).
    public func catchUp() async throws -> CatchUp {
        var head = try await replica.head()
        let primaryHead = try await primary.head()
        if primaryHead.position < head.position {
            throw ReplicationStopped(
                position: primaryHead.position + 1,
                problem: "the primary holds \(primaryHead.position) events and this follower \(head.position): the primary lost events it had recorded, or is another ledger")
        }
        var pass = CatchUp(head: head, primaryHead: primaryHead.position)
        if primaryHead.position == head.position {
            guard primaryHead.hash == head.hash else { throw Self.fork(at: head, theirs: primaryHead.hash) }
            try await replica.adopt(primary)
        }
        // The next page is asked for while this one is checked and kept: the primary, the
        // network and the replica's storage then work at the same time. It is thrown away if
        // this page is not kept, and left to finish (30 s at most, the client's timeout) rather
        // than cancelled: a follower whose catch-ups were cancelled mid-request by a database
        // restarting was seen to hang in its next request.
        var nextPage: Task<[ReplicatedEvent], any Error>?
        while head.position < primaryHead.position {
            // The page starts at the follower's own head, when it has one, so that the primary
            // shows it still holds that event with that hash before anything is added to it.
            let from = max(head.position, 1)
            var page: [ReplicatedEvent]
            if let asked = nextPage {
                nextPage = nil
                page = try await asked.value
            } else {
                page = try await primary.events(from: from, limit: pageLimit(after: head.position))
            }
            let last = from + UInt64(page.count) - 1
            if !page.isEmpty, last < primaryHead.position {
                let primary = self.primary
                let limit = pageLimit(after: last)
                nextPage = Task { try await primary.events(from: last, limit: limit) }
            }
            if head.position > 0 {
                guard let first = page.first else {
                    throw ReplicationStopped(position: head.position, problem: "the primary no longer gives event \(head.position), which this follower holds")
                }
                guard first.hash == head.hash else { throw Self.fork(at: head, theirs: first.hash) }
                page.removeFirst()
            }
            try await replica.adopt(primary)
            if page.isEmpty { break }
            do {
                head = try await replica.append(page, from: primary)
            } catch let refusal as ReplicationRefusal {
                // What came before the refused event continues the chain: it is kept.
                let good = refusal.position > head.position ? Int(refusal.position - head.position - 1) : 0
                if good > 0 { head = try await replica.append(Array(page.prefix(good)), from: primary) }
                pass.appended += good
                throw ReplicationStopped(position: refusal.position, problem: refusal.problem)
            }
            pass.appended += page.count
            pass.head = head
            onPage(page, head)
        }
        pass.head = head
        pass.checkpointChecked = try await replica.caughtUp(with: primary)
        return pass
    }

    /// Polls the primary every `interval` and catches up, until cancelled; an unreachable primary
    /// is tried again, more slowly, up to `maxBackoff` apart. After each poll, `status` is told
    /// where things stand (a ledger's follower writes ``FollowerStatus`` beside it).
    /// - Throws: ``ReplicationStopped``, a permanent refusal (a bad token), or a storage error
    ///   (the disk full): each stops the follower with what it holds kept.
    public func run(
        every interval: Duration, maxBackoff: Duration = .seconds(5), say: @Sendable (String) -> Void,
        status: (FollowerStatus) -> Void = { _ in }
    ) async throws {
        var current = FollowerStatus(primary: primary.url.absoluteString, head: try await replica.head(), primaryHead: 0)
        var wait = interval
        var wasDown = false
        while !Task.isCancelled {
            do {
                let pass = try await catchUp()
                let now = Timestamp.now()
                current.head = pass.head
                current.primaryHead = pass.primaryHead
                current.checkedAt = now
                if pass.head.position >= pass.primaryHead { current.caughtUpAt = now }
                if let size = pass.checkpointChecked { current.checkpointSize = size }
                current.problem = nil
                if wasDown { say("going on; this follower is at \(pass.head.position)") }
                wasDown = false
                wait = interval
            } catch let unavailable as PrimaryUnavailable where !unavailable.isPermanent {
                current.problem = unavailable.description
                current.head = try await replica.head()
                if !wasDown { say("\(unavailable); trying again") }
                wasDown = true
                wait = min(maxBackoff, wait * 2)
            } catch where replica.isTransient(error) {
                current.problem = "\(error)"
                if !wasDown { say("the replica's storage is away (\(error)); trying again") }
                wasDown = true
                wait = min(maxBackoff, wait * 2)
            } catch {
                current.problem = "\(error)"
                current.head = (try? await replica.head()) ?? current.head
                status(current)
                throw error
            }
            status(current)
            try? await Task.sleep(for: wait)
        }
    }

    /// How many events to ask for after the event at `position` (0: none yet): the page starts
    /// with that event itself when there is one.
    private func pageLimit(after position: UInt64) -> Int {
        min(pageSize + (position > 0 ? 1 : 0), PrimaryClient.pageLimit)
    }

    static func fork(at head: LedgerHead, theirs: ChainHash) -> ReplicationStopped {
        ReplicationStopped(
            position: head.position,
            problem: "the primary's event \(head.position) has hash \(theirs.hex), and this follower's \(head.hash.hex): the two histories differ (a fork). Nothing is overwritten; see docs/operations.md, \"A follower that stops\"")
    }
}

extension ReplicationStopped: CategorizedError {
    public var kind: String { "replication-stopped" }
    public var category: ErrorCategory { .integrity }
}

extension PrimaryUnavailable: CategorizedError {
    public var kind: String { isPermanent ? "primary-refused" : "primary-unavailable" }
    /// A primary that is down is worth trying again (75); a token it refuses is not.
    public var category: ErrorCategory { isPermanent ? .refused : .conflict }
}
