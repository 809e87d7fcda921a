import LedgerValues
import SocialValue

/// How a TOMs measure's figures sit in the metrics extension, which asks for `value` on a
/// financial metric and `measure` on any other. A line is two metrics under one code:
/// - the measure itself, its quantity as `measure` with its unit, or, where the measure is
///   money (its unit is £, as local spend is), as `value` in GBP;
/// - its social value, a financial metric of its own (`socialValue/<code>`): the quantity at
///   the catalog's proxy value, in GBP. So the £ a council reports is published, and never in
///   the place of a quantity.
enum OCDSMetricFigures {
    /// What a social value metric's id starts with, before the measure's code.
    static let socialValuePrefix = "socialValue/"

    static func isSocialValue(_ metricId: String) -> Bool { metricId.hasPrefix(socialValuePrefix) }

    /// A measure whose quantity is pounds: `£`, `£ spent` and the like.
    static func isMoney(unit: String?) -> Bool { unit?.hasPrefix("£") == true }

    /// An observation's figure for `quantity` of a measure in `unit`: `value` in GBP for money,
    /// else `measure` and `unit`. The amount is the exact decimal, never rounded.
    static func figure(_ quantity: ExactDecimal, unit: String?) -> [(String, OCDSValue?)] {
        if isMoney(unit: unit) { return [("value", .object(("amount", .number(quantity)), ("currency", .string("GBP"))))] }
        return [("measure", .number(quantity)), ("unit", unit.map { .object(("name", .string($0))) })]
    }

    /// The social value metric of measure `code`, with one observation: `id` (the target, or
    /// the quarter), its `period` when it has one, the £ and a note.
    static func socialValue(
        _ code: String, observation id: String, period: OCDSValue? = nil, value: Money, notes: String? = nil
    ) -> OCDSValue {
        .object(
            ("id", .string(socialValuePrefix + code)),
            ("title", .string("Social value of \(code) at its TOMs proxy value")),
            ("observations", .array([.object(("id", .string(id)), ("period", period), ("value", .gbp(value)), ("notes", notes.map(OCDSValue.string)))])))
    }

    /// An observation's quantity as the import reads it: `measure`, or, for a money measure
    /// published as a financial metric, the amount of its GBP `value`.
    static func quantity(_ observation: OCDSValue, _ path: String, _ reader: inout OCDSValueReader) -> ExactDecimal? {
        if observation["measure"] == nil, let value = observation["value"], value["currency"]?.stringValue == "GBP" {
            return reader.quantity(value["amount"], "\(path).value.amount")
        }
        return reader.quantity(observation["measure"], "\(path).measure")
    }
}
