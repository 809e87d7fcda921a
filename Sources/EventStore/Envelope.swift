/// Who performed an action, and in which role (e.g. "Head of Procurement").
public struct ActorIdentity: Hashable, Sendable {
    public let id: String
    public let role: String
    public init(id: String, role: String) {
        self.id = id
        self.role = role
    }
}

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
        var members = contentMembers(event: event, streamId: streamId)
        members["position"] = .integer(Int64(position))
        members["streamVersion"] = .integer(Int64(streamVersion))
        members["recordedAt"] = .string(recordedAt.description)
        members["previousHash"] = .string(previousHash.hex)
        return .object(members)
    }

    /// The fields a caller chose: two appends with the same id are the same event
    /// exactly when these are equal.
    static func contentMembers(event: ProposedEvent, streamId: String) -> [String: JSONValue] {
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
        let hash = ChainHash(bytes: Array(storedValue[0..<32]))!
        let json: JSONValue
        do {
            json = try JSONValue(parsing: UnsafeRawBufferPointer(rebasing: storedValue[32...]))
        } catch {
            throw EnvelopeDecodingError("envelope is not valid JSON: \(error)")
        }
        try self.init(envelope: json, hash: hash)
    }

    static let envelopeFields: Set<String> = [
        "position", "eventId", "streamId", "streamVersion", "eventType", "schemaVersion", "recordedAt",
        "effectiveDate", "actor", "reason", "correlationId", "causationId", "payload", "previousHash",
    ]

    /// Decodes an envelope object and the hash stored with it.
    public init(envelope json: JSONValue, hash: ChainHash) throws(EnvelopeDecodingError) {
        guard case .object(let members) = json else { throw EnvelopeDecodingError("envelope is not an object") }
        let expected = Self.envelopeFields
        if members.count != expected.count || !members.keys.allSatisfy(expected.contains) {
            let keys = Set(members.keys)
            let extra = keys.subtracting(expected).sorted(), missing = expected.subtracting(keys).sorted()
            throw EnvelopeDecodingError("envelope fields differ: missing \(missing), unexpected \(extra)")
        }
        func string(_ key: String) throws(EnvelopeDecodingError) -> String {
            guard let value = members[key]?.stringValue else { throw EnvelopeDecodingError("\(key) is not a string") }
            return value
        }
        func optionalID(_ key: String) throws(EnvelopeDecodingError) -> EventID? {
            if members[key] == .null { return nil }
            guard let id = EventID(try string(key)) else { throw EnvelopeDecodingError("\(key) is not a UUID") }
            return id
        }
        func positive(_ key: String) throws(EnvelopeDecodingError) -> Int64 {
            guard let value = members[key]?.integerValue, value >= 1 else {
                throw EnvelopeDecodingError("\(key) is not an integer ≥ 1")
            }
            return value
        }
        guard let eventId = EventID(try string("eventId")) else { throw EnvelopeDecodingError("eventId is not a UUID") }
        guard let recordedAt = Timestamp(try string("recordedAt")) else {
            throw EnvelopeDecodingError("recordedAt is not YYYY-MM-DDTHH:MM:SS.mmmZ")
        }
        guard let effectiveDate = CalendarDate(try string("effectiveDate")) else {
            throw EnvelopeDecodingError("effectiveDate is not YYYY-MM-DD")
        }
        guard let previousHash = ChainHash(hex: try string("previousHash")) else {
            throw EnvelopeDecodingError("previousHash is not 64 hex digits")
        }
        guard let actorID = members["actor"]?["id"]?.stringValue, let role = members["actor"]?["role"]?.stringValue,
            members["actor"]?.objectValue?.count == 2
        else { throw EnvelopeDecodingError("actor is not {id, role}") }
        let reason: String?
        switch members["reason"] {
        case .null?: reason = nil
        case .string(let text)?: reason = text
        default: throw EnvelopeDecodingError("reason is neither a string nor null")
        }
        guard case .object = members["payload"] else { throw EnvelopeDecodingError("payload is not an object") }
        self.position = UInt64(try positive("position"))
        self.streamId = try string("streamId")
        self.streamVersion = UInt64(try positive("streamVersion"))
        self.recordedAt = recordedAt
        self.previousHash = previousHash
        self.hash = hash
        self.event = ProposedEvent(
            eventId: eventId, eventType: try string("eventType"), schemaVersion: Int(try positive("schemaVersion")),
            effectiveDate: effectiveDate, actor: ActorIdentity(id: actorID, role: role), reason: reason,
            correlationId: try optionalID("correlationId"), causationId: try optionalID("causationId"),
            payload: members["payload"]!)
    }
}

/// A stored envelope that does not match Schemas/README.md §2.
public struct EnvelopeDecodingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
