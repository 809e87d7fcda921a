import EventStore
import LedgerValues
import LMDB

/// One event exactly as svledger stored it, with the three fields the SQLite peer keeps in
/// columns of their own (its indexes need them, as svledger's `streams` and `event-ids` do).
struct StoredEnvelope {
    let position: UInt64
    /// The canonical envelope bytes (the `log` value after its 32 hash bytes).
    let canonical: [UInt8]
    /// The 32 hash bytes svledger stored, to check that the peers compute the same chain.
    let storedHash: [UInt8]
    let eventId: [UInt8]
    let streamId: String
    let streamVersion: Int64
}

/// Reads a ledger's `log` back in batches, so that the raw LMDB and SQLite runs store the very
/// bytes svledger wrote (a 1M-event log is gigabytes: it is streamed, never held whole).
struct StoredEnvelopes {
    let store: EventStore
    let log: Database

    init(store: EventStore) throws {
        self.store = store
        // `EventStore.log` is internal; opening the named database again returns the same handle.
        log = try store.environment.openDatabase("log")
    }

    /// Calls `body` with consecutive batches of at most `batchSize` events, from position 1.
    /// Each batch is copied out in its own read transaction, which ends before `body` runs.
    func forEachBatch(of batchSize: Int, _ body: ([StoredEnvelope]) throws -> Void) throws {
        var next: UInt64 = 1
        while true {
            let batch = try read(from: next, count: batchSize)
            if batch.isEmpty { return }
            try body(batch)
            next = batch.last!.position + 1
        }
    }

    /// Up to `count` events from position `from`.
    func read(from: UInt64, count: Int) throws -> [StoredEnvelope] {
        try store.environment.read { txn in
            try txn.withCursor(log) { cursor in
                var batch: [StoredEnvelope] = []
                batch.reserveCapacity(count)
                var entry = try cursor.seek(atOrAfter: Bytes.bigEndian(from))
                while let current = entry, batch.count < count {
                    guard let position = Bytes.readBigEndian(current.key), current.value.count > 32 else {
                        throw BenchError("malformed log entry after position \(batch.last?.position ?? from)")
                    }
                    let canonical = Array(current.value[32...])
                    batch.append(try EnvelopeFields.extract(
                        position: position, canonical: canonical, storedHash: Array(current.value[0..<32]),
                        checkedAgainstParser: batch.isEmpty))
                    entry = try cursor.next()
                }
                return batch
            }
        }
    }
}

/// Finds `eventId`, `streamId` and `streamVersion` in canonical bytes without a full parse,
/// so that preparing the peers' input costs little. Canonical keys are sorted, so `eventId`
/// is the first top-level key named so (only `actor` precedes it, and inside strings every `"`
/// is escaped), and `streamId`, `streamVersion` are the last two members.
enum EnvelopeFields {
    static func extract(position: UInt64, canonical: [UInt8], storedHash: [UInt8], checkedAgainstParser: Bool) throws -> StoredEnvelope {
        guard let idStart = firstIndex(of: Array(#""eventId":""#.utf8), in: canonical),
            idStart + 36 <= canonical.count,
            let eventId = EventID(String(decoding: canonical[idStart..<(idStart + 36)], as: UTF8.self)),
            let streamStart = lastIndex(of: Array(#","streamId":""#.utf8), in: canonical),
            let versionStart = lastIndex(of: Array(#"","streamVersion":"#.utf8), in: canonical),
            versionStart >= streamStart
        else { throw BenchError("position \(position): envelope fields not found") }
        let streamBytes = canonical[streamStart..<(versionStart - #"","streamVersion":"#.utf8.count)]
        var version: Int64 = 0
        for byte in canonical[versionStart...] where byte != UInt8(ascii: "}") { version = version * 10 + Int64(byte - 0x30) }
        let envelope = StoredEnvelope(
            position: position, canonical: canonical, storedHash: storedHash, eventId: eventId.bytes,
            streamId: String(decoding: streamBytes, as: UTF8.self), streamVersion: version)
        if checkedAgainstParser {
            // The shortcut must agree with the real decoder; checked once per batch.
            let decoded = try RecordedEvent(envelope: JSONValue(parsing: canonical), hash: ChainHash(bytes: storedHash)!)
            guard decoded.eventId.bytes == envelope.eventId, decoded.streamId == envelope.streamId,
                Int64(decoded.streamVersion) == envelope.streamVersion, decoded.position == position,
                !streamBytes.contains(UInt8(ascii: "\\"))
            else { throw BenchError("position \(position): field shortcut disagrees with the decoder") }
        }
        return envelope
    }

    /// The index just after the first occurrence of `needle`.
    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start + needle.count }
        }
        return nil
    }

    /// The index just after the last occurrence of `needle`.
    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in stride(from: haystack.count - needle.count, through: 0, by: -1) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start + needle.count }
        }
        return nil
    }
}
