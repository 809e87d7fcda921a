import LedgerValues
import SocialValue

/// A JSON value as OCDS publishes it: what the export writes and what the import reads.
///
/// Unlike the ledger's canonical `JSONValue`, OCDS needs decimal numbers
/// (`"amount": 1250000.50`), and a release reads best with its keys in the standard's order
/// rather than sorted, so objects keep their members in order (as built, or as the document
/// wrote them). A number is held as its JSON text, written from an exact decimal's digits or
/// kept as a document wrote it, so amounts reach exact decimals and money without ever
/// passing through a binary floating point.
///
/// Not `indirect`: the arrays already give the recursion its indirection, and a box around
/// every value would cost an allocation for each one and keep an object's members from being
/// changed in place (the records' merge). Dropping it took the 1M-event records export from
/// 28 s to 21 s (docs/open-contracting.md).
public enum OCDSValue: Sendable, Equatable {
    /// Read from published documents only: the export omits a field it has nothing for.
    case null
    case bool(Bool)
    /// The number's JSON text, e.g. `1250000.50`, `-3` or `1.2e6`. Two numbers are equal when
    /// their text is.
    case number(String)
    case string(String)
    case array([OCDSValue])
    /// Members in order (duplicate keys are refused when reading).
    case object([Member])

    public struct Member: Sendable, Equatable {
        public let key: String
        public var value: OCDSValue

        public init(_ key: String, _ value: OCDSValue) {
            self.key = key
            self.value = value
        }
    }

    /// A number written from an exact decimal's digits, keeping its scale (`0.30`).
    public static func number(_ value: ExactDecimal) -> OCDSValue { .number(value.description) }

    /// An object from its members in order, leaving out those that are `nil` (OCDS omits a
    /// field it has nothing for, rather than writing null).
    public static func object(_ members: (String, OCDSValue?)...) -> OCDSValue { object(members: members) }

    /// An object of the members that have a value, in order.
    public static func object(members: [(String, OCDSValue?)]) -> OCDSValue {
        .object(members.compactMap { key, value in value.map { Member(key, $0) } })
    }

    public subscript(key: String) -> OCDSValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var arrayValue: [OCDSValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number's exact value, read as the ledger reads decimals (`ValueParsing`), or nil for
    /// anything else, or for a number past its bounds (more than 12 decimal places, 18 digits).
    public var numberValue: ExactDecimal? {
        decimalText.flatMap { try? ValueParsing.decimal($0, allowNegative: true) }
    }

    /// A number's text as a plain decimal (an exponent shifts the point; no binary floating
    /// point on the way), or nil for anything else.
    var decimalText: String? {
        guard case .number(let text) = self else { return nil }
        let parts = text.split(whereSeparator: { $0 == "e" || $0 == "E" }).map(String.init)
        guard parts.count == 2, let exponent = Int(parts[1]), abs(exponent) <= 40 else { return parts.count == 1 ? text : nil }
        var mantissa = parts[0]
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let point = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = mantissa.filter { $0 != "." }
        var newPoint = point + exponent
        if newPoint <= 0 {
            digits = String(repeating: "0", count: 1 - newPoint) + digits
            newPoint = 1
        }
        if newPoint > digits.count { digits += String(repeating: "0", count: newPoint - digits.count) }
        let whole = String(digits.prefix(newPoint)), fraction = String(digits.dropFirst(newPoint))
        let trimmedWhole = whole.drop { $0 == "0" }
        return (negative ? "-" : "") + (trimmedWhole.isEmpty ? "0" : String(trimmedWhole)) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// A plain name of the value's JSON type, for messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Compact JSON text, UTF-8.
    public func appendJSON(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .string(let text): JSONValue.appendString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for index in elements.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                elements[index].appendJSON(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for index in members.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.appendString(members[index].key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[index].value.appendJSON(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    public var jsonText: String {
        var bytes: [UInt8] = []
        appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension OCDSValue {
    /// OCDS `Value`: an amount in pounds, exact to the penny, and its currency.
    public static func gbp(_ money: Money) -> OCDSValue {
        .object(("amount", .number(money.decimal)), ("currency", .string("GBP")))
    }

    /// An OCDS date-time for a day: the start of that day in the UK (``UKTime``), `Z` in
    /// winter and `+01:00` in summer.
    public static func day(_ date: CalendarDate) -> OCDSValue { .string("\(date)T00:00:00\(UKTime.offset(date, hour: 0))") }

    /// An OCDS date-time for the end of a day in the UK (a period's last day is inclusive).
    public static func endOfDay(_ date: CalendarDate) -> OCDSValue { .string("\(date)T23:59:59\(UKTime.offset(date, hour: 23))") }
}
