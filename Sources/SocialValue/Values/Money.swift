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
        // Written from the right into bytes: grouping the digits of a `String` counted its
        // characters again at every digit, which made each figure of a report thousands of
        // instructions.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var start = buffer.count
            func put(_ byte: UInt8) {
                start -= 1
                buffer[start] = byte
            }
            let pennies = pence.magnitude % 100
            var pounds = pence.magnitude / 100, digits = 0
            put(UInt8(ascii: "0") + UInt8(pennies % 10))
            put(UInt8(ascii: "0") + UInt8(pennies / 10))
            put(UInt8(ascii: "."))
            repeat {
                if digits > 0, digits % 3 == 0 { put(UInt8(ascii: ",")) }
                put(UInt8(ascii: "0") + UInt8(pounds % 10))
                pounds /= 10
                digits += 1
            } while pounds > 0
            put(0xA3)  // "£" in UTF-8: C2 A3
            put(0xC2)
            if pence < 0 { put(UInt8(ascii: "-")) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    public var description: String { formatted }
}
