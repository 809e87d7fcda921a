import LedgerValues

/// A value that could not be read, with the reason in words.
public struct ValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String { "\(DisplayText.quoted(text)) \(reason)" }

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }
}

/// Reads the numbers people type and portals print.
///
/// Accepts `£1,108,152.00`, `£ 738,768.00`, `1108152` and `0.25`; refuses `1.2.3`, `NaN`,
/// `£` alone, misplaced thousands separators, and negatives wherever they make no sense.
public enum ValueParsing {
    /// Parses a decimal; `allowCurrency` accepts a leading `£`; negatives are refused
    /// unless `allowNegative`.
    public static func decimal(
        _ text: String, allowCurrency: Bool = false, allowNegative: Bool = false
    ) throws(ValueError) -> ExactDecimal {
        if let plain = plainDecimal(text) { return plain }
        func fail(_ reason: String) -> ValueError { ValueError(text: text, reason: reason) }
        var body = Substring(text.trimmingSpaces)
        if body.isEmpty { throw fail("is empty") }
        var negative = false
        if body.first == "-" {
            negative = true
            body = body.dropFirst()
        }
        if body.first == "£" {
            guard allowCurrency else { throw fail("is not a plain number (remove the £)") }
            body = Substring(body.dropFirst().trimmingSpaces)
        }
        if body.first == "-", !negative {
            negative = true
            body = body.dropFirst()
        }
        if body.isEmpty { throw fail("has no digits") }
        if negative, !allowNegative { throw fail("must not be negative") }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 2 { throw fail("has more than one decimal point") }
        let integerPart = parts[0], fractionPart = parts.count == 2 ? parts[1] : ""
        if parts.count == 2, fractionPart.isEmpty { throw fail("ends with a decimal point") }
        if integerPart.isEmpty { throw fail("has no digits before the decimal point") }
        let integerDigits = try checkedGrouping(integerPart, fail: fail)
        guard fractionPart.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw fail(body.contains(where: { $0.isLetter }) ? "is not a number" : "has a stray character after the decimal point")
        }
        guard fractionPart.count <= 12 else { throw fail("has more than 12 decimal places") }
        // Bounds that keep every product of two values inside 128 bits and every £ inside
        // 64-bit pence: at most 15 digits before the point and 18 significant digits.
        let significant = (integerDigits + fractionPart).drop { $0 == "0" }
        guard integerDigits.drop(while: { $0 == "0" }).count <= 15, significant.count <= 18 else {
            throw fail("is too large (at most 15 digits before the decimal point and 18 in all)")
        }
        let units = Int128(integerDigits + fractionPart)!
        return ExactDecimal(units: negative ? -units : units, scale: fractionPart.count)
    }

    /// The common case, read straight from the bytes: digits with at most one point inside
    /// (what svledger itself writes), within the same bounds as the full reader. Anything else,
    /// including every malformed input, goes to the full reader and its messages.
    static func plainDecimal(_ text: String) -> ExactDecimal? { plainDecimal(utf8: text.utf8) }

    /// ``plainDecimal(_:)`` of the text whose UTF-8 bytes are `utf8`: for a reader of stored
    /// bytes, which then makes no `String` of a number.
    static func plainDecimal(utf8: some Sequence<UInt8>) -> ExactDecimal? {
        // In 64 bits: at most 18 significant digits are taken, and the 19th, on which the
        // reader gives up, still fits (a 128-bit product checked for overflow is a call into
        // the runtime, for every digit).
        var units: UInt64 = 0, scale = 0, digits = 0, significant = 0, integerDigits = 0
        var seenPoint = false
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                units = units &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if units != 0 { significant += 1 }
                if seenPoint { scale += 1 } else if units != 0 { integerDigits += 1 }
            case UInt8(ascii: "."):
                guard !seenPoint, digits > 0 else { return nil }
                seenPoint = true
            default:
                return nil
            }
            if significant > 18 || integerDigits > 15 || scale > 12 { return nil }
        }
        guard digits > 0, !(seenPoint && scale == 0) else { return nil }
        return ExactDecimal(units: Int128(units), scale: scale)
    }

    /// Digits of the integer part; commas are allowed only between groups of three.
    private static func checkedGrouping(
        _ part: Substring, fail: (String) -> ValueError
    ) throws(ValueError) -> String {
        guard part.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "," }) else {
            throw fail(part.contains(where: { $0.isLetter }) ? "is not a number" : "has a character that is not a digit")
        }
        guard part.contains(",") else { return String(part) }
        let groups = part.split(separator: ",", omittingEmptySubsequences: false)
        guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
            throw fail("has misplaced thousands separators")
        }
        return groups.joined()
    }

    /// A quantity: a non-negative decimal without a currency sign.
    public static func quantity(_ text: String) throws(ValueError) -> ExactDecimal {
        try decimal(text)
    }

    /// An amount of money; more than two decimal places is refused rather than rounded.
    public static func money(_ text: String) throws(ValueError) -> Money {
        let value = try decimal(text, allowCurrency: true)
        guard value.normalized.scale <= 2 else { throw ValueError(text: text, reason: "has fractions of a penny") }
        return Money.rounding(value)
    }

    /// A percentage between 0 and 100 ("10", "9.99", "10%").
    public static func percent(_ text: String) throws(ValueError) -> ExactDecimal {
        var trimmed = text.trimmingSpaces
        if trimmed.hasSuffix("%") { trimmed.removeLast() }
        let value = try decimal(trimmed)
        guard value <= ExactDecimal(100) else { throw ValueError(text: text, reason: "is more than 100%") }
        return value
    }
}

extension StringProtocol {
    /// Whether the text holds anything besides whitespace. Checked for every string field of
    /// every event read back, so the common case (a printable ASCII first byte) is decided
    /// without building Characters, and inlined where it is called: as a generic call across
    /// modules each check retained the string and went through witness tables.
    @inlinable public var isBlank: Bool {
        if let first = utf8.first, first > 0x20, first < 0x7F { return false }
        return trimmingSpaces.isEmpty
    }

    public var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

extension ValueError: CategorizedError {
    public var kind: String { "invalid-value" }
    public var category: ErrorCategory { .input }
}
