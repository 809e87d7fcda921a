import LedgerValues

/// An event as a caller proposes it, before the store gives it a place in the log.
public struct ProposedEvent: Hashable, Sendable {
    /// Chosen by the caller, so that a retry of the same append is recognised.
    public var eventId: EventID
    public var eventType: String
    public var schemaVersion: Int
    public var effectiveDate: CalendarDate
    public var actor: ActorIdentity
    public var reason: String?
    public var correlationId: EventID?
    public var causationId: EventID?
    public var payload: JSONValue

    public init(
        eventId: EventID = .generate(), eventType: String, schemaVersion: Int = 1,
        effectiveDate: CalendarDate, actor: ActorIdentity, reason: String? = nil,
        correlationId: EventID? = nil, causationId: EventID? = nil, payload: JSONValue = [:]
    ) {
        self.eventId = eventId
        self.eventType = eventType
        self.schemaVersion = schemaVersion
        self.effectiveDate = effectiveDate
        self.actor = actor
        self.reason = reason
        self.correlationId = correlationId
        self.causationId = causationId
        self.payload = payload
    }
}

/// An event as stored: its envelope (Schemas/README.md §2) and its hash.
public struct RecordedEvent: Hashable, Sendable {
    public let position: UInt64
    public let streamId: String
    public let streamVersion: UInt64
    public let recordedAt: Timestamp
    public let previousHash: ChainHash
    public let hash: ChainHash
    public let event: ProposedEvent

    public init(
        position: UInt64, streamId: String, streamVersion: UInt64, recordedAt: Timestamp,
        previousHash: ChainHash, hash: ChainHash, event: ProposedEvent
    ) {
        self.position = position
        self.streamId = streamId
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
        self.previousHash = previousHash
        self.hash = hash
        self.event = event
    }

    public var eventId: EventID { event.eventId }
    public var eventType: String { event.eventType }
    public var payload: JSONValue { event.payload }

    /// The envelope as JSON, without `hash`: what the canonical bytes encode.
    public var envelope: JSONValue {
        Self.envelope(
            event: event, streamId: streamId, position: position, streamVersion: streamVersion,
            recordedAt: recordedAt, previousHash: previousHash)
    }

    /// The envelope with `hash` added, as exported (Schemas/README.md §6).
    public var exportedEnvelope: JSONValue {
        guard case .object(var members) = envelope else { return envelope }
        members["hash"] = .string(hash.hex)
        return .object(members)
    }

    static func envelope(
        event: ProposedEvent, streamId: String, position: UInt64, streamVersion: UInt64,
        recordedAt: Timestamp, previousHash: ChainHash
    ) -> JSONValue {
        // Built directly in canonical key order (the order of `envelopeFields`).
        let members: [JSONObject.Member] = [
            .init(key: "actor", value: .object(["id": .string(event.actor.id), "role": .string(event.actor.role)])),
            .init(key: "causationId", value: event.causationId.map { .string($0.description) } ?? .null),
            .init(key: "correlationId", value: event.correlationId.map { .string($0.description) } ?? .null),
            .init(key: "effectiveDate", value: .string(event.effectiveDate.description)),
            .init(key: "eventId", value: .string(event.eventId.description)),
            .init(key: "eventType", value: .string(event.eventType)),
            .init(key: "payload", value: event.payload),
            .init(key: "position", value: .integer(Int64(position))),
            .init(key: "previousHash", value: .string(previousHash.hex)),
            .init(key: "reason", value: event.reason.map { .string($0) } ?? .null),
            .init(key: "recordedAt", value: .string(recordedAt.description)),
            .init(key: "schemaVersion", value: .integer(Int64(event.schemaVersion))),
            .init(key: "streamId", value: .string(streamId)),
            .init(key: "streamVersion", value: .integer(Int64(streamVersion))),
        ]
        return .object(JSONObject(sorted: members))
    }

    /// The fields a caller chose: two appends with the same id are the same event
    /// exactly when these are equal.
    static func contentMembers(event: ProposedEvent, streamId: String) -> JSONObject {
        [
            "eventId": .string(event.eventId.description),
            "streamId": .string(streamId),
            "eventType": .string(event.eventType),
            "schemaVersion": .integer(Int64(event.schemaVersion)),
            "effectiveDate": .string(event.effectiveDate.description),
            "actor": ["id": .string(event.actor.id), "role": .string(event.actor.role)],
            "reason": event.reason.map { .string($0) } ?? .null,
            "correlationId": event.correlationId.map { .string($0.description) } ?? .null,
            "causationId": event.causationId.map { .string($0.description) } ?? .null,
            "payload": event.payload,
        ]
    }

    // MARK: - Decoding a stored value

    /// Decodes a `log` value: 32 hash bytes, then the canonical envelope.
    /// - Throws: ``EnvelopeDecodingError`` naming what is malformed.
    public init(storedValue: UnsafeRawBufferPointer) throws(EnvelopeDecodingError) {
        guard storedValue.count > 32 else { throw EnvelopeDecodingError("stored value is only \(storedValue.count) bytes") }
        try self.init(canonical: UnsafeRawBufferPointer(rebasing: storedValue[32...]), hash: ChainHash(prefixOf: storedValue)!)
    }

    /// Decodes canonical envelope bytes stored with `hash`: by walking the canonical layout,
    /// or, for anything off it, by the general decoder, which names what is malformed.
    public init(canonical: UnsafeRawBufferPointer, hash: ChainHash) throws(EnvelopeDecodingError) {
        if let event = EnvelopeLayout.decode(canonical, hash: hash, canonicalOnly: false) {
            self = event
            return
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: canonical)
        } catch {
            throw EnvelopeDecodingError("envelope is not valid JSON: \(error)")
        }
        try self.init(envelope: json, hash: hash)
    }

    /// The envelope's fields in canonical (byte-wise) order: a stored envelope has exactly
    /// these, in this order, so decoding reads them by position.
    static let envelopeFields = [
        "actor", "causationId", "correlationId", "effectiveDate", "eventId", "eventType", "payload",
        "position", "previousHash", "reason", "recordedAt", "schemaVersion", "streamId", "streamVersion",
    ]

    /// Decodes an envelope object and the hash stored with it.
    public init(envelope json: JSONValue, hash: ChainHash) throws(EnvelopeDecodingError) {
        guard case .object(let object) = json else { throw EnvelopeDecodingError("envelope is not an object") }
        let expected = Self.envelopeFields
        guard object.count == expected.count, zip(object, expected).allSatisfy({ $0.key == $1 }) else {
            let keys = Set(object.keys), fields = Set(expected)
            let extra = keys.subtracting(fields).sorted(), missing = fields.subtracting(keys).sorted()
            throw EnvelopeDecodingError("envelope fields differ: missing \(missing), unexpected \(extra)")
        }
        let members = object.members
        func string(_ index: Int) throws(EnvelopeDecodingError) -> String {
            guard let value = members[index].value.stringValue else { throw EnvelopeDecodingError("\(expected[index]) is not a string") }
            return value
        }
        func optionalID(_ index: Int) throws(EnvelopeDecodingError) -> EventID? {
            if members[index].value == .null { return nil }
            guard let id = EventID(try string(index)) else { throw EnvelopeDecodingError("\(expected[index]) is not a UUID") }
            return id
        }
        func positive(_ index: Int) throws(EnvelopeDecodingError) -> Int64 {
            guard let value = members[index].value.integerValue, value >= 1 else {
                throw EnvelopeDecodingError("\(expected[index]) is not an integer ≥ 1")
            }
            return value
        }
        guard let actor = members[0].value.objectValue, actor.count == 2, let actorID = actor["id"]?.stringValue,
            let role = actor["role"]?.stringValue
        else { throw EnvelopeDecodingError("actor is not {id, role}") }
        guard let effectiveDate = CalendarDate(try string(3)) else {
            throw EnvelopeDecodingError("effectiveDate is not YYYY-MM-DD")
        }
        guard let eventId = EventID(try string(4)) else { throw EnvelopeDecodingError("eventId is not a UUID") }
        guard case .object = members[6].value else { throw EnvelopeDecodingError("payload is not an object") }
        guard let previousHash = ChainHash(hex: try string(8)) else {
            throw EnvelopeDecodingError("previousHash is not 64 hex digits")
        }
        let reason: String?
        switch members[9].value {
        case .null: reason = nil
        case .string(let text): reason = text
        default: throw EnvelopeDecodingError("reason is neither a string nor null")
        }
        guard let recordedAt = Timestamp(try string(10)) else {
            throw EnvelopeDecodingError("recordedAt is not YYYY-MM-DDTHH:MM:SS.mmmZ")
        }
        self.position = UInt64(try positive(7))
        self.streamId = try string(12)
        self.streamVersion = UInt64(try positive(13))
        self.recordedAt = recordedAt
        self.previousHash = previousHash
        self.hash = hash
        self.event = ProposedEvent(
            eventId: eventId, eventType: try string(5), schemaVersion: Int(try positive(11)),
            effectiveDate: effectiveDate, actor: ActorIdentity(id: actorID, role: role), reason: reason,
            correlationId: try optionalID(2), causationId: try optionalID(1), payload: members[6].value)
    }
}

/// A stored envelope that does not match Schemas/README.md §2.
public struct EnvelopeDecodingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
