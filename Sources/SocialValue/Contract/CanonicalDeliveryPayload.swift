import LedgerValues

/// A return or a correction typed straight from its payload's canonical bytes, without the
/// JSON tree that ``ContractEvent/init(type:payload:)`` reads: most of a ledger's events are
/// these two, and building then reading the tree was a third of what folding one cost.
///
/// It reads only the layout svledger writes (keys in canonical order, plain strings, decimals as
/// strings, no evidence files) and gives up (`nil`) on anything else, or on anything the
/// field reader would refuse, leaving the parser wherever it stopped. The caller then reads the
/// event the general way, which decides, and words any problem. So it never decides what is
/// valid on its own, and what it gives is what the general way gives (a test holds them equal).
package enum CanonicalDeliveryPayload {
    /// The event and whether its payload says the effective date was not given (`nil` when it
    /// does not say), with `parser` at the payload's opening brace; afterwards the parser is
    /// just past its closing one.
    package static func read(type: String, _ parser: inout JSONParser) -> (event: ContractEvent, effectiveDateDefaulted: Bool?)? {
        var walk = Walk(parser: parser)
        let read: (ContractEvent, Bool?)?
        switch type {
        case "DeliveryReported": read = walk.deliveryReturn()
        case "DeliveryCorrected": read = walk.deliveryCorrection()
        default: read = nil
        }
        parser = walk.parser
        return read
    }

    private struct Walk {
        var parser: JSONParser

        /// `{"attributionConfirmed":…,["effectiveDateDefaulted":…,]"lines":[…],"quarter":"…"}`
        mutating func deliveryReturn() -> (ContractEvent, Bool?)? {
            guard literal(#"{"attributionConfirmed":"#), let confirmed = bool(), literal(",") else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""lines":"#), let lines = lines(), literal(#","quarter":"#), let quarter = quarter(), literal("}") else { return nil }
            return (.deliveryReported(DeliveryReturn(quarter: quarter, lines: lines, attributionConfirmed: confirmed)), defaulted)
        }

        /// `{"correctsEventId":"…",["effectiveDateDefaulted":…,]"lines":[…],"quarter":"…"}`
        mutating func deliveryCorrection() -> (ContractEvent, Bool?)? {
            guard literal(#"{"correctsEventId":"#), let text = string(), let corrects = EventID(text), literal(",") else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""lines":"#), let lines = lines(), literal(#","quarter":"#), let quarter = quarter(), literal("}") else { return nil }
            return (.deliveryCorrected(DeliveryCorrection(corrects: corrects, quarter: quarter, lines: lines)), defaulted)
        }

        /// `"effectiveDateDefaulted":true,` or `false`, when the payload has it.
        mutating func effectiveDateDefaulted() -> Bool? {
            guard literal(#""effectiveDateDefaulted":"#) else { return nil }
            guard let flag = bool(), literal(",") else {
                // Present but not a flag: the general way reads it (an index past the end stops the walk).
                parser.index = parser.bytes.count
                return nil
            }
            return flag
        }

        /// A non-empty array of `{"evidence":"…","measure":"…","pledged":…,"quantity":"…"}`.
        mutating func lines() -> [DeliveryLine]? {
            guard literal("[") else { return nil }
            var lines: [DeliveryLine] = []
            repeat {
                guard literal(#"{"evidence":"#), let evidence = string(), literal(#","measure":"#), let measure = string(),
                    literal(#","pledged":"#), let pledged = bool(), literal(#","quantity":"#), let text = string(),
                    let quantity = try? ValueParsing.decimal(text), literal("}")
                else { return nil }
                lines.append(DeliveryLine(measure: measure, quantity: quantity, evidence: evidence, pledged: pledged))
            } while literal(",")
            return literal("]") ? lines : nil
        }

        mutating func quarter() -> FinancialQuarter? { string().flatMap(FinancialQuarter.init) }

        /// A string the field reader takes: not empty or blank.
        mutating func string() -> String? {
            guard parser.current == UInt8(ascii: "\""), let text = try? parser.parseString(), !text.isBlank else { return nil }
            return text
        }

        mutating func bool() -> Bool? {
            if literal("true") { return true }
            if literal("false") { return false }
            return nil
        }

        /// Steps over `text` when the bytes here are exactly it.
        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard parser.index + count <= parser.bytes.count else { return false }
            for offset in 0..<count where parser.bytes[parser.index + offset] != text.utf8Start[offset] { return false }
            parser.index += count
            return true
        }
    }
}
