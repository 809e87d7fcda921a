@testable import EventStore
import LedgerValues
import Testing

/// The layout walk (`EnvelopeLayout`) must read exactly what the general decoder reads, and
/// leave to it whatever departs from the one canonical layout.
@Suite("Envelope layout")
struct EnvelopeLayoutTests {
    static let hash = ChainHash(bytes: [UInt8](repeating: 7, count: 32))!

    /// Envelopes covering every optional field both ways, escapes, non-ASCII and nested payloads.
    static func envelopes() -> [JSONValue] {
        let plain = ProposedEvent(
            eventType: "NoteRecorded", effectiveDate: CalendarDate("2025-04-01")!, actor: ActorIdentity(id: "a", role: "r"),
            payload: [:])
        let full = ProposedEvent(
            eventType: "DeliveryCorrected", schemaVersion: 3, effectiveDate: CalendarDate("2026-03-31")!,
            actor: ActorIdentity(id: "jane.doe@lancashire.gov.uk", role: "Supplier \"Lead\" — £"),
            reason: "line\nbreak \\ and é", correlationId: .generate(), causationId: .generate(),
            payload: ["lines": [["measure": "NT1", "quantity": "12.5"], ["measure": "NT10", "quantity": "0"]], "corrects": "x", "n": -3, "t": true, "z": .null])
        return [plain, full].enumerated().map { offset, event in
            RecordedEvent.envelope(
                event: event, streamId: "contract/SYN-\(offset)", position: UInt64(offset + 1), streamVersion: UInt64(offset + 9),
                recordedAt: Timestamp("2026-11-22T04:05:06.789Z")!, previousHash: Self.hash)
        }
    }

    func general(_ bytes: [UInt8]) throws -> RecordedEvent {
        try RecordedEvent(envelope: try JSONValue(parsing: bytes), hash: Self.hash)
    }

    func layout(_ bytes: [UInt8], canonicalOnly: Bool) -> RecordedEvent? {
        bytes.withUnsafeBytes { EnvelopeLayout.decode($0, hash: Self.hash, canonicalOnly: canonicalOnly) }
    }

    @Test("canonical envelopes read the same by the layout walk as by the general decoder")
    func agreesWithGeneralDecoder() throws {
        for envelope in Self.envelopes() {
            let bytes = envelope.canonicalBytes
            let expected = try general(bytes)
            #expect(layout(bytes, canonicalOnly: true) == expected)
            #expect(layout(bytes, canonicalOnly: false) == expected)
            // And through the public entry point, which a stored value goes through.
            let stored = Self.hash.bytes + bytes
            #expect(try stored.withUnsafeBytes { try RecordedEvent(storedValue: $0) } == expected)
        }
    }

    @Test("anything off the layout is left to the general decoder", arguments: [
        ("{", "{ "), (#""actor":{"id""#, #""actor":{"role":"r","id""#), (#""position":2"#, #""position":02"#),
        (#""position":2"#, #""position":0"#), (#""schemaVersion":3"#, #""schemaVersion":"3""#), ("}", "}}"),
        (#""previousHash":""#, #""previousHash":"x"#), (#""reason":"#, #""reason":1,"x":"#),
        (#""previousHash":"0"#, #""previousHash":"g"#), (#""eventId":"0"#, #""eventId":"g"#),
        (#""effectiveDate":"2"#, #""effectiveDate":"x"#), (#""recordedAt":"2"#, #""recordedAt":"x"#),
        (#""position":2"#, #""position":9007199254740992"#), (#""position":2"#, #""position":12345678901234567"#),
        (#""position":2"#, #""position":2.0"#), (#""position":2"#, #""position":2E0"#), (#""position":2"#, #""position":-2"#),
    ])
    func departures(original: String, replacement: String) throws {
        let bytes = Array(Self.envelopes()[1].canonicalText.replacing(original, with: replacement, maxReplacements: 1).utf8)
        #expect(bytes != Self.envelopes()[1].canonicalBytes)
        #expect(layout(bytes, canonicalOnly: true) == nil)
    }

    @Test("numbers up to 2^53 − 1 read as the general decoder reads them")
    func largestNumbers() throws {
        let text = Self.envelopes()[1].canonicalText
        for number in ["9007199254740991", "1000000000000000", "10", "9"] {
            let bytes = Array(text.replacing(/"streamVersion":\d+/, with: #""streamVersion":\#(number)"#).utf8)
            #expect(layout(bytes, canonicalOnly: true) == (try general(bytes)), "\(number)")
            #expect(try general(bytes).streamVersion == UInt64(number)!)
        }
    }

    @Test("canonical-only mode gives up on text the canonical encoder would not write; lenient mode agrees with the general decoder")
    func nonCanonicalPayload() throws {
        let text = Self.envelopes()[1].canonicalText
        // Payload keys out of order, and an escaped solidus in the reason: still an envelope.
        for variant in [text.replacing(#""corrects":"x","lines""#, with: #""lines":[],"corrects":"x","ignored""#),
                        text.replacing("break", with: #"br\/eak"#)] {
            let bytes = Array(variant.utf8)
            #expect(layout(bytes, canonicalOnly: true) == nil)
            #expect(layout(bytes, canonicalOnly: false) == (try general(bytes)))
        }
        // Upper-case hex is canonical JSON (the string is kept as written) and reads the same.
        let upper = Array(text.replacing(Self.hash.hex, with: Self.hash.hex.uppercased()).utf8)
        #expect(layout(upper, canonicalOnly: true) == (try general(upper)))
    }

    /// `EnvelopeLayout.fields` over a stored value, its payload stepped over by `payload`.
    func fields(
        _ envelope: [UInt8], strings: inout RecentStrings, chained: Bool = true, payload: (inout JSONParser, String) -> Bool = Self.skipPayload
    ) -> EnvelopeFields? {
        (Self.hash.bytes + envelope).withUnsafeBytes { EnvelopeLayout.fields(storedValue: $0, strings: &strings, chained: chained, payload: payload)?.fields }
    }

    static func skipPayload(_ parser: inout JSONParser, _ type: String) -> Bool { (try? parser.parseValue(depth: 1)) != nil }

    @Test("the walk without the payload and context reads every other field as the general decoder does, and gives the stored hash")
    func fieldsAgreeWithGeneralDecoder() throws {
        var strings = RecentStrings()
        // Twice through, so that the second time the stream ids and types are the remembered ones.
        for envelope in Self.envelopes() + Self.envelopes() {
            let bytes = envelope.canonicalBytes
            let expected = try general(bytes)
            guard expected.event.actor.id.allSatisfy(\.isASCII), expected.event.actor.role.allSatisfy(\.isASCII) else {
                // An actor off plain ASCII is left to the general decoder.
                #expect(fields(bytes, strings: &strings) == nil)
                continue
            }
            let read = try #require(fields(bytes, strings: &strings))
            #expect(read.context == nil)
            #expect(read.position == expected.position && read.streamId == expected.streamId && read.streamVersion == expected.streamVersion)
            #expect(read.eventId == expected.eventId && read.eventType == expected.eventType && read.effectiveDate == expected.event.effectiveDate)
            #expect(read.reason == expected.event.reason && read.previousHash == expected.previousHash)
            #expect(read.schemaVersion == UInt64(expected.event.schemaVersion))
            let hash = (Self.hash.bytes + bytes).withUnsafeBytes { EnvelopeLayout.fields(storedValue: $0, strings: &strings, payload: Self.skipPayload)?.hash }
            #expect(hash == Self.hash)
        }
    }

    @Test("a stream id or type remembered from the event before is given only when the bytes are the same")
    func rememberedStrings() throws {
        var strings = RecentStrings()
        let first = Self.envelopes()[0].canonicalText
        for (stream, type) in [("contract/SYN-0", "NoteRecorded"), ("contract/SYN-0", "NoteRecordee"), ("contract/SYN-1", "NoteRecordee"), ("contract/SYN-10", "NoteRecorded"), ("contract/SYN-0", "NoteRecorded")] {
            let text = first.replacing(#""streamId":"contract/SYN-0""#, with: #""streamId":"\#(stream)""#).replacing(#""eventType":"NoteRecorded""#, with: #""eventType":"\#(type)""#)
            let read = try #require(fields(Array(text.utf8), strings: &strings))
            #expect(read.streamId == stream && read.eventType == type)
        }
        // An escaped stream id reads as its text, and is not taken for the plain bytes it spells.
        let escaped = first.replacing(#""streamId":"contract/SYN-0""#, with: #""streamId":"contract\/SYN-0""#)
        #expect(try #require(fields(Array(escaped.utf8), strings: &strings)).streamId == "contract/SYN-0")
        // A reason likewise, and none after one.
        for reason in [#""a reason of more than fifteen bytes""#, #""a reason of more than fifteen bytes""#, #""a reason of more than fifteen byte\u0073""#, "null", #""a reason of more than fifteen bytes.""#] {
            let text = first.replacing(#""reason":null"#, with: #""reason":\#(reason)"#)
            #expect(reason == "null" || text != first)
            let read = try #require(fields(Array(text.utf8), strings: &strings), "\(text)")
            #expect(read.reason == (reason == "null" ? nil : "a reason of more than fifteen bytes" + (reason.hasSuffix(#".""#) ? "." : "")), "\(reason)")
        }
    }

    @Test("the walk gives up where the layout does, where the payload reader does, and on an actor off plain ASCII")
    func fieldsDepartures() throws {
        var strings = RecentStrings()
        let text = Self.envelopes()[0].canonicalText
        #expect(fields(Array(text.utf8), strings: &strings) != nil)
        #expect(fields(Array(text.utf8), strings: &strings, payload: { _, _ in false }) == nil)
        // A payload reader that reads nothing (the parser not moved) has not read the payload.
        #expect(fields(Array(text.utf8), strings: &strings, payload: { _, _ in true }) == nil)
        for (original, replacement) in [(#""id":"a""#, #""id":"é""#), (#""role":"r""#, #""role":"\u0072""#), ("{", "{ "), (#""position":1"#, #""position":01"#)] {
            let variant = text.replacing(original, with: replacement, maxReplacements: 1)
            #expect(variant != text)
            #expect(fields(Array(variant.utf8), strings: &strings) == nil, "\(variant)")
        }
        // The context (ids it followed from, the time recorded) is stepped over by its length:
        // wrong there, the walk gives up; of the right length, it is not read at all.
        let time = #""recordedAt":"2026-11-22T04:05:06.789Z""#, cause = #""causationId":null"#
        #expect(text.contains(time) && text.contains(cause))
        let expected = try general(Array(text.utf8))
        for (original, replacement, read) in [
            (time, #""recordedAt":"2026-11-22T04:05:06.78Z""#, false), (time, #""recordedAt":"not a time, of 24 bytes.""#, true),
            (cause, #""causationId":"not-an-id""#, false), (cause, #""causationId":"not an id, but the 36 bytes of one!!""#, true),
        ] {
            let variant = Array(text.replacing(original, with: replacement).utf8)
            #expect(throws: (any Error).self) { try general(variant) }
            let walked = fields(variant, strings: &strings)
            #expect(read ? walked?.eventId == expected.eventId && walked?.position == expected.position : walked == nil, "\(replacement)")
        }

        // Not chained, the previous hash is stepped over likewise, and none is given; chained,
        // it is read, and a hash that is not one leaves the layout.
        let previous = #""previousHash":"\#(Self.hash.hex)""#
        #expect(text.contains(previous))
        #expect(fields(Array(text.utf8), strings: &strings, chained: false)?.previousHash == nil)
        #expect(fields(Array(text.utf8), strings: &strings, chained: false)?.eventId == expected.eventId)
        for (replacement, readUnchained) in [
            (#""previousHash":"\#(String(repeating: "g", count: 64))""#, true), (#""previousHash":"\#(String(repeating: "0", count: 63))""#, false),
        ] {
            let variant = Array(text.replacing(previous, with: replacement).utf8)
            #expect(throws: (any Error).self) { try general(variant) }
            #expect(fields(variant, strings: &strings) == nil, "\(replacement)")
            let walked = fields(variant, strings: &strings, chained: false)
            #expect(readUnchained ? walked?.eventId == expected.eventId && walked?.previousHash == nil : walked == nil, "\(replacement)")
        }

        // The payload reader is told the event's type.
        var told: String?
        _ = fields(Array(text.utf8), strings: &strings, payload: { parser, type in told = type; return Self.skipPayload(&parser, type) })
        #expect(told == "NoteRecorded")
    }
}
