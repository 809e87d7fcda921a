import LedgerValues
import SocialValue

/// How read documents write values (Schemas/read/common.schema.json): money and quantities as
/// plain decimal strings, never "£1,234.50" and never JSON numbers (which a reader may round);
/// the currency is named once per document by ``currency``; absent values are `null`, with
/// the key still present, so a document always has the same keys.
enum ReadJSON {
    /// Every amount in svledger is in pounds sterling.
    static let currency: JSONValue = "GBP"

    static func money(_ value: Money) -> JSONValue { .string(value.plain) }
    static func money(_ value: Money?) -> JSONValue { value.map(money) ?? .null }
    static func decimal(_ value: ExactDecimal) -> JSONValue { .string(value.description) }
    static func decimal(_ value: ExactDecimal?) -> JSONValue { value.map(decimal) ?? .null }
    static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    static func text(_ value: (some CustomStringConvertible)?) -> JSONValue { value.map { .string($0.description) } ?? .null }
    static func integer(_ value: some BinaryInteger) -> JSONValue { .integer(Int64(value)) }

}
