import LedgerValues
import LMDB

/// The first thing found wrong by ``EventStore/verify(expectedHead:progress:)``.
public struct VerificationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first position that is wrong (for index and head problems, the position concerned).
    public let position: UInt64
    public let problem: String
    public var description: String { "position \(position): \(problem)" }
}

/// What a clean verification saw.
public struct VerificationReport: Sendable, Equatable {
    public let eventCount: UInt64
    public let streamCount: Int
    public let head: LedgerHead

    public init(eventCount: UInt64, streamCount: Int, head: LedgerHead) {
        self.eventCount = eventCount
        self.streamCount = streamCount
        self.head = head
    }
}

extension EventStore {
    /// Walks the whole log and its indexes and checks every rule of Schemas/README.md §5:
    /// contiguous positions, canonical envelopes, the hash chain, non-decreasing
    /// `recordedAt`, contiguous stream versions, both indexes entry for entry, and the head.
    ///
    /// - Parameters:
    ///   - expectedHead: a head hash written down earlier, which the computed head must equal.
    ///   - progress: called every 100,000 events with the position reached.
    ///   - visit: called with each event once it has passed its checks, so that a caller can
    ///     fold the log in the same pass instead of reading it again.
    ///   - finally: called at the end inside the same read snapshot, e.g. to compare read
    ///     models with what `visit` folded.
    /// - Throws: ``VerificationFailure`` naming the first bad position, or what the closures throw.
    public func verify(
        expectedHead: ChainHash? = nil, progress: ((UInt64) -> Void)? = nil,
        visit: ((RecordedEvent) throws -> Void)? = nil,
        finally: ((LedgerReader, VerificationReport) throws -> Void)? = nil
    ) throws -> VerificationReport {
        try read { reader in
            let txn = reader.transaction
            var previous = LedgerHead.empty
            var previousRecordedAt: Timestamp?
            var streamVersions: [String: UInt64] = [:]
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
                    try visit?(event)
                    streamVersions[event.streamId] = event.streamVersion
                    previousRecordedAt = event.recordedAt
                    previous = LedgerHead(position: position, hash: event.hash)
                    if position % 100_000 == 0 { progress?(position) }
                    entry = try cursor.next()
                }
            }
            try checkIndexCounts(eventCount: previous.position, in: txn)
            let recordedHead = try reader.head()
            guard recordedHead == previous else {
                throw VerificationFailure(
                    position: max(recordedHead.position, previous.position),
                    problem: "the recorded head (\(recordedHead.position), \(recordedHead.hash.hex)) does not match the log, which ends at (\(previous.position), \(previous.hash.hex)): the log was truncated or the head altered")
            }
            if let expectedHead, expectedHead != previous.hash {
                throw VerificationFailure(
                    position: previous.position,
                    problem: "head hash \(previous.hash.hex) differs from the expected \(expectedHead.hex)")
            }
            let report = VerificationReport(eventCount: previous.position, streamCount: streamVersions.count, head: previous)
            try finally?(reader, report)
            return report
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
    }

    /// Check 10: no index entry without its event.
    private func checkIndexCounts(eventCount: UInt64, in txn: Transaction) throws {
        for (database, name) in [(streams, "stream index"), (eventIds, "event-id index")] {
            let entries = try txn.statistics(database).entries
            guard entries == Int(eventCount) else {
                let stray = try firstStrayPosition(in: database, beyond: eventCount, txn: txn)
                throw VerificationFailure(
                    position: stray ?? eventCount + 1,
                    problem: "the \(name) holds \(entries) entries for \(eventCount) events\(stray.map { ": an entry points at position \($0)" } ?? "")")
            }
        }
    }

    private func firstStrayPosition(in database: Database, beyond last: UInt64, txn: Transaction) throws -> UInt64? {
        try txn.withCursor(database) { cursor in
            var entry = try cursor.first()
            var smallest: UInt64?
            while let current = entry {
                if let position = Bytes.readBigEndian(current.value), position > last {
                    smallest = min(smallest ?? position, position)
                }
                entry = try cursor.next()
            }
            return smallest
        }
    }
}
