import LedgerValues
import SocialValue

/// A JSON value as OCDS publishes it. Unlike the ledger's canonical `JSONValue`, OCDS needs
/// decimal numbers (`"amount": 1234.56`), and a release reads best with its keys in the
/// standard's order rather than sorted, so objects keep the order they were built in.
/// Numbers are held as exact decimals and written from their digits: never a binary double.
public indirect enum OCDSValue: Sendable, Equatable {
    case string(String)
    case number(ExactDecimal)
    case bool(Bool)
    case array([OCDSValue])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public let key: String
        public var value: OCDSValue

        public init(_ key: String, _ value: OCDSValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object from its members in order, leaving out those that are `nil` (OCDS omits a
    /// field it has nothing for, rather than writing null).
    public static func object(_ members: (String, OCDSValue?)...) -> OCDSValue {
        .object(members.compactMap { key, value in value.map { Member(key, $0) } })
    }

    public subscript(key: String) -> OCDSValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var arrayValue: [OCDSValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var numberValue: ExactDecimal? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// Compact JSON text, UTF-8.
    public func appendJSON(to output: inout [UInt8]) {
        switch self {
        case .string(let text): JSONValue.appendString(text, to: &output)
        case .number(let number): output.append(contentsOf: number.description.utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
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

    /// An OCDS date-time for a day: the start of that day in UTC.
    public static func day(_ date: CalendarDate) -> OCDSValue { .string("\(date)T00:00:00Z") }

    /// An OCDS date-time for the end of a day (a period's last day is inclusive).
    public static func endOfDay(_ date: CalendarDate) -> OCDSValue { .string("\(date)T23:59:59Z") }
}
