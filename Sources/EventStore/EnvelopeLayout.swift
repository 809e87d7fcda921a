import LedgerValues

/// The fast way to read a stored envelope: walk its one canonical layout.
///
/// A canonical envelope (Schemas/README.md §2–3) always has the same fourteen keys in the same
/// order, so instead of building a JSON tree and looking fields up, the reader checks each
/// key's bytes in turn and reads ids, hashes, dates and times straight from the bytes (no
/// intermediate strings). Only the payload becomes a `JSONValue`. Anything that departs
/// from the layout makes it give up (`nil`), and the general decoder then reads the envelope
/// or says exactly what is wrong with it, so this path never decides what is valid on its own.
package struct EnvelopeLayout {
    private var parser: JSONParser

    /// - Parameter canonicalOnly: also give up on anything the canonical encoder would not
    ///   have written (verify's rule), so that success means the bytes are canonical.
    static func decode(_ bytes: UnsafeRawBufferPointer, hash: ChainHash, canonicalOnly: Bool) -> RecordedEvent? {
        var layout = EnvelopeLayout(parser: JSONParser(bytes: bytes, canonicalOnly: canonicalOnly))
        var strings = RecentStrings()
        var payload = JSONValue.null
        guard let fields = try? layout.read(keepingContext: true, chained: true, strings: &strings, payload: { parser, _ in
            guard let value = try? parser.parseValue(depth: 1) else { return false }
            payload = value
            return true
        }) else { return nil }
        let context = fields.context!
        return RecordedEvent(
            position: fields.position, streamId: fields.streamId, streamVersion: fields.streamVersion, recordedAt: context.recordedAt,
            previousHash: fields.previousHash!, hash: hash,
            event: ProposedEvent(
                eventId: fields.eventId, eventType: fields.eventType, schemaVersion: Int(fields.schemaVersion), effectiveDate: fields.effectiveDate,
                actor: context.actor, reason: fields.reason, correlationId: context.correlationId,
                causationId: context.causationId, payload: payload))
    }

    /// A stored value (its hash, then its envelope) read by the layout walk with its payload read
    /// by `payload` instead of as a `JSONValue` (the caller keeps what it reads), and without its
    /// ``EnvelopeFields/Context``: what a fold that types a return straight from its bytes needs.
    /// `nil` wherever ``decode(_:hash:canonicalOnly:)`` would give up on a field it reads, where
    /// `payload` does (answering false, given the parser at the payload's brace and the event's
    /// type, or leaving the parser elsewhere than past the payload), and on an actor string that
    /// is not plain ASCII; the caller then reads the value as ``RecordedEvent``. The context's
    /// fields are stepped over, their length alone checked: reading two ids and a time that no
    /// fold uses was a tenth of the walk. Not generic, so that it runs specialised.
    /// - Parameters:
    ///   - strings: the last stream id, event type and reason read, to be given back to the next
    ///     call: consecutive events mostly share them, which then cost no new string.
    ///   - chained: read the previous event's hash, for a fold that checks each event follows
    ///     the one before (a server's); otherwise it is stepped over like the context (``EnvelopeFields/previousHash`` is `nil`).
    package static func fields(
        storedValue: UnsafeRawBufferPointer, strings: inout RecentStrings, chained: Bool = true, payload: (inout JSONParser, String) -> Bool
    ) -> (fields: EnvelopeFields, hash: ChainHash)? {
        guard storedValue.count > 32, let hash = ChainHash(prefixOf: storedValue) else { return nil }
        var layout = EnvelopeLayout(parser: JSONParser(bytes: UnsafeRawBufferPointer(rebasing: storedValue[32...])))
        guard let fields = try? layout.read(keepingContext: false, chained: chained, strings: &strings, payload: payload) else { return nil }
        return (fields, hash)
    }

    /// Why the layout was left; never shown (the general decoder explains instead).
    private struct Departure: Error {}

    private mutating func read(
        keepingContext: Bool, chained: Bool, strings: inout RecentStrings, payload readPayload: (inout JSONParser, String) -> Bool
    ) throws -> EnvelopeFields {
        try expect(#"{"actor":{"id":"#)
        let actorID = keepingContext ? try string() : try skipPlainString()
        try expect(#","role":"#)
        let role = keepingContext ? try string() : try skipPlainString()
        try expect(#"},"causationId":"#)
        let causationId = try optionalID(reading: keepingContext)
        try expect(#","correlationId":"#)
        let correlationId = try optionalID(reading: keepingContext)
        try expect(#","effectiveDate":"#)
        guard let effectiveDate = CalendarDate(utf8: try quoted(length: 10)) else { throw Departure() }
        try expect(#","eventId":"#)
        let eventId = try id()
        try expect(#","eventType":"#)
        let eventType = try recent(&strings.eventType)
        try expect(#","payload":"#)
        let payloadStart = parser.index
        guard parser.current == UInt8(ascii: "{"), readPayload(&parser, eventType), parser.index > payloadStart else { throw Departure() }
        try expect(#","position":"#)
        let position = try positive()
        try expect(#","previousHash":"#)
        let previousHashDigits = try quoted(length: 64)
        var previousHash: ChainHash?
        if chained {
            guard let hash = ChainHash(hexUTF8: UnsafeRawBufferPointer(rebasing: previousHashDigits)) else { throw Departure() }
            try requireLowercase(previousHashDigits)
            previousHash = hash
        }
        try expect(#","reason":"#)
        let reason = keepingContext ? try optionalString() : try optionalRecent(&strings.reason)
        try expect(#","recordedAt":"#)
        let recordedAtDigits = try quoted(length: 24)
        let recordedAt = keepingContext ? Timestamp(utf8: recordedAtDigits) : nil
        if keepingContext, recordedAt == nil { throw Departure() }
        try expect(#","schemaVersion":"#)
        let schemaVersion = try positive()
        try expect(#","streamId":"#)
        let streamId = try stream(&strings)
        try expect(#","streamVersion":"#)
        let streamVersion = try positive()
        try expect("}")
        guard parser.index == parser.bytes.count, parser.firstNonCanonical == nil else { throw Departure() }
        return EnvelopeFields(
            context: keepingContext
                ? EnvelopeFields.Context(
                    actor: ActorIdentity(id: actorID!, role: role!), causationId: causationId, correlationId: correlationId, recordedAt: recordedAt!)
                : nil,
            effectiveDate: effectiveDate, eventId: eventId, eventType: eventType, position: position, previousHash: previousHash, reason: reason,
            schemaVersion: schemaVersion, streamId: streamId, streamVersion: streamVersion)
    }

    /// Steps over a string of printable ASCII with no escape, which reads as itself; anything
    /// else leaves the layout (the general decoder reads escapes and checks UTF-8).
    private mutating func skipPlainString() throws -> String? {
        guard parser.current == UInt8(ascii: "\"") else { throw Departure() }
        let (end, ascii) = parser.plainRun(from: parser.index + 1)
        guard ascii, end < parser.bytes.count, parser.bytes[end] == UInt8(ascii: "\"") else { throw Departure() }
        parser.index = end + 1
        return nil
    }

    /// A string that is often the same as the last one read in its place: the same bytes give
    /// the same `String` again (a retain, where a new one of over 15 bytes is an allocation).
    private mutating func recent(_ last: inout String?) throws -> String {
        if let last, parser.skipString(spelling: last) { return last }
        let text = try string()
        last = text
        return text
    }

    /// A stream id: the last one read, or one read before with the same bytes (``RecentStrings/streams``).
    private mutating func stream(_ strings: inout RecentStrings) throws -> String {
        if let last = strings.streamId, parser.skipString(spelling: last) { return last }
        guard parser.current == UInt8(ascii: "\"") else { throw Departure() }
        let text = try parser.parseString(knownIn: &strings.streams)
        strings.streamId = text
        return text
    }

    /// ``recent(_:)`` for a string that may be `null`.
    private mutating func optionalRecent(_ last: inout String?) throws -> String? {
        if parser.current == UInt8(ascii: "n") {
            try expect("null")
            return nil
        }
        return try recent(&last)
    }

    // Inlined, so that each key's length is known where it is compared: a few loads, not a loop.
    @inline(__always)
    private mutating func expect(_ literal: StaticString) throws {
        guard parser.skip(literal) else { throw Departure() }
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

    /// `null` or an id; not `reading`, an id's 36 bytes are stepped over, unread (`nil`).
    private mutating func optionalID(reading: Bool) throws -> EventID? {
        if parser.current == UInt8(ascii: "n") {
            try expect("null")
            return nil
        }
        guard reading else {
            _ = try quoted(length: 36)
            return nil
        }
        return try id()
    }

    /// A whole number from 1 to 2^53 − 1 written as canonical JSON writes it (no sign, no
    /// leading zero, no fraction or exponent), read digit by digit: the general integer reader
    /// made a JSON value of each of an envelope's three numbers first.
    private mutating func positive() throws -> UInt64 {
        guard let first = parser.current, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { throw Departure() }
        var value = UInt64(first - UInt8(ascii: "0")), index = parser.index + 1
        while index < parser.bytes.count, case let digit = parser.bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            // 16 digits at most: below 10^16, so no overflow, and then checked against 2^53 − 1.
            guard index - parser.index < 16 else { throw Departure() }
            value = value * 10 + UInt64(digit)
            index += 1
        }
        if index < parser.bytes.count, case let next = parser.bytes[index], next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") { throw Departure() }
        guard value <= 9_007_199_254_740_991 else { throw Departure() }
        parser.index = index
        return value
    }
}

/// The envelope's fields besides its payload and hash, as the layout walk reads them.
package struct EnvelopeFields: Sendable {
    /// Who recorded the event, when, and what it followed from: `nil` when the walk was asked
    /// not to keep it (a fold reads none of it).
    package let context: Context?
    package let effectiveDate: CalendarDate
    package let eventId: EventID
    package let eventType: String
    package let position: UInt64
    /// `nil` when the walk was asked not to read it (a fold that does not check the chain).
    package let previousHash: ChainHash?
    package let reason: String?
    package let schemaVersion: UInt64
    package let streamId: String
    package let streamVersion: UInt64

    package struct Context: Sendable {
        package let actor: ActorIdentity
        package let causationId: EventID?
        package let correlationId: EventID?
        package let recordedAt: Timestamp
    }
}

/// The last stream id, event type and reason a layout walk read (``EnvelopeLayout/fields(storedValue:strings:payload:)``),
/// and the stream ids read before.
package struct RecentStrings {
    var streamId: String?
    /// Stream ids read before, each in a place given by a hash of its bytes: a reader of chunk
    /// after chunk of the log meets each contract's stream again and again, between other
    /// streams' events, and each was a new string. Two ids with one place take turns. Empty
    /// (the last id alone is kept) unless asked for: a reader of a few events would only pay
    /// for the table.
    var streams = KnownStrings()
    var eventType: String?
    /// Runs of events recorded together (a batch, an import, a generator) often give one reason.
    var reason: String?

    /// - Parameter keepingStreams: keep the stream ids read before (``streams``), for a reader
    ///   of the whole log.
    package init(keepingStreams: Bool = false) {
        if keepingStreams { streams = KnownStrings(places: 8_192) }
    }
}
