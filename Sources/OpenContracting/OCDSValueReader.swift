import LedgerValues
import SocialValue

/// Reads OCDS values (amounts, quantities, dates) exactly, noting a finding for each that
/// cannot be read instead of guessing it.
struct OCDSValueReader {
    let ocid: String
    var findings: [OCDSImportFinding] = []

    mutating func note(_ kind: OCDSImportFinding.Kind, _ path: String, _ message: String) {
        findings.append(OCDSImportFinding(kind, ocid: ocid, path: path, message))
    }

    /// An OCDS `Value` in pounds sterling: `{"amount": 4250000.00, "currency": "GBP"}`.
    mutating func money(_ value: NoticeJSON, _ path: String) -> Money? {
        guard let currency = value["currency"]?.string else {
            note(.invalidValue, "\(path).currency", "a value must name its currency (GBP)")
            return nil
        }
        // svledger records pounds sterling only; converting would need a rate and a date
        // the notice does not give, so any other currency stops the import.
        guard currency == "GBP" else {
            note(.unsupportedCurrency, "\(path).currency", "\(DisplayText.quoted(currency)) is not GBP; svledger records pounds sterling only")
            return nil
        }
        guard let amount = value["amount"], let text = Self.decimalText(amount) else {
            note(.invalidValue, "\(path).amount", "a value needs an amount, a number")
            return nil
        }
        do { return try ValueParsing.money(text) } catch {
            note(.invalidValue, "\(path).amount", "\(text) \(error.reason)")
            return nil
        }
    }

    /// A quantity (an observation's `measure`): a number, or a string holding one.
    mutating func quantity(_ value: NoticeJSON?, _ path: String) -> ExactDecimal? {
        guard let value, let text = Self.decimalText(value) ?? value.string else {
            note(.invalidValue, path, "a quantity must be a number")
            return nil
        }
        do { return try ValueParsing.quantity(text) } catch {
            note(.invalidValue, path, "\(error)")
            return nil
        }
    }

    /// A day from an OCDS date-time.
    mutating func day(_ value: NoticeJSON?, _ path: String) -> CalendarDate? {
        guard let text = value?.string, let day = OCDSDates.day(text) else {
            note(value == nil ? .missingField : .invalidValue, path, "must be a date-time such as 2025-04-01T00:00:00Z")
            return nil
        }
        return day
    }

    /// A JSON number's text as a plain decimal (an exponent shifts the point; no binary
    /// floating point on the way), or nil for anything else.
    static func decimalText(_ value: NoticeJSON) -> String? {
        guard case .number(let text) = value else { return nil }
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
}
