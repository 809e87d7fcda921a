import EventStore
import LedgerValues

extension LedgerHead {
    /// The head of a read at `position` (the ledger's head when `nil`, or when `position` is
    /// past it): the position and the hash of the event there, as `Snapshot.load` takes them.
    public static func at(_ position: UInt64?, in reader: LedgerReader) throws -> LedgerHead {
        let head = try reader.head()
        let target = min(position ?? head.position, head.position)
        let hash = target == head.position ? head.hash : try reader.event(at: target)?.hash ?? .genesis
        return LedgerHead(position: target, hash: hash)
    }

    public static func at(_ position: UInt64?, in store: EventStore) throws -> LedgerHead {
        try store.read { try at(position, in: $0) }
    }
}
