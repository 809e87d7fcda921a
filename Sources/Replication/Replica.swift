import EventStore
import LedgerValues

/// Where a follower keeps what it copies: its own LMDB ledger (``LedgerReplica``), or a hub's
/// PostgreSQL tables. Either holds the primary's events in order, each checked against the
/// chain before it is kept, one page at a time, all of a page or none.
public protocol Replica: Sendable {
    /// The last event kept (``LedgerHead/empty`` for none).
    func head() async throws -> LedgerHead
    /// Keeps `page`, which starts right after ``head()``, with what `primary` holds beside it
    /// (a ledger fetches the evidence files its events cite).
    /// - Throws: ``ReplicationRefusal`` for the first event that does not continue the chain;
    ///   nothing of the page is then kept.
    func append(_ page: [ReplicatedEvent], from primary: PrimaryClient) async throws -> LedgerHead
    /// Called once the primary has shown it holds this replica's head: the replica now
    /// follows that primary.
    func adopt(_ primary: PrimaryClient) async throws
    /// Called after each catch-up (a ledger checks the primary's checkpoint there).
    /// - Returns: the size of a checkpoint checked, if one was.
    func caughtUp(with primary: PrimaryClient) async throws -> UInt64?
    /// Whether `error` is the replica's storage being away for a while (a database
    /// restarting): a running follower then waits and tries again instead of stopping.
    func isTransient(_ error: any Error) -> Bool
}

extension Replica {
    public func isTransient(_ error: any Error) -> Bool { false }
}
