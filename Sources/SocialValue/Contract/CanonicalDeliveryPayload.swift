import LedgerValues

/// A return or a correction, and a pledge, a refresh, the validation or rejection of a return,
/// or a query of a figure and its answer, typed straight from its payload's canonical bytes,
/// without the JSON tree that ``ContractEvent/init(type:payload:)`` reads: most of a ledger's
/// events are returns and corrections, and building then reading the tree was a third of what
/// folding one cost.
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
        var known = KnownStrings()
        return read(type: type, &parser, known: &known)
    }

    /// ``read(type:_:)`` for a reader of one event after another.
    /// - Parameter known: the evidence references and measure codes read before, given back at
    ///   the next call: a supplier's returns and corrections cite a few references and a
    ///   catalog's codes again and again, which are then the same strings again instead of a
    ///   new one (an allocation, past 15 bytes) for each line.
    package static func read(type: String, _ parser: inout JSONParser, known: inout KnownStrings) -> (event: ContractEvent, effectiveDateDefaulted: Bool?)? {
        guard let kind = Kind(type) else { return nil }
        return read(kind, &parser, known: &known)
    }

    /// ``read(type:_:known:)`` for an event whose kind the caller has found already.
    package static func read(_ kind: Kind, _ parser: inout JSONParser, known: inout KnownStrings) -> (event: ContractEvent, effectiveDateDefaulted: Bool?)? {
        // The table moved into the walk and back, never copied: a copy would be written to,
        // and so copied whole, at the first string kept.
        var walk = Walk(parser: parser)
        swap(&walk.known, &known)
        defer { swap(&walk.known, &known) }
        let read: (ContractEvent, Bool?)?
        switch kind {
        case .deliveryReported: read = walk.deliveryReturn()
        case .deliveryCorrected: read = walk.deliveryCorrection()
        case .pledgeRecorded: read = walk.pledge()
        case .commitmentsRefreshed: read = walk.refresh()
        case .deliveryValidated: read = walk.decision().map { (.deliveryValidated($0), $1) }
        case .deliveryRejected: read = walk.decision().map { (.deliveryRejected($0), $1) }
        case .deliveryQueried: read = walk.question().map { (.deliveryQueried($0), $1) }
        case .queryAnswered: read = walk.answer().map { (.queryAnswered($0), $1) }
        }
        parser = walk.parser
        return read
    }

    /// Whether ``read(type:_:)`` reads events of `type` at all: other events' payloads are read
    /// the general way. Pledges, refreshes and the check of returns are few, but each is large:
    /// together, read through the JSON tree, they cost a fifth of a fold's decoding.
    package static func reads(_ type: String) -> Bool { Kind(type) != nil }

    /// The events read here, by type.
    package enum Kind {
        case deliveryReported, deliveryCorrected, pledgeRecorded, commitmentsRefreshed, deliveryValidated, deliveryRejected, deliveryQueried,
            queryAnswered

        /// The kind of an event of `type`; `nil` for a type read the general way. Told apart by
        /// length first, then compared with the one or two of that length: a `switch` over the
        /// types compared the type with each of them in turn, twice an event.
        package init?(_ type: String) {
            let found: Kind?
            switch type.utf8.count {
            case 13: found = type == "QueryAnswered" ? .queryAnswered : nil
            case 14: found = type == "PledgeRecorded" ? .pledgeRecorded : nil
            case 15: found = type == "DeliveryQueried" ? .deliveryQueried : nil
            case 16: found = type == "DeliveryReported" ? .deliveryReported : type == "DeliveryRejected" ? .deliveryRejected : nil
            case 17: found = type == "DeliveryCorrected" ? .deliveryCorrected : type == "DeliveryValidated" ? .deliveryValidated : nil
            case 20: found = type == "CommitmentsRefreshed" ? .commitmentsRefreshed : nil
            default: found = nil
            }
            guard let found else { return nil }
            self = found
        }
    }

    private struct Walk {
        var parser: JSONParser
        /// The evidence references and measure codes read before (``read(_:_:known:)``).
        var known = KnownStrings()

        /// `{"attributionConfirmed":…,["effectiveDateDefaulted":…,]"lines":[…],"quarter":"…"}`
        mutating func deliveryReturn() -> (ContractEvent, Bool?)? {
            guard literal(#"{"attributionConfirmed":"#), let confirmed = bool(), literal(",") else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""lines":"#), let lines = lines(), literal(#","quarter":"#), let quarter = quarter(), literal("}") else { return nil }
            return (.deliveryReported(DeliveryReturn(quarter: quarter, lines: lines, attributionConfirmed: confirmed)), defaulted)
        }

        /// `{"correctsEventId":"…",["effectiveDateDefaulted":…,]"lines":[…],"quarter":"…"}`
        mutating func deliveryCorrection() -> (ContractEvent, Bool?)? {
            guard literal(#"{"correctsEventId":"#), let corrects = eventID(), literal(",") else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""lines":"#), let lines = lines(), literal(#","quarter":"#), let quarter = quarter(), literal("}") else { return nil }
            return (.deliveryCorrected(DeliveryCorrection(corrects: corrects, quarter: quarter, lines: lines)), defaulted)
        }

        /// `{"catalogId":"…","catalogVersion":"…",["effectiveDateDefaulted":…,]"lines":[…],"statedValues":{…},"supplier":"…","totalGBP":"…"}`
        mutating func pledge() -> (ContractEvent, Bool?)? {
            guard literal(#"{"catalogId":"#), let catalogId = string(), literal(#","catalogVersion":"#), let catalogVersion = string(), literal(",")
            else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""lines":"#), let lines = pricedLines(allowEmpty: false), literal(#","statedValues":"#), let stated = statedValues(),
                literal(#","supplier":"#), let supplier = string(), literal(#","totalGBP":"#), let total = money(), literal("}")
            else { return nil }
            return (.pledgeRecorded(Pledge(supplier: supplier, catalogId: catalogId, catalogVersion: catalogVersion, lines: lines, total: total, statedValues: stated)), defaulted)
        }

        /// `{"added":[…],"catalogId":"…","catalogVersion":"…",["effectiveDateDefaulted":…,]"lines":[…],"repriced":…,"revised":[…],"totalGBP":"…","withdrawn":[…]}`
        mutating func refresh() -> (ContractEvent, Bool?)? {
            guard literal(#"{"added":"#), let added = pricedLines(allowEmpty: true), literal(#","catalogId":"#), let catalogId = string(),
                literal(#","catalogVersion":"#), let catalogVersion = string(), literal(",")
            else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""lines":"#), let lines = pricedLines(allowEmpty: true), literal(#","repriced":"#), let repriced = bool(),
                literal(#","revised":"#), let revised = pricedLines(allowEmpty: true), literal(#","totalGBP":"#), let total = money(),
                literal(#","withdrawn":"#), let withdrawn = strings(), literal("}")
            else { return nil }
            return (.commitmentsRefreshed(CommitmentRefresh(
                catalogId: catalogId, catalogVersion: catalogVersion, revised: revised, added: added, withdrawn: withdrawn, repriced: repriced, lines: lines,
                total: total)), defaulted)
        }

        /// `{["effectiveDateDefaulted":…,]"figures":[{"measure":"…","quantity":"…"},…],"quarter":"…"}`: a validation or a rejection.
        mutating func decision() -> (ValidationDecision, Bool?)? {
            guard literal("{") else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""figures":["#) else { return nil }
            var figures: [ValidationDecision.Figure] = []
            figures.reserveCapacity(room(each: Self.shortestFigure))
            repeat {
                guard literal(#"{"measure":"#), let measure = string(), literal(#","quantity":"#), let quantity = decimal(), literal("}") else { return nil }
                figures.append(ValidationDecision.Figure(measure: measure, quantity: quantity))
            } while literal(",")
            guard literal(#"],"quarter":"#), let quarter = quarter(), literal("}") else { return nil }
            return (ValidationDecision(quarter: quarter, figures: figures), defaulted)
        }

        /// `{["effectiveDateDefaulted":…,]"measure":"…","quarter":"…","question":"…"}`: a figure queried.
        mutating func question() -> (FigureRemark, Bool?)? {
            guard literal("{") else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""measure":"#), let measure = string(), literal(#","quarter":"#), let quarter = quarter(),
                literal(#","question":"#), let text = string(), literal("}")
            else { return nil }
            return (FigureRemark(.question, quarter: quarter, measure: measure, text: text), defaulted)
        }

        /// `{"answer":"…",["effectiveDateDefaulted":…,]"measure":"…","quarter":"…"}`: a query answered.
        mutating func answer() -> (FigureRemark, Bool?)? {
            guard literal(#"{"answer":"#), let text = string(), literal(",") else { return nil }
            let defaulted = effectiveDateDefaulted()
            guard literal(#""measure":"#), let measure = string(), literal(#","quarter":"#), let quarter = quarter(), literal("}") else { return nil }
            return (FigureRemark(.answer, quarter: quarter, measure: measure, text: text), defaulted)
        }

        /// An array of `{"measure":"…","proxyGBP":"…"|null,"quantity":"…","unit":"…","valueGBP":"…"|null}`.
        mutating func pricedLines(allowEmpty: Bool) -> [PricedLine]? {
            guard literal("[") else { return nil }
            var lines: [PricedLine] = []
            if literal("]") { return allowEmpty ? lines : nil }
            repeat {
                guard literal(#"{"measure":"#), let measure = string(), literal(#","proxyGBP":"#), let proxy = optional({ $0.decimal() }),
                    literal(#","quantity":"#), let quantity = decimal(), literal(#","unit":"#), let unit = string(),
                    literal(#","valueGBP":"#), let value = optional({ $0.money() }), literal("}")
                else { return nil }
                lines.append(PricedLine(measure: measure, quantity: quantity, unit: unit, proxy: proxy, value: value))
            } while literal(",")
            return literal("]") ? lines : nil
        }

        /// `{"name":"text",…}`, every value a string that is not blank (as the field reader
        /// takes them), and no name twice (which the JSON reader refuses).
        mutating func statedValues() -> [String: String]? {
            guard literal("{") else { return nil }
            var stated: [String: String] = [:]
            if literal("}") { return stated }
            repeat {
                guard parser.current == UInt8(ascii: "\""), let key = try? parser.parseString(), stated[key] == nil, literal(":"), let value = string()
                else { return nil }
                stated[key] = value
            } while literal(",")
            return literal("}") ? stated : nil
        }

        /// An array of strings, any strings (as the field reader takes them).
        mutating func strings() -> [String]? {
            guard literal("[") else { return nil }
            var texts: [String] = []
            if literal("]") { return texts }
            repeat {
                guard parser.current == UInt8(ascii: "\""), let text = try? parser.parseString() else { return nil }
                texts.append(text)
            } while literal(",")
            return literal("]") ? texts : nil
        }

        /// A decimal written as a string, as the field reader reads it: straight from its bytes
        /// when they are plain digits (``ValueParsing/plainDecimal(_:)``, the reader's own first
        /// try), which most are, so that no `String` is made of it.
        mutating func decimal() -> ExactDecimal? {
            let start = parser.index + 1
            guard parser.current == UInt8(ascii: "\"") else { return nil }
            let end = parser.plainRun(from: start).end
            if end < parser.bytes.count, parser.bytes[end] == UInt8(ascii: "\""), let plain = ValueParsing.plainDecimal(utf8: parser.bytes[start..<end]) {
                parser.index = end + 1
                return plain
            }
            return string().flatMap { try? ValueParsing.decimal($0) }
        }

        /// Money written as a string, as the field reader reads it.
        mutating func money() -> Money? { string().flatMap { try? ValueParsing.money($0) } }

        /// `null`, or what `read` reads: nil when neither is there.
        mutating func optional<T>(_ read: (inout Walk) -> T?) -> T?? {
            if literal("null") { return .some(nil) }
            return read(&self).map { .some($0) }
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

        /// The fewest bytes a delivery line, or a decision's figure, and the comma after it take.
        private static let shortestLine = #"{"evidence":"","measure":"","pledged":true,"quantity":""},"#.utf8.count
        private static let shortestFigure = #"{"measure":"","quantity":""},"#.utf8.count

        /// How many items of at least `each` bytes the bytes left could hold, at most 1,024 (so
        /// that a long payload asks for no great block). Below that bound, never fewer than the
        /// items there are: the bytes left run on past the array, to the envelope's end.
        private func room(each: Int) -> Int { min(max((parser.bytes.count - parser.index) / each, 1), 1024) }

        /// A non-empty array of `{"evidence":"…","measure":"…","pledged":…,"quantity":"…"}`.
        mutating func lines() -> [DeliveryLine]? {
            guard literal("[") else { return nil }
            var lines: [DeliveryLine] = []
            // Room for all the lines at once: grown from a few, the array of a return's dozen
            // lines was made again twice. Past the bound, the array grows as before.
            lines.reserveCapacity(room(each: Self.shortestLine))
            repeat {
                guard literal(#"{"evidence":"#), let evidence = knownString(), literal(#","measure":"#), let measure = knownString(),
                    literal(#","pledged":"#), let pledged = bool(), literal(#","quantity":"#), let quantity = decimal(), literal("}")
                else { return nil }
                lines.append(DeliveryLine(measure: measure, quantity: quantity, evidence: evidence, pledged: pledged))
            } while literal(",")
            return literal("]") ? lines : nil
        }

        /// A quarter, straight from its ten bytes when they spell one (such bytes are the string
        /// they spell), else from a string, as the field reader reads it.
        mutating func quarter() -> FinancialQuarter? {
            let start = parser.index + 1, end = start + 10
            if parser.current == UInt8(ascii: "\""), end < parser.bytes.count, parser.bytes[end] == UInt8(ascii: "\""), let base = parser.bytes.baseAddress,
                let quarter = FinancialQuarter(utf8: UnsafeBufferPointer(start: (base + start).assumingMemoryBound(to: UInt8.self), count: 10))
            {
                parser.index = end + 1
                return quarter
            }
            return string().flatMap(FinancialQuarter.init)
        }

        /// An event id read from its 36 bytes, as `EventID(_:)` reads the string they spell (an
        /// id has no escape and is never blank).
        mutating func eventID() -> EventID? {
            let start = parser.index + 1, end = start + 36
            guard parser.current == UInt8(ascii: "\""), end < parser.bytes.count, parser.bytes[end] == UInt8(ascii: "\""),
                let id = EventID.parse(parser.bytes[start..<end])
            else { return nil }
            parser.index = end + 1
            return id
        }

        /// ``string()`` for a line's evidence or measure: one read before again when written the
        /// same (``KnownStrings``).
        mutating func knownString() -> String? {
            guard parser.current == UInt8(ascii: "\"") else { return nil }
            // A string that starts with a printable byte other than a space, a quote (the string
            // is empty) or a backslash (an escape, perhaps of a space) is not blank: seen in the
            // bytes, where asking the string made costs a call.
            let first = parser.index + 1 < parser.bytes.count ? parser.bytes[parser.index + 1] : 0
            let printable = first > 0x20 && first < 0x7F && first != UInt8(ascii: "\"") && first != UInt8(ascii: "\\")
            guard let text = try? parser.parseString(knownIn: &known), printable || !text.isBlank else { return nil }
            return text
        }

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

        // Inlined, so that each key's length is known where it is compared: a few loads, not a loop.
        @inline(__always)
        mutating func literal(_ text: StaticString) -> Bool { parser.skip(text) }
    }
}
