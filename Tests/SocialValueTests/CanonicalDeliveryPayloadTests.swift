import LedgerValues
import SocialValue
import Testing

/// The typed reading of a return or correction straight from its bytes must give exactly what
/// the general reading gives, and leave to it everything off the canonical layout.
@Suite("Canonical delivery payload")
struct CanonicalDeliveryPayloadTests {
    static let eventID = "01a24cb6-e267-74c8-9b0a-893b008b0293"

    static func line(evidence: String = "EV-2025-26-Q1", measure: String = "NT1", pledged: String = "true", quantity: String = #""12.5""#) -> String {
        #"{"evidence":\#(evidence.quotedJSON),"measure":\#(measure.quotedJSON),"pledged":\#(pledged),"quantity":\#(quantity)}"#
    }

    static func deliveryReturn(lines: String = "[\(line()),\(line(measure: "NT10", pledged: "false", quantity: #""0""#))]", quarter: String = "2025-26-Q1", defaulted: String? = "false") -> String {
        #"{"attributionConfirmed":true,\#(defaulted.map { #""effectiveDateDefaulted":\#($0),"# } ?? "")"lines":\#(lines),"quarter":\#(quarter.quotedJSON)}"#
    }

    static func correction(corrects: String = eventID, lines: String = "[\(line(evidence: "EV-2025-26-Q2-rev"))]", defaulted: String? = "true") -> String {
        #"{"correctsEventId":\#(corrects.quotedJSON),\#(defaulted.map { #""effectiveDateDefaulted":\#($0),"# } ?? "")"lines":\#(lines),"quarter":"2025-26-Q2"}"#
    }

    /// Payloads svledger writes: each must be read the fast way.
    static let canonical: [(String, String)] = [
        ("DeliveryReported", deliveryReturn()),
        ("DeliveryReported", deliveryReturn(defaulted: nil)),
        ("DeliveryReported", deliveryReturn(defaulted: "true")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(evidence: "payroll é — \"Q1\"\\n", measure: "NT1c"))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(evidence: "EV-2025-26-Q1-payroll")),\(line(evidence: "EV-2025-26-Q1-payroll", measure: "NT2")),\(line(evidence: "EV-2025-26-Q1-payroll-2", measure: "NT3"))]")),
        // A long evidence reference with an escape, then bytes that spell its text unescaped (a
        // different text): never taken for the line before's.
        ("DeliveryReported", deliveryReturn(lines: #"[{"evidence":"EV-2025-26-Q1\\b-payroll","measure":"NT1","pledged":true,"quantity":"1"},{"evidence":"EV-2025-26-Q1\b-payroll","measure":"NT2","pledged":true,"quantity":"1"}]"#)),
        ("DeliveryCorrected", correction()),
        ("DeliveryCorrected", correction(defaulted: nil)),
        ("DeliveryCorrected", correction(corrects: eventID.uppercased())),
    ]

    /// Payloads off the layout or refused by the general reading: never read the fast way.
    static let departures: [(String, String)] = [
        ("DeliveryReported", deliveryReturn(lines: "[]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(evidence: " "))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(measure: ""))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: "12"))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""-1""#))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""twelve""#))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(pledged: "null"))]")),
        ("DeliveryReported", deliveryReturn(lines: #"[{"evidence":"E","evidenceFiles":[],"measure":"NT1","pledged":true,"quantity":"1"}]"#)),
        ("DeliveryReported", deliveryReturn(lines: #"[{"evidence":"E","measure":"NT1","pledged":true,"quantity":"1","unit":"x"}]"#)),
        ("DeliveryReported", deliveryReturn(quarter: "2025-26-Q5")),
        ("DeliveryReported", deliveryReturn(defaulted: "null")),
        ("DeliveryReported", deliveryReturn(defaulted: "1")),
        ("DeliveryReported", deliveryReturn().replacing(#""attributionConfirmed":true"#, with: #""attributionConfirmed":"yes""#)),
        ("DeliveryReported", deliveryReturn().replacing(#""attributionConfirmed":true,"#, with: "")),
        ("DeliveryReported", deliveryReturn().replacing(#"{"attributionConfirmed""#, with: #"{"a":1,"attributionConfirmed""#)),
        ("DeliveryReported", deliveryReturn().replacing(#""quarter""#, with: #""quarter" "#)),
        ("DeliveryReported", deliveryReturn().replacing("}", with: ",\"z\":null}", maxReplacements: 1)),
        ("DeliveryCorrected", correction(corrects: "not-an-id")),
        ("DeliveryCorrected", correction().replacing(#""correctsEventId":"0"#, with: #""correctsEventId":"\u0030"#)),
        ("DeliveryCorrected", correction(lines: "{}")),
        ("DeliveryCorrected", deliveryReturn()),
        ("DeliveryValidated", deliveryReturn()),
    ]

    /// The general reading's event and effective-date flag, or nil when it refuses the payload.
    static func general(_ type: String, _ text: String) -> (ContractEvent, Bool?)? {
        guard let payload = try? JSONValue(parsing: text), let event = try? ContractEvent(type: type, payload: payload) else { return nil }
        return (event, ContractEvent.effectiveDateDefaulted(in: payload))
    }

    /// The fast reading, and where it left the parser.
    static func fast(_ type: String, _ text: String) -> (read: (event: ContractEvent, effectiveDateDefaulted: Bool?)?, end: Int, count: Int) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            var parser = JSONParser(bytes: buffer)
            let read = CanonicalDeliveryPayload.read(type: type, &parser)
            return (read, parser.index, buffer.count)
        }
    }

    @Test("what svledger writes is read the fast way, to the same event as the general way, and the parser left just past it", arguments: canonical)
    func sameAsGeneral(type: String, text: String) throws {
        let expected = try #require(Self.general(type, text))
        let (read, end, count) = Self.fast(type, text)
        let fast = try #require(read)
        #expect(fast.event == expected.0)
        #expect(fast.effectiveDateDefaulted == expected.1)
        #expect(end == count)
    }

    @Test("anything else is left to the general way", arguments: departures)
    func leftToGeneral(type: String, text: String) {
        #expect(Self.fast(type, text).read == nil, "\(text)")
    }
}

private extension String {
    var quotedJSON: String { JSONValue.string(self).canonicalText }
}
