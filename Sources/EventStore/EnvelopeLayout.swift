#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fast way to read a stored envelope: walk its one canonical layout.
///
/// A canonical envelope (Schemas/README.md §2–3) always has the same fourteen keys in the same
/// order, so instead of building a JSON tree and looking fields up, the reader checks each
/// key's bytes in turn and reads ids, hashes, dates and times straight from the bytes (no
/// intermediate strings). Only the payload becomes a `JSONValue`. Anything that departs
/// from the layout makes it give up (`nil`), and the general decoder then reads the envelope
/// or says exactly what is wrong with it, so this path never decides what is valid on its own.
struct EnvelopeLayout {
    private var parser: JSONParser
    private var repeats: RepeatedStrings

    /// - Parameters:
    ///   - canonicalOnly: also give up on anything the canonical encoder would not have
    ///     written (verify's rule), so that success means the bytes are canonical.
    ///   - repeats: the strings of the envelope read before, when reading many in a row.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, hash: ChainHash, canonicalOnly: Bool, repeats: inout RepeatedStrings
    ) -> RecordedEvent? {
        // Swapped in and out rather than copied, so that the strings are never shared and
        // replacing one frees the old at once.
        var layout = EnvelopeLayout(parser: JSONParser(bytes: bytes, canonicalOnly: canonicalOnly), repeats: RepeatedStrings())
        swap(&layout.repeats, &repeats)
        defer { swap(&layout.repeats, &repeats) }
        return try? layout.read(hash: hash)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, hash: ChainHash, canonicalOnly: Bool) -> RecordedEvent? {
        var repeats = RepeatedStrings()
        return decode(bytes, hash: hash, canonicalOnly: canonicalOnly, repeats: &repeats)
    }

    /// Why the layout was left; never shown (the general decoder explains instead).
    private struct Departure: Error {}

    private mutating func read(hash: ChainHash) throws -> RecordedEvent {
        try expect(#"{"actor":{"id":"#)
        let actorID = try string(.actorID)
        try expect(#","role":"#)
        let role = try string(.role)
        try expect(#"},"causationId":"#)
        let causationId = try optionalID()
        try expect(#","correlationId":"#)
        let correlationId = try optionalID()
        try expect(#","effectiveDate":"#)
        guard let effectiveDate = CalendarDate(utf8: try quoted(length: 10)) else { throw Departure() }
        try expect(#","eventId":"#)
        let eventId = try id()
        try expect(#","eventType":"#)
        let eventType = try string(.eventType)
        try expect(#","payload":"#)
        guard parser.current == UInt8(ascii: "{") else { throw Departure() }
        let payload = try parser.parseValue(depth: 1)
        try expect(#","position":"#)
        let position = try positive()
        try expect(#","previousHash":"#)
        guard let previousHash = ChainHash(hexUTF8: UnsafeRawBufferPointer(rebasing: try quoted(length: 64))) else { throw Departure() }
        try expect(#","reason":"#)
        let reason = try optionalString(.reason)
        try expect(#","recordedAt":"#)
        guard let recordedAt = Timestamp(utf8: try quoted(length: 24)) else { throw Departure() }
        try expect(#","schemaVersion":"#)
        let schemaVersion = try positive()
        try expect(#","streamId":"#)
        let streamId = try string(.streamId)
        try expect(#","streamVersion":"#)
        let streamVersion = try positive()
        try expect("}")
        guard parser.index == parser.bytes.count, parser.firstNonCanonical == nil else { throw Departure() }
        return RecordedEvent(
            position: position, streamId: streamId, streamVersion: streamVersion, recordedAt: recordedAt,
            previousHash: previousHash, hash: hash,
            event: ProposedEvent(
                eventId: eventId, eventType: eventType, schemaVersion: Int(schemaVersion), effectiveDate: effectiveDate,
                actor: ActorIdentity(id: actorID, role: role), reason: reason, correlationId: correlationId,
                causationId: causationId, payload: payload))
    }

    private mutating func expect(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard parser.index + count <= parser.bytes.count else { throw Departure() }
        guard memcmp(literal.utf8Start, parser.bytes.baseAddress! + parser.index, count) == 0 else { throw Departure() }
        parser.index += count
    }

    /// A string field: the previous envelope's value for it when the bytes repeat it exactly
    /// (sharing its storage, no allocation), else parsed.
    private mutating func string(_ field: RepeatedStrings.Field) throws -> String {
        guard parser.current == UInt8(ascii: "\"") else { throw Departure() }
        if let length = repeats.length(field), parser.index + length + 1 < parser.bytes.count,
            parser.bytes[parser.index + length + 1] == UInt8(ascii: "\""),
            repeats.matches(field, UnsafeRawBufferPointer(rebasing: parser.bytes[parser.index + 1..<parser.index + 1 + length]))
        {
            parser.index += length + 2
            return repeats.value(field)
        }
        let value = try parser.parseString()
        repeats.remember(value, for: field)
        return value
    }

    private mutating func optionalString(_ field: RepeatedStrings.Field) throws -> String? {
        if parser.current == UInt8(ascii: "n") {
            try expect("null")
            return nil
        }
        return try string(field)
    }

    /// The bytes between quotes of a string of exactly `length` ASCII characters.
    private mutating func quoted(length: Int) throws -> Slice<UnsafeRawBufferPointer> {
        let start = parser.index + 1, end = start + length
        guard end < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "\""),
            parser.bytes[end] == UInt8(ascii: "\"")
        else { throw Departure() }
        parser.index = end + 1
        return parser.bytes[start..<end]
    }

    private mutating func id() throws -> EventID {
        guard let id = EventID.parse(try quoted(length: 36)) else { throw Departure() }
        return id
    }

    private mutating func optionalID() throws -> EventID? {
        if parser.current == UInt8(ascii: "n") {
            try expect("null")
            return nil
        }
        return try id()
    }

    private mutating func positive() throws -> UInt64 {
        guard case .integer(let value) = try parser.parseInteger(), value >= 1 else { throw Departure() }
        return UInt64(value)
    }
}

/// The envelope strings that repeat from one event to the next in a batch (who acted, in what
/// role, why, what type of event, which stream), kept from the envelope read before so that
/// a run of events shares one copy of each instead of allocating it again.
struct RepeatedStrings {
    enum Field: Int, CaseIterable { case actorID, role, eventType, reason, streamId }

    /// A value, and its UTF-8 length when its bytes are exactly its stored form (nothing that
    /// needs an escape): only then can raw bytes be compared with it.
    private struct Slot {
        var value = ""
        var plainLength: Int?
    }

    private var slots = (Slot(), Slot(), Slot(), Slot(), Slot())

    private subscript(field: Field) -> Slot {
        get {
            switch field {
            case .actorID: slots.0
            case .role: slots.1
            case .eventType: slots.2
            case .reason: slots.3
            case .streamId: slots.4
            }
        }
        set {
            switch field {
            case .actorID: slots.0 = newValue
            case .role: slots.1 = newValue
            case .eventType: slots.2 = newValue
            case .reason: slots.3 = newValue
            case .streamId: slots.4 = newValue
            }
        }
    }

    func value(_ field: Field) -> String { self[field].value }

    func length(_ field: Field) -> Int? { self[field].plainLength }

    func matches(_ field: Field, _ bytes: UnsafeRawBufferPointer) -> Bool {
        self[field].value.utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.count == bytes.count && (utf8.count == 0 || memcmp(utf8.baseAddress!, bytes.baseAddress!, utf8.count) == 0)
        } ?? false
    }

    mutating func remember(_ value: String, for field: Field) {
        let plain = value.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        self[field] = Slot(value: value, plainLength: plain ? value.utf8.count : nil)
    }
}
