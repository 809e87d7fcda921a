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
    ])
    func departures(original: String, replacement: String) throws {
        let bytes = Array(Self.envelopes()[1].canonicalText.replacing(original, with: replacement, maxReplacements: 1).utf8)
        #expect(bytes != Self.envelopes()[1].canonicalBytes)
        #expect(layout(bytes, canonicalOnly: true) == nil)
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
}
