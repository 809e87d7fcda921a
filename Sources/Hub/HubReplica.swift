import EventStore
import LedgerValues
import PostgresNIO
import Replication
import Synchronization

/// One council's events in the hub's PostgreSQL (``HubStore``), as a follower's replica:
/// each page checked against the chain the hub holds for that council, then inserted in one
/// transaction. On first use (and after the database was lost and came back) the chain is
/// checked again from the rows alone, and the follower resumes from the highest position.
public final class HubReplica: Replica {
    public let store: HubStore
    public let council: String
    /// The chain's end as the hub holds it, with each stream's last version: read from the
    /// database, then kept in step with each page inserted.
    private struct Tip: Sendable {
        var head: LedgerHead
        var recordedAt: Timestamp?
        var versions: [String: UInt64]
    }
    private let tip = Mutex<Tip?>(nil)

    public init(store: HubStore, council: String) {
        self.store = store
        self.council = council
    }

    /// The tip, read from the database (the chain checked again) when not known.
    private func current() async throws -> Tip {
        if let known = tip.withLock({ $0 }) { return known }
        let rechecked: (head: LedgerHead, recordedAt: Timestamp?)
        do {
            rechecked = try await store.recheck(council: council)
        } catch let refusal as ReplicationRefusal {
            throw ReplicationStopped(position: refusal.position, problem: "the hub's row for \(council): \(refusal.problem)")
        }
        let read = Tip(head: rechecked.head, recordedAt: rechecked.recordedAt, versions: try await store.streamVersions(council: council))
        tip.withLock { $0 = read }
        return read
    }

    public func head() async throws -> LedgerHead { try await current().head }

    public func append(_ page: [ReplicatedEvent], from primary: PrimaryClient) async throws -> LedgerHead {
        var next = try await current()
        var rows: [(event: RecordedEvent, canonical: [UInt8])] = []
        for offered in page {
            let event = try offered.checked(continuing: next.head, lastRecordedAt: next.recordedAt) { next.versions[$0] ?? 0 }
            rows.append((event, offered.canonical))
            next.head = LedgerHead(position: event.position, hash: event.hash)
            next.recordedAt = event.recordedAt
            next.versions[event.streamId] = event.streamVersion
        }
        do {
            try await store.insert(council: council, rows)
        } catch {
            // Whether the transaction committed is not known when its answer was lost: the
            // tip is read again from the database before the next page.
            tip.withLock { $0 = nil }
            throw error
        }
        tip.withLock { $0 = next }
        return next.head
    }

    public func adopt(_ primary: PrimaryClient) async throws {}

    public func caughtUp(with primary: PrimaryClient) async throws -> UInt64? { nil }

    /// A database that went away (restarted, the network) is waited for, not a reason to stop.
    public func isTransient(_ error: any Error) -> Bool { (error as? HubError)?.transient == true }
}
