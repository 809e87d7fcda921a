import LedgerValues
import LMDB

/// Reads one consistent snapshot of the ledger. Valid only inside ``EventStore/read(_:)``
/// (or the append hook); everything it returns is copied out of the map.
///
/// The `forEach…` reads stream: they decode one event at a time and keep none, so memory
/// does not grow with the length of the log.
public struct LedgerReader {
    let store: EventStore
    /// The underlying LMDB transaction, for modules that keep their own databases.
    public let transaction: Transaction

    /// The last position and its hash, as recorded in `meta`.
    /// - Throws: ``EventStoreError/notALedger(path:reason:)`` when `meta`/`head` is malformed.
    public func head() throws -> LedgerHead {
        guard let bytes = try transaction.get(store.meta, key: Array("head".utf8)),
            let head = LedgerHead(storedBytes: bytes)
        else { throw EventStoreError.notALedger(path: store.environment.path, reason: "meta/head is missing or malformed") }
        return head
    }

    /// The event at `position`, or `nil` if there is none.
    /// - Throws: ``EnvelopeDecodingError`` when the stored bytes are not an envelope.
    public func event(at position: UInt64) throws -> RecordedEvent? {
        let decoded = try transaction.withValue(in: store.log, key: Bytes.bigEndian(position)) {
            value -> Result<RecordedEvent, EnvelopeDecodingError>? in
            guard let value else { return nil }
            return Result { () throws(EnvelopeDecodingError) in try RecordedEvent(storedValue: value) }
        }
        return try decoded?.get()
    }

    /// Calls `body` with each event from position `from` up to and including `through`
    /// (the end of the log when `nil`), in order. `body` returns `false` to stop early.
    public func forEachEvent(
        from: UInt64 = 1, through: UInt64? = nil, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        try transaction.withCursor(store.log) { cursor in
            var entry = try cursor.seek(atOrAfter: Bytes.bigEndian(max(from, 1)))
            while let current = entry {
                guard let position = Bytes.readBigEndian(current.key) else { break }
                if let through, position > through { break }
                let event = try RecordedEvent(storedValue: current.value)
                guard try body(event) else { break }
                entry = try cursor.next()
            }
        }
    }

    /// Calls `body` with each stored value (32 hash bytes, then the canonical envelope) from
    /// position `from` up to and including `through`, in order, undecoded: for a reader that
    /// decodes what it needs itself (``EnvelopeLayout/fields(storedValue:strings:payload:)``).
    /// The bytes are valid only during the call. `body` returns `false` to stop early.
    package func forEachStoredValue(from: UInt64, through: UInt64, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try transaction.withCursor(store.log) { cursor in
            var entry = try cursor.seek(atOrAfter: Bytes.bigEndian(max(from, 1)))
            while let current = entry {
                guard let position = Bytes.readBigEndian(current.key), position <= through else { break }
                // One entry ahead, its bytes asked for while `body` reads these: in a read
                // transaction a value's bytes stay where they are until it ends. Waiting on
                // memory at each value's first bytes was a fifth of decoding the log.
                let following = position < through ? try cursor.next() : nil
                following?.prefetchValue(upTo: 2_048)
                guard try body(current.value) else { break }
                entry = following
            }
        }
    }

    /// Calls `body` with each event of `stream` from version `fromVersion`, in order, up to
    /// global position `through` when given. `body` returns `false` to stop early.
    public func forEachEvent(
        inStream stream: String, fromVersion: UInt64 = 1, through: UInt64? = nil,
        _ body: (RecordedEvent) throws -> Bool
    ) throws {
        let end = StreamKeys.pastEnd(of: stream)
        try transaction.withCursor(store.streams) { cursor in
            var entry = try cursor.seek(atOrAfter: StreamKeys.key(stream: stream, version: max(fromVersion, 1)))
            while let current = entry, current.key.lexicographicallyPrecedes(end) {
                guard let position = Bytes.readBigEndian(current.value) else { break }
                if let through, position > through { break }
                guard let event = try event(at: position) else {
                    throw EventStoreError.notALedger(
                        path: store.environment.path, reason: "stream index points at missing position \(position)")
                }
                guard try body(event) else { break }
                entry = try cursor.next()
            }
        }
    }

    /// The version of the last event in `stream`; 0 when the stream does not exist.
    public func streamVersion(_ stream: String) throws -> UInt64 { try streamTip(stream)?.version ?? 0 }

    /// The last event of `stream`: its version and position; `nil` when the stream does not exist.
    public func streamTip(_ stream: String) throws -> StreamTip? {
        try transaction.withCursor(store.streams) { cursor in
            // The entry just before the first key past this stream is its last, if it is ours.
            let after = try cursor.seek(atOrAfter: StreamKeys.pastEnd(of: stream))
            guard let last = after == nil ? try cursor.last() : try cursor.previous(),
                let parsed = StreamKeys.parse(last.key), parsed.stream == stream,
                let position = Bytes.readBigEndian(last.value)
            else { return nil }
            return StreamTip(version: parsed.version, position: position)
        }
    }

    /// The position of version `version` of `stream`, if there is one.
    public func position(inStream stream: String, version: UInt64) throws -> UInt64? {
        try transaction.get(store.streams, key: StreamKeys.key(stream: stream, version: version)).flatMap(Bytes.readBigEndian)
    }

    /// The position holding `eventId`, if it was ever recorded.
    public func position(of eventId: EventID) throws -> UInt64? {
        try transaction.get(store.eventIds, key: eventId.bytes).flatMap(Bytes.readBigEndian)
    }

    /// How many events the log holds.
    public func eventCount() throws -> Int { try transaction.statistics(store.log).entries }

    /// How many distinct streams there are, skipping from one stream to the next in the index.
    public func streamCount() throws -> Int {
        try transaction.withCursor(store.streams) { cursor in
            var count = 0
            var entry = try cursor.first()
            while let current = entry, let parsed = StreamKeys.parse(current.key) {
                count += 1
                entry = try cursor.seek(atOrAfter: StreamKeys.pastEnd(of: parsed.stream))
            }
            return count
        }
    }

    /// The ids of the streams whose id starts with `prefix`, in byte order.
    public func streamIds(withPrefix prefix: String) throws -> [String] {
        try transaction.withCursor(store.streams) { cursor in
            var ids: [String] = []
            var entry = try cursor.seek(atOrAfter: Array(prefix.utf8))
            while let current = entry, let parsed = StreamKeys.parse(current.key), parsed.stream.hasPrefix(prefix) {
                ids.append(parsed.stream)
                entry = try cursor.seek(atOrAfter: StreamKeys.pastEnd(of: parsed.stream))
            }
            return ids
        }
    }

    /// The last position recorded at or before `instant` (0 if none). `recordedAt` never
    /// decreases along the log, so this is a binary search.
    public func lastPosition(recordedAtOrBefore instant: Timestamp) throws -> UInt64 {
        var low: UInt64 = 0  // known to be recorded at or before `instant`
        var high = try head().position  // candidates are in low+1...high
        while low < high {
            let middle = low + (high - low + 1) / 2
            guard let event = try event(at: middle) else { break }
            if event.recordedAt <= instant { low = middle } else { high = middle - 1 }
        }
        return low
    }
}

/// Where a stream ends: its last version and the log position holding it. Both together
/// identify what the stream held when state was folded from it.
public struct StreamTip: Hashable, Sendable {
    public let version: UInt64
    public let position: UInt64

    public init(version: UInt64, position: UInt64) {
        self.version = version
        self.position = position
    }
}

/// A reader wraps a read transaction, which belongs to the thread that began it.
@available(*, unavailable)
extension LedgerReader: Sendable {}
