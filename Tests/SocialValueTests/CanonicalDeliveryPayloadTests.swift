import LedgerValues
import SocialValue
import Testing

/// The typed reading of a return, a correction, a pledge, a refresh or a check of a return
/// straight from its bytes must give exactly what the general reading gives, and leave to it
/// everything off the canonical layout.
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

    static func pricedLine(measure: String = "NT10", proxy: String = #""224.07""#, quantity: String = #""355.3""#, unit: String = "no. weeks", value: String = #""79612.07""#) -> String {
        #"{"measure":\#(measure.quotedJSON),"proxyGBP":\#(proxy),"quantity":\#(quantity),"unit":\#(unit.quotedJSON),"valueGBP":\#(value)}"#
    }

    static let recordOnly = pricedLine(measure: "NT99", proxy: "null", quantity: #""3""#, unit: "no. initiatives", value: "null")
    static let pounds = pricedLine(measure: "NT28", proxy: #""1""#, quantity: #""142.9""#, unit: "£ value", value: #""142.90""#)

    static func pledge(lines: String = "[\(pricedLine()),\(recordOnly),\(pounds)]", stated: String = "{}", supplier: String = "Acme Ltd", total: String = "79754.97", defaulted: String? = "false") -> String {
        #"{"catalogId":"portal-003","catalogVersion":"003.2",\#(defaulted.map { #""effectiveDateDefaulted":\#($0),"# } ?? "")"lines":\#(lines),"statedValues":\#(stated),"supplier":\#(supplier.quotedJSON),"totalGBP":\#(total.quotedJSON)}"#
    }

    static func refresh(added: String = "[]", lines: String = "[\(pricedLine()),\(recordOnly)]", revised: String = "[\(pricedLine())]", withdrawn: String = #"["NT9"]"#, repriced: String = "false") -> String {
        #"{"added":\#(added),"catalogId":"portal-003","catalogVersion":"003.3","effectiveDateDefaulted":false,"lines":\#(lines),"repriced":\#(repriced),"revised":\#(revised),"totalGBP":"79612.07","withdrawn":\#(withdrawn)}"#
    }

    static func decision(figures: String = #"[{"measure":"NT1","quantity":"17.4"},{"measure":"NT10","quantity":"182.0"}]"#, quarter: String = "2025-26-Q1", defaulted: String? = "false") -> String {
        #"{\#(defaulted.map { #""effectiveDateDefaulted":\#($0),"# } ?? "")"figures":\#(figures),"quarter":\#(quarter.quotedJSON)}"#
    }

    static func question(text: String = "Which invoices make up the £140,000?", measure: String = "NT18", quarter: String = "2025-26-Q2", defaulted: String? = "false") -> String {
        #"{\#(defaulted.map { #""effectiveDateDefaulted":\#($0),"# } ?? "")"measure":\#(measure.quotedJSON),"quarter":\#(quarter.quotedJSON),"question":\#(text.quotedJSON)}"#
    }

    static func answer(text: String = "The attached CSV lists every invoice", measure: String = "NT18", quarter: String = "2025-26-Q2", defaulted: String? = "false") -> String {
        #"{"answer":\#(text.quotedJSON),\#(defaulted.map { #""effectiveDateDefaulted":\#($0),"# } ?? "")"measure":\#(measure.quotedJSON),"quarter":\#(quarter.quotedJSON)}"#
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
        // Quantities that are not plain digits: read from a string, as the field reader reads them.
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""1,234.5""#)),\(line(measure: "NT2", quantity: #""12 ""#))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""1\u0030""#))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""007.50""#))]")),
        ("DeliveryCorrected", correction()),
        ("DeliveryCorrected", correction(defaulted: nil)),
        ("DeliveryCorrected", correction(corrects: eventID.uppercased())),
        ("PledgeRecorded", pledge()),
        ("PledgeRecorded", pledge(stated: #"{"NT10":"79612.07","NT28":"142.90"}"#, defaulted: nil)),
        ("PledgeRecorded", pledge(lines: "[\(recordOnly)]", total: "0.00")),
        ("PledgeRecorded", pledge(lines: "[\(pricedLine(proxy: #""1,224.07""#, quantity: #""1,355""#))]")),
        ("CommitmentsRefreshed", refresh()),
        ("CommitmentsRefreshed", refresh(added: "[\(pounds)]", lines: "[]", revised: "[]", withdrawn: "[]", repriced: "true")),
        ("DeliveryValidated", decision()),
        ("DeliveryValidated", decision(defaulted: nil)),
        ("DeliveryRejected", decision(figures: #"[{"measure":"NT18","quantity":"392.3"}]"#)),
        ("DeliveryQueried", question()),
        ("DeliveryQueried", question(text: "which \"records\"?\nand é", defaulted: nil)),
        ("DeliveryQueried", question(defaulted: "true")),
        ("QueryAnswered", answer()),
        ("QueryAnswered", answer(text: "payroll \\ extract\t(2)", defaulted: nil)),
    ]

    /// Payloads off the layout or refused by the general reading: never read the fast way.
    static let departures: [(String, String)] = [
        ("DeliveryReported", deliveryReturn(lines: "[]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(evidence: " "))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(measure: ""))]")),
        // Blank behind an escape or past ASCII: the first byte alone does not say.
        ("DeliveryReported", deliveryReturn(lines: #"[{"evidence":"\u0020","measure":"NT1","pledged":true,"quantity":"1"}]"#)),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(evidence: "\u{00A0}"))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(measure: "\t "))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: "12"))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""-1""#))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""twelve""#))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""1.2.3""#))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""1.""#))]")),
        ("DeliveryReported", deliveryReturn(lines: "[\(line(quantity: #""""#))]")),
        ("DeliveryReported", deliveryReturn(lines: #"[{"evidence":"E","measure":"NT1","pledged":true,"quantity":"12"#)),
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
        ("PledgeRecorded", pledge(lines: "[]")),
        ("PledgeRecorded", pledge(stated: #"{"NT10":" "}"#)),
        ("PledgeRecorded", pledge(stated: #"{"NT10":"1","NT10":"2"}"#)),
        ("PledgeRecorded", pledge(stated: "null")),
        ("PledgeRecorded", pledge(stated: #"{"NT10":1}"#)),
        ("PledgeRecorded", pledge(supplier: " ")),
        ("PledgeRecorded", pledge(total: "1.234")),
        ("PledgeRecorded", pledge(lines: "[\(pricedLine(proxy: "224"))]")),
        ("PledgeRecorded", pledge(lines: "[\(pricedLine(quantity: #""-1""#))]")),
        ("PledgeRecorded", pledge(lines: "[\(pricedLine(value: #""1.234""#))]")),
        ("PledgeRecorded", pledge(lines: "[\(pricedLine(unit: ""))]")),
        ("PledgeRecorded", pledge(lines: #"[{"measure":"NT1","quantity":"1","unit":"x"}]"#)),
        ("PledgeRecorded", pledge().replacing(#""supplier""#, with: #""owner":"x","supplier""#)),
        ("CommitmentsRefreshed", refresh(withdrawn: "null")),
        ("CommitmentsRefreshed", refresh(withdrawn: "[1]")),
        ("CommitmentsRefreshed", refresh(repriced: #""no""#)),
        ("CommitmentsRefreshed", refresh(added: "null")),
        ("DeliveryValidated", decision(figures: "[]")),
        ("DeliveryValidated", decision(quarter: "2025-26-Q9")),
        ("DeliveryValidated", decision(figures: #"[{"measure":"NT1","quantity":"x"}]"#)),
        ("DeliveryRejected", decision(figures: #"[{"measure":"","quantity":"1"}]"#)),
        ("DeliveryRejected", decision(defaulted: "null")),
        ("DeliveryQueried", question(text: " ")),
        ("DeliveryQueried", question(measure: "")),
        ("DeliveryQueried", question(quarter: "2025-26-Q7")),
        ("DeliveryQueried", question(defaulted: "null")),
        ("DeliveryQueried", question().replacing(#""question""#, with: #""text":"x","question""#)),
        ("DeliveryQueried", answer()),
        ("QueryAnswered", question()),
        ("QueryAnswered", answer(text: "")),
        ("QueryAnswered", answer().replacing(#""measure":"NT18","#, with: "")),
        ("QueryAnswered", answer().replacing("}", with: #","z":1}"#)),
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

    @Test("the kinds read the fast way are told apart from every other event type, and from near misses of the same length")
    func kinds() {
        let fast: Set = ["DeliveryReported", "DeliveryCorrected", "PledgeRecorded", "CommitmentsRefreshed", "DeliveryValidated", "DeliveryRejected", "DeliveryQueried", "QueryAnswered"]
        #expect(fast.isSubset(of: Set(ContractEvent.types)))
        for type in ContractEvent.types { #expect(CanonicalDeliveryPayload.reads(type) == fast.contains(type), "\(type)") }
        for type in fast {
            // One letter changed, or the case: the same length, not a type read here.
            #expect(!CanonicalDeliveryPayload.reads(String(type.dropLast()) + "x") && !CanonicalDeliveryPayload.reads(type.lowercased()), "\(type)")
        }
        // Each type gives its own kind: no two share one.
        #expect(Set(fast.map { "\(CanonicalDeliveryPayload.Kind($0).map { "\($0)" } ?? "none")" }).count == fast.count)
    }

    @Test("read one after another, as a fold reads them, each payload gives what the general way gives, whatever evidence and measures were read before it")
    func oneAfterAnother() throws {
        // Each payload twice in a row, then all of them again in reverse, with the departures
        // between: the strings kept from one read to the next are only ever taken where the
        // bytes spell it exactly.
        let payloads = Self.canonical.flatMap { [$0, $0] } + Array(zip(Self.canonical.reversed(), Self.departures).flatMap { [$0, $1] })
        // Two places, so that strings with one place take turns too.
        var known = KnownStrings(places: 2)
        for (type, text) in payloads {
            let bytes = Array(text.utf8)
            let read = bytes.withUnsafeBytes { buffer in
                var parser = JSONParser(bytes: buffer)
                return CanonicalDeliveryPayload.read(type: type, &parser, known: &known)
            }
            if let expected = Self.general(type, text), Self.canonical.contains(where: { $0 == (type, text) }) {
                #expect(read?.event == expected.0, "\(text)")
            } else {
                #expect(read == nil, "\(text)")
            }
        }
    }
}

private extension String {
    var quotedJSON: String { JSONValue.string(self).canonicalText }
}
