/// An exact decimal number: `units × 10^−scale`, never binary floating point.
///
/// Quantities (0.25 FTE), proxy values with every published decimal (0.963812) and their
/// products are carried exactly; only a line's £ value is rounded, by ``Money/rounding(_:)``.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    // The digits held as two 64-bit words, not an `Int128`: an `Int128` field aligns every
    // value, array and object that holds a decimal on 16 bytes, which the allocator serves by a
    // slower path than its own, and pads a decimal to 32 bytes where these take 24.
    @usableFromInline let low: UInt64
    @usableFromInline let high: Int64
    /// How many of the digits are decimals (0…36).
    public let scale: Int

    /// The digits, as an integer.
    @inlinable
    public var units: Int128 { Int128(truncatingIfNeeded: UInt128(UInt64(bitPattern: high)) << 64 | UInt128(low)) }

    public static let zero = ExactDecimal(units: 0, scale: 0)
    static let maxScale = 36

    public init(units: Int128, scale: Int) {
        precondition((0...Self.maxScale).contains(scale), "scale out of range")
        low = UInt64(truncatingIfNeeded: units)
        high = Int64(truncatingIfNeeded: units >> 64)
        self.scale = scale
    }

    public init(_ integer: Int) { self.init(units: Int128(integer), scale: 0) }

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }

    /// The same value with trailing decimal zeros removed, so that 1.50 and 1.5 compare equal.
    public var normalized: ExactDecimal {
        var units = self.units, scale = self.scale
        // In 64 bits whenever the digits fit: a 128-bit remainder is a call into the runtime.
        if var narrow = Int64(exactly: units) {
            while scale > 0, narrow % 10 == 0 {
                narrow /= 10
                scale -= 1
            }
            return ExactDecimal(units: Int128(narrow), scale: scale)
        }
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return ExactDecimal(units: units, scale: scale)
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b) = aligned(lhs, rhs)
        return a == b
    }

    public func hash(into hasher: inout Hasher) {
        let normal = normalized
        hasher.combine(normal.units)
        hasher.combine(normal.scale)
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b) = aligned(lhs, rhs)
        return a < b
    }

    /// Both values' units at the larger scale.
    static func aligned(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> (Int128, Int128) {
        // Most figures added together share their scale (a measure's quantities, pence).
        if lhs.scale == rhs.scale { return (lhs.units, rhs.units) }
        let scale = max(lhs.scale, rhs.scale)
        return (scaled(lhs.units, by: scale - lhs.scale), scaled(rhs.units, by: scale - rhs.scale))
    }

    /// `units` × 10^`exponent`, in 64 bits whenever the digits and the product fit, as nearly
    /// every figure's do: a 128-bit product checked for overflow is a call into the runtime.
    @inline(__always)
    static func scaled(_ units: Int128, by exponent: Int) -> Int128 {
        if exponent == 0 { return units }
        if exponent < powersOfTen64.count, let narrow = Int64(exactly: units) {
            let (product, overflow) = narrow.multipliedReportingOverflow(by: powersOfTen64[exponent])
            if !overflow { return Int128(product) }
        }
        return units * power(exponent)
    }

    /// 10⁰ … 10¹⁸, every power of ten 64 bits hold.
    static let powersOfTen64: [Int64] = (0...18).reduce(into: []) { powers, exponent in powers.append(exponent == 0 ? 1 : powers[exponent - 1] * 10) }

    static func power(_ exponent: Int) -> Int128 {
        if exponent < powersOfTen.count { return powersOfTen[exponent] }
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// 10⁰ … 10³⁸, every power of ten 128 bits hold: asked for at every sum of two scales.
    static let powersOfTen: [Int128] = (0...38).reduce(into: []) { powers, exponent in powers.append(exponent == 0 ? 1 : powers[exponent - 1] * 10) }

    // MARK: - Arithmetic (exact; overflow of 128 bits traps, far beyond any council's budget)

    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (a, b) = aligned(lhs, rhs)
        return ExactDecimal(units: a + b, scale: max(lhs.scale, rhs.scale))
    }

    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (a, b) = aligned(lhs, rhs)
        return ExactDecimal(units: a - b, scale: max(lhs.scale, rhs.scale))
    }

    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        // In 64 bits whenever both and the product fit (a quantity times its proxy, nearly always).
        if let a = Int64(exactly: lhs.units), let b = Int64(exactly: rhs.units) {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            if !overflow { return ExactDecimal(units: Int128(product), scale: lhs.scale + rhs.scale).normalized }
        }
        return ExactDecimal(units: lhs.units * rhs.units, scale: lhs.scale + rhs.scale).normalized
    }

    /// Rounds to `decimals` places, halves away from zero (0.005 → 0.01, −0.005 → −0.01).
    public func rounded(toDecimals decimals: Int) -> ExactDecimal {
        guard scale > decimals else { return self }
        // In 64 bits whenever the digits fit, as nearly every figure's do.
        if scale - decimals <= 18, let narrow = Int64(exactly: units) {
            let divisor = Int64(Self.power(scale - decimals))
            let quotient = narrow / divisor, remainder = narrow % divisor
            let roundsAway = remainder.magnitude * 2 >= divisor.magnitude
            return ExactDecimal(units: Int128(roundsAway ? quotient + (narrow < 0 ? -1 : 1) : quotient), scale: decimals)
        }
        let divisor = Self.power(scale - decimals)
        let quotient = units / divisor, remainder = units % divisor
        let roundsAway = remainder.magnitude * 2 >= divisor.magnitude
        let adjusted = roundsAway ? quotient + (units < 0 ? -1 : 1) : quotient
        return ExactDecimal(units: adjusted, scale: decimals)
    }

    /// `self / divisor`, exact when it terminates within `decimals` places, else rounded
    /// half away from zero to `decimals` places. Used for shares of a term and percentages.
    public func divided(by divisor: ExactDecimal, decimals: Int) -> ExactDecimal {
        precondition(!divisor.isZero, "division by zero")
        // (a/10^s) / (b/10^t) = a·10^(t + d + 1) / (b·10^s), then round the extra digit.
        let numerator = Self.scaled(units, by: divisor.scale + decimals + 1)
        let denominator = Self.scaled(divisor.units, by: scale)
        // A 128-bit division is a call into the runtime; most shares and percentages fit 64 bits.
        let quotient = if let n = Int64(exactly: numerator), let d = Int64(exactly: denominator), n != .min { Int128(n / d) } else { numerator / denominator }
        let extended = ExactDecimal(units: quotient, scale: decimals + 1)
        return extended.rounded(toDecimals: decimals)
    }

    /// Plain text: digits, a point when there are decimals, a leading `-` when negative.
    /// Keeps the scale: 16.090 prints as "16.090".
    public var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// Appends ``description`` to `text`.
    public func write(to text: inout String) {
        withDigits { text.append(String(decoding: $0, as: UTF8.self)) }
    }

    /// Appends ``description``'s UTF-8 bytes to `bytes`: for a writer of many numbers into one
    /// buffer (the figures file), where each appended to a `String` cost more than writing it.
    public func write(to bytes: inout [UInt8]) {
        withDigits { bytes.append(contentsOf: $0) }
    }

    /// Calls `body` with ``description``'s bytes: the digits with `scale` of them after the
    /// point, at least one before it. Written straight into a buffer, with 64-bit arithmetic
    /// whenever the digits fit, as the figures file writes hundreds of thousands of numbers.
    private func withDigits(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        // 39 digits at most (Int128), a point, the zeros before a small number's digits, a sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 80) { buffer in
            var start = buffer.count, written = 0
            func put(_ byte: UInt8) {
                start -= 1
                buffer[start] = byte
            }
            func digit(_ value: UInt8) {
                if written == scale, scale > 0 { put(UInt8(ascii: ".")) }
                put(UInt8(ascii: "0") + value)
                written += 1
            }
            var wide = units.magnitude
            while wide > UInt128(UInt64.max) {
                digit(UInt8(wide % 10))
                wide /= 10
            }
            var narrow = UInt64(wide)
            repeat {
                digit(UInt8(narrow % 10))
                narrow /= 10
            } while narrow > 0 || written <= scale
            if units < 0 { put(UInt8(ascii: "-")) }
            body(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}
