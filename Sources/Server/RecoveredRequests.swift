import EventStore
import LedgerValues
import Ledger
import Synchronization

/// Idempotency keys across a restart. A keyed request's events carry a correlation id derived
/// from its key (``Ledger/correlationId(idempotencyKey:)``), so the log itself remembers which
/// request wrote them. The answers kept in memory (``IdempotencyStore``) are lost when the
/// server stops; a retry then finds its first answer here instead: the events of the log's
/// last ``IdempotencyStore/limit`` positions are indexed by correlation id, once, at the first
/// keyed request that the memory does not know.
///
/// This matters most after a crash between a commit and its acknowledgement: the client saw
/// no answer, retries, and must not record a second correction.
final class RecoveredRequests: Sendable {
    private let positions = Mutex<[EventID: [UInt64]]?>(nil)

    /// The events recorded by the keyed request `key` (scoped to its account), if the recent
    /// log holds any.
    func events(forKey key: String, in ledger: Ledger) throws -> [RecordedEvent]? {
        let id = Ledger.correlationId(idempotencyKey: key)
        let found = try positions.withLock { index -> [UInt64]? in
            if index == nil { index = try Self.index(ledger) }
            return index?[id]
        }
        guard let found else { return nil }
        return try ledger.store.read { reader in try found.compactMap { try reader.event(at: $0) } }
    }

    /// The recent log's positions by correlation id. Made once: what is recorded after it
    /// was made has its answers kept in memory.
    static func index(_ ledger: Ledger) throws -> [EventID: [UInt64]] {
        try ledger.store.read { reader in
            let head = try reader.head().position
            let from = head > UInt64(IdempotencyStore.limit) ? head - UInt64(IdempotencyStore.limit) + 1 : 1
            var index: [EventID: [UInt64]] = [:]
            try reader.forEachEvent(from: from) { event in
                if let id = event.event.correlationId { index[id, default: []].append(event.position) }
                return true
            }
            return index
        }
    }
}
