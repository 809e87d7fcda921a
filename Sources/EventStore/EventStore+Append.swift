import LedgerValues
import LMDB

/// Events for one stream, appended together.
public struct StreamAppend: Sendable {
    public var streamId: String
    public var expectedVersion: ExpectedVersion
    public var events: [ProposedEvent]

    public init(streamId: String, expectedVersion: ExpectedVersion = .any, events: [ProposedEvent]) {
        self.streamId = streamId
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

/// Where an append put its events.
public struct AppendResult: Sendable, Equatable {
    /// The position of each event, in the order given.
    public let positions: [UInt64]
    /// True when every event had been recorded before with the same content: nothing was written.
    public let wasAlreadyRecorded: Bool
    public let head: LedgerHead
}

extension EventStore {
    /// Appends `events` to `stream` in one atomic, durable transaction.
    /// - Throws: ``EventStoreError`` (conflict, reused id, invalid input), leaving the ledger unchanged.
    @discardableResult
    public func append(
        _ events: [ProposedEvent], to stream: String, expecting expectedVersion: ExpectedVersion = .any
    ) throws -> AppendResult {
        try append([StreamAppend(streamId: stream, expectedVersion: expectedVersion, events: events)])
    }

    /// Appends events to one or more streams in one atomic, durable transaction: all are
    /// recorded, or none. This is the bulk path too: put many events in one call.
    ///
    /// If every event id was recorded before with identical content, nothing is written and
    /// the original positions are returned (an idempotent retry).
    ///
    /// - Parameter within: runs inside the same write transaction after the events are
    ///   placed, before commit, so that read models stay in step with the log. If it throws,
    ///   nothing is written.
    /// - Throws: ``EventStoreError`` or what `within` throws; the ledger is then unchanged.
    @discardableResult
    public func append(
        _ batch: [StreamAppend],
        within: ((LedgerReader, [RecordedEvent]) throws -> Void)? = nil
    ) throws -> AppendResult {
        // Refused before any transaction begins: a clock out of range first, then malformed input.
        let now = clock()
        guard Timestamp.recordable.contains(now) else { throw EventStoreError.clockOutOfRange(now) }
        try validate(batch)
        return try append(planning: { _ in (batch, ()) }, within: within).result
    }

    /// Decides what to append and appends it in one write transaction: `plan` reads the ledger
    /// as this transaction sees it (LMDB has one writer at a time, across processes), so what
    /// it decided from cannot change before its events are recorded. A command decided here is
    /// never refused afterwards for a conflict with a write made in between, and a request
    /// looked up here (``LedgerReader/positions(correlatedBy:)``) cannot be recorded twice by
    /// two processes.
    ///
    /// `plan` may be run more than once (when the map grows, the transaction starts again), so
    /// it must depend only on what it reads. When it appends nothing, nothing is written.
    /// - Returns: where the events went, and what `plan` returned beside them.
    ///
    /// A ledger that follows a primary records nothing of its own
    /// (``EventStoreError/followerRecordsNothing(primary:)``), but for the event that promotes it
    /// (`promoting`), whose `within` stops it following.
    public func append<Plan>(
        planning plan: (LedgerReader) throws -> (appends: [StreamAppend], plan: Plan),
        within: ((LedgerReader, [RecordedEvent]) throws -> Void)? = nil,
        promoting: Bool = false
    ) throws -> (result: AppendResult, plan: Plan) {
        let now = clock()
        guard Timestamp.recordable.contains(now) else { throw EventStoreError.clockOutOfRange(now) }
        let result = try environment.write { txn in
            let reader = LedgerReader(store: self, transaction: txn)
            if !promoting, let primary = try reader.followedPrimary() { throw EventStoreError.followerRecordsNothing(primary: primary) }
            let (batch, planned) = try plan(reader)
            if batch.allSatisfy({ $0.events.isEmpty }) {
                return (AppendResult(positions: [], wasAlreadyRecorded: false, head: try reader.head()), now, planned)
            }
            try validate(batch)
            if let original = try previouslyRecorded(batch, reader: reader) {
                return (AppendResult(positions: original, wasAlreadyRecorded: true, head: try reader.head()), now, planned)
            }
            var head = try reader.head()
            // recordedAt never goes backwards, even if the wall clock does.
            let remembered = lastWritten.withLock { $0 }
            let lastRecordedAt = remembered?.head == head ? remembered?.recordedAt : try reader.event(at: head.position)?.recordedAt
            if let lastRecordedAt, lastRecordedAt.millisecondsSinceEpoch - now.millisecondsSinceEpoch > Self.clockToleranceMilliseconds,
                !acceptsLedgerTimeAhead
            {
                throw EventStoreError.clockBehindLedger(lastRecordedAt: lastRecordedAt, now: now)
            }
            let recordedAt = max(now, lastRecordedAt ?? now)
            var streamVersions: [String: UInt64] = [:]
            var recorded: [RecordedEvent] = []
            for append in batch {
                let current = try streamVersions[append.streamId] ?? reader.streamVersion(append.streamId)
                guard append.expectedVersion.admits(currentVersion: current) else {
                    throw EventStoreError.wrongExpectedVersion(
                        stream: append.streamId, expected: append.expectedVersion, actual: current)
                }
                var version = current
                for event in append.events {
                    version += 1
                    let position = head.position + 1
                    let canonical = RecordedEvent.envelope(
                        event: event, streamId: append.streamId, position: position, streamVersion: version,
                        recordedAt: recordedAt, previousHash: head.hash
                    ).canonicalBytes
                    let hash = ChainHash.link(previous: head.hash, canonical: canonical)
                    let meant = RecordedEvent(
                        position: position, streamId: append.streamId, streamVersion: version,
                        recordedAt: recordedAt, previousHash: head.hash, hash: hash, event: event)
                    try Self.checkReadsBack(canonical, hash: hash, as: meant)
                    try place(canonical, as: meant, in: txn)
                    recorded.append(meant)
                    head = LedgerHead(position: position, hash: hash)
                }
                streamVersions[append.streamId] = version
            }
            try txn.put(meta, key: Array("head".utf8), value: head.storedBytes)
            try within?(reader, recorded)
            return (AppendResult(positions: recorded.map(\.position), wasAlreadyRecorded: false, head: head), recordedAt, planned)
        }
        // Remembered only once committed.
        if !result.0.wasAlreadyRecorded, !result.0.positions.isEmpty { lastWritten.withLock { $0 = (result.0.head, result.1) } }
        return (result.0, result.2)
    }

    /// Writes the entries of one event: the log, the Merkle tree, and the stream, event-id and
    /// correlation indexes (Schemas/README.md §1), in the caller's write transaction. The log
    /// entry is appended (`MDB_APPEND`), so a position out of order fails, as does an event id
    /// or stream version already there (`MDB_NOOVERWRITE`).
    func place(_ canonical: [UInt8], as event: RecordedEvent, in txn: Transaction) throws {
        let position = event.position
        try txn.put(log, key: Bytes.bigEndian(position), value: event.hash.bytes + canonical, flags: .append)
        if let merkle { try canonical.withUnsafeBytes { try Self.addLeaf($0, position: position, to: merkle, in: txn) } }
        try txn.put(
            streams, key: StreamKeys.key(stream: event.streamId, version: event.streamVersion),
            value: Bytes.bigEndian(position), flags: .noOverwrite)
        try txn.put(eventIds, key: event.eventId.bytes, value: Bytes.bigEndian(position), flags: .noOverwrite)
        if let correlations, let id = event.event.correlationId {
            try txn.put(correlations, key: CorrelationKeys.key(id, position: position), value: Bytes.bigEndian(position), flags: .noOverwrite)
        }
    }

    /// The original positions when every event of `batch` is already recorded with the same
    /// content; `nil` when none is.
    /// - Throws: ``EventStoreError/eventIdReused(_:position:)`` or ``EventStoreError/partialRetry(recorded:new:)``.
    private func previouslyRecorded(_ batch: [StreamAppend], reader: LedgerReader) throws -> [UInt64]? {
        var positions: [UInt64] = []
        var recordedIds: [EventID] = []
        var newIds: [EventID] = []
        for append in batch {
            for event in append.events {
                guard let position = try reader.position(of: event.eventId) else {
                    newIds.append(event.eventId)
                    continue
                }
                guard let stored = try reader.event(at: position),
                    RecordedEvent.contentMembers(event: stored.event, streamId: stored.streamId)
                        == RecordedEvent.contentMembers(event: event, streamId: append.streamId)
                else { throw EventStoreError.eventIdReused(event.eventId, position: position) }
                positions.append(position)
                recordedIds.append(event.eventId)
            }
        }
        if recordedIds.isEmpty { return nil }
        if !newIds.isEmpty { throw EventStoreError.partialRetry(recorded: recordedIds, new: newIds) }
        return positions
    }

    /// Decodes the bytes about to be stored with the reader's decoder: what the write path
    /// writes, the read path must read back as the same event (a time past year 9999 once
    /// wrote `0000-01-01`, which no reader accepted).
    private static func checkReadsBack(_ canonical: [UInt8], hash: ChainHash, as meant: RecordedEvent) throws {
        let decoded: RecordedEvent
        do {
            decoded = try canonical.withUnsafeBytes { bytes throws(EnvelopeDecodingError) in try RecordedEvent(canonical: bytes, hash: hash) }
        } catch {
            throw EventStoreError.envelopeDoesNotReadBack(position: meant.position, reason: "\(error)")
        }
        guard decoded == meant else {
            throw EventStoreError.envelopeDoesNotReadBack(position: meant.position, reason: "it decodes to a different event")
        }
    }

    /// Rejects malformed input before any transaction begins.
    private func validate(_ batch: [StreamAppend]) throws {
        var seen = Set<EventID>()
        for append in batch {
            if let problem = StreamKeys.problem(with: append.streamId) {
                throw EventStoreError.invalidStreamId(append.streamId, reason: problem)
            }
            for event in append.events {
                guard seen.insert(event.eventId).inserted else { throw EventStoreError.duplicateEventIdInBatch(event.eventId) }
                if let problem = Self.problem(with: event) { throw EventStoreError.invalidEvent(event.eventId, reason: problem) }
            }
        }
    }

    static func problem(with event: ProposedEvent) -> String? {
        if event.eventType.isEmpty || event.eventType.utf8.count > 100 { return "event type must be 1 to 100 bytes" }
        if event.schemaVersion < 1 { return "schema version must be at least 1" }
        if !(1000...9999).contains(event.effectiveDate.year) { return "effective date \(event.effectiveDate.year) is outside the years 1000 to 9999" }
        if event.actor.id.isEmpty { return "actor id is empty" }
        if event.actor.role.isEmpty { return "actor role is empty" }
        guard case .object = event.payload else { return "payload must be a JSON object" }
        if !Self.integersAreSafe(event.payload) { return "payload holds an integer beyond ±(2^53 − 1)" }
        return nil
    }

    private static func integersAreSafe(_ value: JSONValue) -> Bool {
        switch value {
        case .integer(let number): number.magnitude <= JSONValue.maxSafeInteger.magnitude
        case .array(let elements): elements.allSatisfy(integersAreSafe)
        case .object(let members): members.values.allSatisfy(integersAreSafe)
        default: true
        }
    }
}
