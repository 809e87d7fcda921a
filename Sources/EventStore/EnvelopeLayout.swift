import LedgerValues
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

    /// - Parameter canonicalOnly: also give up on anything the canonical encoder would not
    ///   have written (verify's rule), so that success means the bytes are canonical.
    static func decode(_ bytes: UnsafeRawBufferPointer, hash: ChainHash, canonicalOnly: Bool) -> RecordedEvent? {
        var layout = EnvelopeLayout(parser: JSONParser(bytes: bytes, canonicalOnly: canonicalOnly))
        return try? layout.read(hash: hash)
    }

    /// Why the layout was left; never shown (the general decoder explains instead).
    private struct Departure: Error {}

    private mutating func read(hash: ChainHash) throws -> RecordedEvent {
        try expect(#"{"actor":{"id":"#)
        let actorID = try string()
        try expect(#","role":"#)
        let role = try string()
        try expect(#"},"causationId":"#)
        let causationId = try optionalID()
        try expect(#","correlationId":"#)
        let correlationId = try optionalID()
        try expect(#","effectiveDate":"#)
        guard let effectiveDate = CalendarDate(utf8: try quoted(length: 10)) else { throw Departure() }
        try expect(#","eventId":"#)
        let eventId = try id()
        try expect(#","eventType":"#)
        let eventType = try string()
        try expect(#","payload":"#)
        guard parser.current == UInt8(ascii: "{") else { throw Departure() }
        let payload = try parser.parseValue(depth: 1)
        try expect(#","position":"#)
        let position = try positive()
        try expect(#","previousHash":"#)
        let previousHashDigits = try quoted(length: 64)
        guard let previousHash = ChainHash(hexUTF8: UnsafeRawBufferPointer(rebasing: previousHashDigits)) else { throw Departure() }
        try requireLowercase(previousHashDigits)
        try expect(#","reason":"#)
        let reason = try optionalString()
        try expect(#","recordedAt":"#)
        guard let recordedAt = Timestamp(utf8: try quoted(length: 24)) else { throw Departure() }
        try expect(#","schemaVersion":"#)
        let schemaVersion = try positive()
        try expect(#","streamId":"#)
        let streamId = try string()
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

    private mutating func string() throws -> String {
        guard parser.current == UInt8(ascii: "\"") else { throw Departure() }
        return try parser.parseString()
    }

    private mutating func optionalString() throws -> String? {
        if parser.current == UInt8(ascii: "n") {
            try expect("null")
            return nil
        }
        return try string()
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
        let text = try quoted(length: 36)
        guard let id = EventID.parse(text) else { throw Departure() }
        try requireLowercase(text)
        return id
    }

    /// Ids and hashes are written in lowercase hex (Schemas/README.md §2); the hex readers
    /// take either case, so in canonical-only mode an uppercase digit leaves the layout.
    private func requireLowercase(_ digits: Slice<UnsafeRawBufferPointer>) throws {
        guard parser.canonicalOnly else { return }
        for byte in digits where byte &- UInt8(ascii: "A") < 6 { throw Departure() }
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
