/// An amount in pounds sterling, held exactly in pence.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let pence: Int64

    public static let zero = Money(pence: 0)

    public init(pence: Int64) { self.pence = pence }

    /// The value of `quantity × proxy`, computed exactly and then rounded to the penny,
    /// halves away from zero: the one rounding rule of svledger (Schemas/README.md §7).
    public static func lineValue(quantity: ExactDecimal, proxy: ExactDecimal) -> Money {
        rounding(quantity * proxy)
    }

    /// The largest amount svledger records: £10^15, far beyond any contract, and small
    /// enough that sums of many such amounts still fit in 64-bit pence.
    public static let limit = ExactDecimal(units: 1_000_000_000_000_000, scale: 0)

    /// Whether `amount` is within ±``limit``, so that rounding it to pence cannot overflow.
    public static func fits(_ amount: ExactDecimal) -> Bool {
        amount.units.magnitude <= limit.units.magnitude * ExactDecimal.power(amount.scale).magnitude
    }

    /// An exact amount rounded to the penny, halves away from zero. `amount` must fit (``fits(_:)``).
    public static func rounding(_ amount: ExactDecimal) -> Money {
        let pennies = amount.rounded(toDecimals: 2)
        let atTwo = ExactDecimal.scaled(pennies.units, by: 2 - pennies.scale)
        return Money(pence: Int64(atTwo))
    }

    public var decimal: ExactDecimal { ExactDecimal(units: Int128(pence), scale: 2) }

    public static func + (lhs: Money, rhs: Money) -> Money { Money(pence: lhs.pence + rhs.pence) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(pence: lhs.pence - rhs.pence) }
    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.pence < rhs.pence }

    /// "1108152.00": the form stored in events and written to CSV.
    public var plain: String { decimal.description }

    /// "£1,108,152.00": the form people read.
    public var formatted: String {
        let whole = String(pence.magnitude / 100)
        var grouped = ""
        for (index, digit) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let pennies = pence.magnitude % 100
        return (pence < 0 ? "-" : "") + "£" + grouped + "." + (pennies < 10 ? "0" : "") + String(pennies)
    }

    public var description: String { formatted }
}
