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
    mutating func money(_ value: OCDSValue, _ path: String) -> Money? {
        guard let currency = value["currency"]?.stringValue else {
            note(.invalidValue, "\(path).currency", "a value must name its currency (GBP)")
            return nil
        }
        // svledger records pounds sterling only; converting would need a rate and a date
        // the notice does not give, so any other currency stops the import.
        guard currency == "GBP" else {
            note(.unsupportedCurrency, "\(path).currency", "\(DisplayText.quoted(currency)) is not GBP; svledger records pounds sterling only")
            return nil
        }
        guard let amount = value["amount"], let text = amount.decimalText else {
            note(.invalidValue, "\(path).amount", "a value needs an amount, a number")
            return nil
        }
        do { return try ValueParsing.money(text) } catch {
            note(.invalidValue, "\(path).amount", "\(text) \(error.reason)")
            return nil
        }
    }

    /// A quantity (an observation's `measure`): a number, or a string holding one.
    mutating func quantity(_ value: OCDSValue?, _ path: String) -> ExactDecimal? {
        guard let value, let text = value.decimalText ?? value.stringValue else {
            note(.invalidValue, path, "a quantity must be a number")
            return nil
        }
        do { return try ValueParsing.quantity(text) } catch {
            note(.invalidValue, path, "\(error)")
            return nil
        }
    }

    /// A day from an OCDS date-time.
    mutating func day(_ value: OCDSValue?, _ path: String) -> CalendarDate? {
        guard let text = value?.stringValue, let day = OCDSDates.day(text) else {
            note(value == nil ? .missingField : .invalidValue, path, "must be a date-time such as 2025-04-01T00:00:00Z")
            return nil
        }
        return day
    }
}
