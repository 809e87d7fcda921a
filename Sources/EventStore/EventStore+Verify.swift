import LedgerValues
import LMDB

/// The first thing found wrong by ``EventStore/verify(expectedHead:progress:)``.
public struct VerificationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first position that is wrong (for index and head problems, the position concerned).
    public let position: UInt64
    public let problem: String
    public var description: String { "position \(position): \(problem)" }

    /// A failure found outside `verify`: by a reader that holds a fold of the log and finds
    /// the log no longer the one it folded.
    public init(position: UInt64, problem: String) {
        self.position = position
        self.problem = problem
    }
}

/// A head written down earlier (Schemas/README.md §5, check 12): its hash, and its position
/// when the writer kept it. It still holds when the chain has that hash at that position,
/// however far the ledger has grown since.
public struct ExpectedHead: Sendable, Equatable, CustomStringConvertible {
    /// `nil`: the position is found by looking for the hash.
    public let position: UInt64?
    public let hash: ChainHash

    public init(position: UInt64? = nil, hash: ChainHash) {
        self.position = position
        self.hash = hash
    }

    /// Reads `HASH` (64 hex digits, either case) or `POSITION:HASH` (POSITION in 1 to 16
    /// decimal digits); `nil` for anything else, a shortened hash included.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        var position: UInt64?
        if parts.count == 2 {
            let digits = parts[0].utf8
            guard (1...16).contains(digits.count), digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return nil }
            position = UInt64(parts[0])
        }
        guard let hash = ChainHash(hex: String(parts[parts.count - 1])) else { return nil }
        self.init(position: position, hash: hash)
    }

    public var description: String { position.map { "\($0):\(hash.hex)" } ?? hash.hex }
}

/// What a clean verification saw.
public struct VerificationReport: Sendable, Equatable {
    public let eventCount: UInt64
    public let streamCount: Int
    public let head: LedgerHead
    /// Where the expected head was found (its position and hash), when one was given.
    public let expectedHead: LedgerHead?
    /// Events recorded more than ``EventStore/clockToleranceMilliseconds`` after the verifying
    /// machine's clock (a clock that ran ahead wrote them): the first and how many.
    public internal(set) var recordedAhead: RecordedAhead?
    /// Lines a caller's own checks add after the head (the evidence files' state).
    public internal(set) var notes: [String] = []

    public struct RecordedAhead: Sendable, Equatable {
        public let first: UInt64
        public let recordedAt: Timestamp
        public var count: UInt64
    }

    /// The line both verifiers print after the head when some times are ahead of the clock.
    public var recordedAheadWarning: String? {
        guard let ahead = recordedAhead else { return nil }
        return "warning: \(ahead.count) event\(ahead.count == 1 ? "" : "s") recorded more than 5 minutes ahead of this machine's clock, "
            + "the first at position \(ahead.first) (\(ahead.recordedAt)): see docs/operations.md, \"A clock that disagrees with the ledger\""
    }

    public init(eventCount: UInt64, streamCount: Int, head: LedgerHead, expectedHead: LedgerHead? = nil) {
        self.eventCount = eventCount
        self.streamCount = streamCount
        self.head = head
        self.expectedHead = expectedHead
    }

    /// What the expected head showed, in the words both verifiers print after the head line:
    /// that it is still the head, or that the ledger has only grown past it.
    public var expectedHeadFinding: String? {
        guard let expectedHead else { return nil }
        if expectedHead.position == head.position { return "head matches the expected head at position \(head.position)" }
        return "the ledger has grown from position \(expectedHead.position) (hash still matches there) to \(head.position)"
    }
}

extension EventStore {
    /// Walks the whole log and its indexes and checks every rule of Schemas/README.md §5:
    /// contiguous positions, canonical envelopes, the hash chain, non-decreasing
    /// `recordedAt`, contiguous stream versions, both indexes entry for entry, and the head.
    ///
    /// - Parameters:
    ///   - expectedHead: a head written down earlier: the chain must still have its hash at its
    ///     position (found by the hash when not given), at the head or before it (check 12).
    ///   - progress: called every 100,000 events with the position reached.
    ///   - visit: called with each event once it has passed its checks, so that a caller can
    ///     fold the log in the same pass instead of reading it again.
    ///   - finish: called once the log has passed, in the same read transaction, for checks of
    ///     the caller's own that depend on what `visit` saw; its lines go in ``VerificationReport/notes``.
    /// - Throws: ``VerificationFailure`` naming the first bad position, or what the closures throw.
    public func verify(
        expectedHead: ExpectedHead? = nil, progress: ((UInt64) -> Void)? = nil,
        visit: ((RecordedEvent) throws -> Void)? = nil, finish: ((LedgerReader) throws -> [String])? = nil
    ) throws -> VerificationReport {
        try read { reader in
            let txn = reader.transaction
            var previous = LedgerHead.empty
            var previousRecordedAt: Timestamp?
            var streamVersions: [String: UInt64] = [:]
            // The link the expected head names (by position, or by hash), once the walk meets it.
            func isExpected(_ head: LedgerHead) -> Bool {
                guard let expectedHead else { return false }
                return expectedHead.position.map { $0 == head.position } ?? (head.hash == expectedHead.hash)
            }
            var expectedSeen: LedgerHead? = isExpected(.empty) ? .empty : nil
            let clockLimit = Timestamp(millisecondsSinceEpoch: clock().millisecondsSinceEpoch + Self.clockToleranceMilliseconds)
            var recordedAhead: VerificationReport.RecordedAhead?
            var correlated = 0
            var tree = MerkleCheck(database: merkle, txn: txn, signedNote: try txn.get(meta, key: Self.checkpointKey))
            try txn.withCursor(log) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    let expected = previous.position + 1
                    guard current.key.count == 8, let position = Bytes.readBigEndian(current.key) else {
                        throw VerificationFailure(position: expected, problem: "log key is not an 8-byte position")
                    }
                    guard position == expected else {
                        throw VerificationFailure(
                            position: expected,
                            problem: "position \(expected) is missing: the log goes from \(previous.position) to \(position)")
                    }
                    let event = try checkedEvent(current.value, position: position, previous: previous)
                    if let previousRecordedAt, event.recordedAt < previousRecordedAt {
                        throw VerificationFailure(
                            position: position,
                            problem: "recordedAt \(event.recordedAt) is earlier than the previous event's \(previousRecordedAt)")
                    }
                    let lastVersion = streamVersions[event.streamId] ?? 0
                    guard event.streamVersion == lastVersion + 1 else {
                        throw VerificationFailure(
                            position: position,
                            problem: "stream \"\(event.streamId)\" jumps from version \(lastVersion) to \(event.streamVersion)")
                    }
                    try checkIndexes(for: event, in: txn)
                    try tree.add(UnsafeRawBufferPointer(rebasing: current.value[32...]), position: position)
                    if event.event.correlationId != nil { correlated += 1 }
                    try visit?(event)
                    streamVersions[event.streamId] = event.streamVersion
                    previousRecordedAt = event.recordedAt
                    if event.recordedAt > clockLimit {
                        recordedAhead = recordedAhead ?? .init(first: position, recordedAt: event.recordedAt, count: 0)
                        recordedAhead?.count += 1
                    }
                    previous = LedgerHead(position: position, hash: event.hash)
                    if expectedSeen == nil, isExpected(previous) { expectedSeen = previous }
                    if position % 100_000 == 0 { progress?(position) }
                    entry = try cursor.next()
                }
            }
            try checkIndexCounts(eventCount: previous.position, streamVersions: streamVersions, in: txn)
            try checkCorrelationCount(correlated, eventCount: previous.position, in: txn)
            guard let headBytes = try txn.get(meta, key: Array("head".utf8)), let recordedHead = LedgerHead(storedBytes: headBytes) else {
                let found = try txn.get(meta, key: Array("head".utf8)).map { "\($0.count) bytes, not 40" } ?? "missing"
                throw VerificationFailure(
                    position: previous.position,
                    problem: "the recorded head is \(found), but the log ends at (\(previous.position), \(previous.hash.hex))")
            }
            guard recordedHead == previous else {
                // Check 11 names the first position the two disagree on: past the shorter of
                // them (a log truncated with its index entries: the first missing position).
                throw VerificationFailure(
                    position: recordedHead.position == previous.position
                        ? previous.position : min(recordedHead.position, previous.position) + 1,
                    problem: "the recorded head (\(recordedHead.position), \(recordedHead.hash.hex)) does not match the log, which ends at (\(previous.position), \(previous.hash.hex)): the log was truncated or the head altered")
            }
            try tree.finish(eventCount: previous.position)
            if let expectedHead { try Self.check(expectedHead, seen: expectedSeen, last: previous.position) }
            var report = VerificationReport(
                eventCount: previous.position, streamCount: streamVersions.count, head: previous, expectedHead: expectedSeen)
            report.recordedAhead = recordedAhead
            report.notes = try finish?(reader) ?? []
            return report
        }
    }

    /// Check 12: the expected head's hash is the chain's at its position. The failure names
    /// that position; the first missing one when it is past the log; the last when the hash
    /// is at no position. (tools/verify_ledger.py says the same words.)
    private static func check(_ expected: ExpectedHead, seen: LedgerHead?, last: UInt64) throws {
        if let position = expected.position, position > last {
            throw VerificationFailure(
                position: last + 1,
                problem: "the expected head is at position \(position), but the log ends at position \(last): events written before that head are gone")
        }
        guard let seen else {
            throw VerificationFailure(
                position: last,
                problem: "the hash of every position from 0 to \(last) differs from the expected \(expected.hash.hex): the ledger has changed since that head was written down, or the head is another ledger's")
        }
        guard seen.hash == expected.hash else {
            throw VerificationFailure(
                position: seen.position,
                problem: "the hash of position \(seen.position), \(seen.hash.hex), differs from the expected \(expected.hash.hex): the ledger has changed at or before position \(seen.position) (or that hash is not position \(seen.position)'s)")
        }
    }

    /// Checks 2–5 of the spec for one stored value and returns the decoded event.
    private func checkedEvent(
        _ value: UnsafeRawBufferPointer, position: UInt64, previous: LedgerHead
    ) throws -> RecordedEvent {
        guard value.count > 32 else {
            throw VerificationFailure(position: position, problem: "stored value is only \(value.count) bytes")
        }
        let canonical = UnsafeRawBufferPointer(rebasing: value[32...])
        let computed = ChainHash.link(previous: previous.hash, canonical: canonical)
        let storedHash = ChainHash(prefixOf: value)!
        // The layout walk reads almost every envelope; anything it leaves goes to the general
        // decoder, which either reads it too or names what is wrong.
        let event = try EnvelopeLayout.decode(canonical, hash: storedHash, canonicalOnly: true)
            ?? Self.decodeExplaining(canonical, hash: storedHash, position: position)
        guard event.position == position else {
            throw VerificationFailure(position: position, problem: "the event stored here says it is position \(event.position)")
        }
        guard event.previousHash == previous.hash else {
            throw VerificationFailure(
                position: position,
                problem: "previousHash \(event.previousHash.hex) is not the hash of position \(previous.position), \(previous.hash.hex)")
        }
        guard event.hash == computed else {
            throw VerificationFailure(
                position: position, problem: "hash mismatch: stored \(event.hash.hex), computed \(computed.hex)")
        }
        return event
    }

    /// The general decoding of a stored envelope, with verify's reasons when it fails.
    private static func decodeExplaining(_ canonical: UnsafeRawBufferPointer, hash: ChainHash, position: UInt64) throws -> RecordedEvent {
        do {
            // Parsing in canonical-only mode refuses any byte the canonical encoding would not
            // have written, which is the same as re-encoding and comparing, without the copy.
            let parsed = Result { () throws(JSONParseError) in try JSONValue(parsingCanonical: canonical) }
            if case .failure(let error) = parsed, error.message == JSONParseError.nonCanonical {
                throw VerificationFailure(position: position, problem: "envelope bytes are not in canonical form (byte \(error.offset))")
            }
            let envelope = try parsed.get()
            let event = try RecordedEvent(envelope: envelope, hash: hash)
            // The decoder reads hex in either case; the format writes it in lowercase only, and
            // re-encoding cannot notice (a string is written back as it is).
            for field in ["eventId", "correlationId", "causationId", "previousHash"] {
                if let text = envelope[field]?.stringValue, text.utf8.contains(where: { $0 &- UInt8(ascii: "A") < 6 }) {
                    throw VerificationFailure(
                        position: position, problem: "\(field) \"\(text)\" has uppercase hex digits; ids and hashes are stored in lowercase (Schemas/README.md §2)")
                }
            }
            return event
        } catch let failure as VerificationFailure {
            throw failure
        } catch {
            throw VerificationFailure(position: position, problem: "envelope is malformed: \(error)")
        }
    }

    /// Checks 8 and 9: both indexes point at this event.
    private func checkIndexes(for event: RecordedEvent, in txn: Transaction) throws {
        let streamEntry = try txn.get(streams, key: StreamKeys.key(stream: event.streamId, version: event.streamVersion))
        guard let streamEntry, Bytes.readBigEndian(streamEntry) == event.position else {
            throw VerificationFailure(
                position: event.position,
                problem: "stream index entry (\"\(event.streamId)\", \(event.streamVersion)) is \(streamEntry.flatMap(Bytes.readBigEndian).map { "position \($0)" } ?? "missing")")
        }
        let idEntry = try txn.get(eventIds, key: event.eventId.bytes)
        guard let idEntry, Bytes.readBigEndian(idEntry) == event.position else {
            throw VerificationFailure(
                position: event.position,
                problem: "event-id index entry for \(event.eventId) is \(idEntry.flatMap(Bytes.readBigEndian).map { "position \($0)" } ?? "missing")")
        }
        if let correlations, let id = event.event.correlationId, try txn.get(correlations, key: CorrelationKeys.key(id, position: event.position)) == nil {
            throw VerificationFailure(position: event.position, problem: "correlation index entry for \(id) at this position is missing")
        }
    }

    /// The `correlations` index (when the ledger has one) holds exactly one entry for each
    /// event that carries a correlation id, and nothing else: each event's own entry is
    /// checked with the other indexes, so a count above the events' is a stray entry, named
    /// by the lowest position it points at.
    private func checkCorrelationCount(_ correlated: Int, eventCount: UInt64, in txn: Transaction) throws {
        guard let correlations else { return }
        let entries = try txn.statistics(correlations).entries
        guard entries != correlated else { return }
        let (position, reason) = try lowestStray(in: correlations, eventCount: eventCount, txn: txn) { key, value in
            let parsed = key.withUnsafeBytes(CorrelationKeys.parse)
            guard let parsed, Self.position(value) == parsed.position else {
                return "the entry 0x\(Bytes.hex(key)) is not a correlation id and a position, pointing at that position"
            }
            let owner = try txn.get(log, key: Bytes.bigEndian(parsed.position)).map { stored in
                try stored.withUnsafeBytes { try RecordedEvent(storedValue: $0).event.correlationId }
            }
            guard owner == parsed.id else {
                return "\(parsed.id) points at position \(parsed.position), whose correlationId is \(owner.flatMap { $0.map { "\($0)" } } ?? "none")"
            }
            return nil
        }
        throw VerificationFailure(
            position: position, problem: "the correlation index holds \(entries) entries for \(correlated) events with a correlationId: \(reason)")
    }

    /// Check 10: no index entry without its event. Checks 8 and 9 found each event's own
    /// entries, so an index with more entries than the log holds strays: entries no event owns
    /// (a key of no event, or a second key pointing at an event). The failure names the lowest
    /// position a stray entry of the first such index points at (Schemas/README.md §5).
    private func checkIndexCounts(eventCount: UInt64, streamVersions: [String: UInt64], in txn: Transaction) throws {
        // By bytes: String equality is Unicode-canonical, and a key in another normalisation
        // is another key.
        var lastVersions: [[UInt8]: UInt64] = [:]
        for (stream, version) in streamVersions { lastVersions[Array(stream.utf8)] = version }
        let indexes: [(Database, String, ([UInt8], [UInt8]) throws -> String?)] = [
            (streams, "stream index", { key, _ in Self.strayStreamEntry(key: key, lastVersions: lastVersions) }),
            (eventIds, "event-id index", { key, value in try self.strayEventIdEntry(key: key, value: value, eventCount: eventCount, txn: txn) }),
        ]
        for (database, name, whyStray) in indexes {
            let entries = try txn.statistics(database).entries
            guard entries != Int(eventCount) else { continue }
            let (position, reason) = try lowestStray(in: database, eventCount: eventCount, txn: txn, whyStray: whyStray)
            throw VerificationFailure(
                position: position, problem: "the \(name) holds \(entries) entries for \(eventCount) events: \(reason)")
        }
    }

    /// The stray entry pointing at the lowest position, and why it is stray. An entry whose
    /// value is not an 8-byte position counts as pointing at the last position.
    private func lowestStray(
        in database: Database, eventCount: UInt64, txn: Transaction, whyStray: ([UInt8], [UInt8]) throws -> String?
    ) throws -> (UInt64, String) {
        var lowest: (UInt64, String)?
        try txn.withCursor(database) { cursor in
            var entry = try cursor.first()
            while let current = entry {
                let key = Array(current.key), value = Array(current.value)
                if let reason = try whyStray(key, value) {
                    let position = Self.position(value) ?? eventCount
                    if lowest == nil || position < lowest!.0 { lowest = (position, reason) }
                }
                entry = try cursor.next()
            }
        }
        return lowest ?? (eventCount, "no single stray entry found")
    }

    /// An index value: exactly 8 big-endian bytes.
    private static func position(_ value: [UInt8]) -> UInt64? {
        value.count == 8 ? Bytes.readBigEndian(value) : nil
    }

    private static func pointer(_ value: [UInt8]) -> String {
        position(value).map { "position \($0)" } ?? "the \(value.count)-byte value 0x\(Bytes.hex(value))"
    }

    /// Why a `streams` entry is none of the log's (streamId, streamVersion) keys, or `nil`.
    private static func strayStreamEntry(key: [UInt8], lastVersions: [[UInt8]: UInt64]) -> String? {
        guard let separator = key.firstIndex(of: 0), key.count - separator - 1 == 8,
            let version = Bytes.readBigEndian(Array(key[(separator + 1)...]))
        else { return "the key 0x\(Bytes.hex(key)) is not stream id, 0x00, 8-byte version" }
        let stream = Array(key[..<separator])
        let name = String(decoding: stream, as: UTF8.self).debugDescription
        guard let last = lastVersions[stream] else { return "(\(name), \(version)) names a stream with no events" }
        guard (1...last).contains(version) else { return "(\(name), \(version)) is past the stream's last version \(last)" }
        return nil
    }

    /// Why an `event-ids` entry does not belong to the event it points at, or `nil`.
    private func strayEventIdEntry(key: [UInt8], value: [UInt8], eventCount: UInt64, txn: Transaction) throws -> String? {
        guard let id = EventID(bytes: key) else { return "the key 0x\(Bytes.hex(key)) is not 16 bytes" }
        guard let position = Self.position(value) else { return "\(id) points at \(Self.pointer(value))" }
        guard position >= 1, position <= eventCount else {
            return "\(id) points at position \(position), which is not in the log (1 to \(eventCount))"
        }
        // Every event of the log passed its checks, so it decodes.
        let owner = try txn.get(log, key: Bytes.bigEndian(position)).map { stored in
            try stored.withUnsafeBytes { try RecordedEvent(storedValue: $0).eventId }
        }
        guard owner == id else { return "\(id) points at position \(position), whose eventId is \(owner.map { "\($0)" } ?? "missing")" }
        return nil
    }
}
