import LedgerValues
import LMDB

/// The `correlations` index: which positions carry each correlation id (Schemas/README.md §1).
///
/// A correlation id names the request that wrote its events. A caller that must know whether
/// a request was recorded already (an HTTP retry under an `Idempotency-Key`, after a restart,
/// or sent to another process on the same ledger) derives the id from the request and looks it
/// up here, inside its own write transaction: the index is written in the same transaction as
/// the events, so it never lags the log, and LMDB's one writer makes the look-up and the
/// append one step for every process.
///
/// Key: the id's 16 bytes, then the position as 8 big-endian bytes (one entry per event, so a
/// range of keys holds a request's events in log order). Value: the position again, as in the
/// other indexes, so that `verify` names a stray entry by the position it points at.
enum CorrelationKeys {
    static func key(_ id: EventID, position: UInt64) -> [UInt8] { id.bytes + Bytes.bigEndian(position) }

    /// The position a key names, if the key is an id and a position.
    static func parse(_ key: UnsafeRawBufferPointer) -> (id: EventID, position: UInt64)? {
        guard key.count == 24, let id = EventID(bytes: Array(key[0..<16])),
            let position = Bytes.readBigEndian(UnsafeRawBufferPointer(rebasing: key[16...]))
        else { return nil }
        return (id, position)
    }
}

extension EventStore {
    /// Opens the `correlations` index, making it from the log when a ledger written before it
    /// existed is opened for writing (one pass, in one transaction). A read-only ledger without
    /// it has none: ``LedgerReader/positions(correlatedBy:)`` then reads the log instead.
    static func openCorrelations(_ environment: Environment, mode: OpenMode, log: Database) throws -> Database? {
        do {
            return try environment.openDatabase("correlations", flags: mode == .create ? [.create] : [])
        } catch LMDBError.notFound {
            guard mode == .readWrite else { return nil }
        }
        return try environment.write { txn in
            let database = try txn.openDatabase("correlations", flags: [.create])
            try txn.withCursor(log) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    let event = try RecordedEvent(storedValue: current.value)
                    if let id = event.event.correlationId {
                        try txn.put(database, key: CorrelationKeys.key(id, position: event.position), value: Bytes.bigEndian(event.position), flags: .noOverwrite)
                    }
                    entry = try cursor.next()
                }
            }
            return database
        }
    }
}

extension LedgerReader {
    /// The positions of the events that carry correlation id `id`, in log order; empty when
    /// no event does.
    public func positions(correlatedBy id: EventID) throws -> [UInt64] {
        guard let correlations = store.correlations else {
            var found: [UInt64] = []
            try forEachEvent(from: 1) { event in
                if event.event.correlationId == id { found.append(event.position) }
                return true
            }
            return found
        }
        return try transaction.withCursor(correlations) { cursor in
            var positions: [UInt64] = []
            var entry = try cursor.seek(atOrAfter: id.bytes)
            while let current = entry, let parsed = CorrelationKeys.parse(current.key), parsed.id == id {
                positions.append(parsed.position)
                entry = try cursor.next()
            }
            return positions
        }
    }

    /// The events that carry correlation id `id`, in log order.
    public func events(correlatedBy id: EventID) throws -> [RecordedEvent] {
        try positions(correlatedBy: id).compactMap { try event(at: $0) }
    }
}
