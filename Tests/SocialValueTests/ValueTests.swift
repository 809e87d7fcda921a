import LedgerValues
@testable import SocialValue
import Testing

@Suite("Exact values")
struct ValueTests {
    @Test("every quarter svledger can name reads back its year, number and text, and orders as time does")
    func quartersInOrder() {
        var wrong: [String] = []
        var quarter = FinancialQuarter(startYear: 1000, number: 1)!
        while quarter.startYear < 9998 || quarter.number < 4 {
            let next = quarter.next
            if !(quarter < next) || next == quarter || FinancialQuarter(next.description) != next
                || FinancialQuarter(startYear: next.startYear, number: next.number) != next || FinancialQuarter(containing: next.firstDay) != next {
                wrong.append(next.description)
            }
            quarter = next
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(quarter.description == "9998-99-Q4")
        let q = FinancialQuarter("2026-27-Q2")!
        #expect((q.startYear, q.number) == (2026, 2))
        #expect(FinancialQuarter("2025-26-Q4")! < FinancialQuarter("2026-27-Q1")!)
    }

    @Test("money and quantities are read as people write them", arguments: [
        ("£1,108,152.00", "1108152.00"), ("1108152", "1108152"), ("0.25", "0.25"), ("£ 738,768.00", "738768.00"),
        ("  12.50 ", "12.50"), ("0.9638118", "0.9638118"),
    ])
    func accepted(text: String, expected: String) throws {
        #expect(try ValueParsing.decimal(text, allowCurrency: true).description == expected)
    }

    @Test("malformed numbers are refused with a reason", arguments: [
        ("1.2.3", "more than one decimal point"), ("NaN", "is not a number"), ("£", "has no digits"), ("", "is empty"),
        ("1,00", "misplaced thousands separators"), ("12a", "is not a number"), ("1.", "ends with a decimal point"),
        ("£-5", "must not be negative"), ("1234567890123456", "is too large"), ("1.2345678901234567890", "more than 12 decimal places"),
        ("123456789012.1234567", "is too large"),
    ])
    func refused(text: String, reason: String) {
        let error = #expect(throws: ValueError.self) { try ValueParsing.decimal(text, allowCurrency: true) }
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("a negative quantity is refused, and money refuses fractions of a penny")
    func quantityAndMoneyRules() {
        #expect(throws: ValueError(text: "-5", reason: "must not be negative")) { try ValueParsing.quantity("-5") }
        #expect(throws: ValueError.self) { try ValueParsing.quantity("£5") }
        #expect(throws: ValueError.self) { try ValueParsing.money("1.005") }
        #expect(throws: ValueError.self) { try ValueParsing.percent("100.01") }
    }

    @Test("a line's value is quantity × proxy, exact, then rounded to the penny, halves away from zero", arguments: [
        ("24", "30782", "738768.00"), ("0.25", "16420", "4105.00"), ("50", "16.09", "804.50"), ("1000", "0.02223", "22.23"),
        ("250000", "0.963812", "240953.00"), ("250000", "0.9638118", "240952.95"), ("0.5", "16.09", "8.05"),
        ("0.5", "0.01", "0.01"), ("0.4", "0.01", "0.00"), ("3", "0.3333333", "1.00"),
    ])
    func lineValue(quantity: String, proxy: String, expected: String) throws {
        let value = Money.lineValue(quantity: try ValueParsing.quantity(quantity), proxy: try ValueParsing.decimal(proxy))
        #expect(value.plain == expected)
    }

    @Test("exact arithmetic never drifts: 0.1 + 0.2 is 0.3, and sums of pence are exact")
    func noBinaryFloatingPoint() throws {
        let sum = try ValueParsing.decimal("0.1") + ValueParsing.decimal("0.2")
        #expect(sum == (try ValueParsing.decimal("0.3")))
        #expect(sum.description == "0.3")
        let total = (0..<1000).reduce(Money.zero) { sum, _ in sum + Money(pence: 1) }
        #expect(total.plain == "10.00")
    }

    @Test("money prints with £ and thousands separators")
    func moneyFormatting() {
        #expect(Money(pence: 110_815_200).formatted == "£1,108,152.00")
        #expect(Money(pence: 5).formatted == "£0.05")
        #expect(Money(pence: -123_456).formatted == "-£1,234.56")
    }

    @Test("money prints as the plain figure grouped in threes, at every length and at both ends of its range")
    func moneyFormattingAgreesWithPlain() {
        // The plain form ("-1234567.89") with a comma before each group of three whole digits
        // from the right, and "£" after any sign.
        func grouped(_ money: Money) -> String {
            let plain = money.plain, negative = plain.hasPrefix("-")
            let parts = plain.drop { $0 == "-" }.split(separator: ".")
            var whole = Array(parts[0]), out: [Character] = []
            while whole.count > 3 {
                out = [","] + whole.suffix(3) + out
                whole.removeLast(3)
            }
            return (negative ? "-" : "") + "£" + String(whole + out) + "." + parts[1]
        }
        var values: [Int64] = [0, 1, 9, 10, 99, 100, -1, -100, Int64.max, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power, power - 1, -power, -(power - 1), power + power / 3]
        }
        for pence in values { #expect(Money(pence: pence).formatted == grouped(Money(pence: pence)), "\(pence)") }
    }

    @Test("a decimal prints its digits with scale of them after the point, beyond 64 bits too", arguments: [
        (Int128(0), 0, "0"), (0, 2, "0.00"), (5, 2, "0.05"), (-5, 3, "-0.005"), (123_456, 2, "1234.56"), (-123_456, 0, "-123456"),
        (Int128(UInt64.max), 0, "18446744073709551615"), (Int128(UInt64.max) + 1, 0, "18446744073709551616"),
        (Int128.max, 36, "170.141183460469231731687303715884105727"), (Int128.min + 1, 1, "-17014118346046923173168730371588410572.7"),
        (7, 36, "0.000000000000000000000000000000000007"),
    ] as [(Int128, Int, String)])
    func decimalText(units: Int128, scale: Int, expected: String) {
        let value = ExactDecimal(units: units, scale: scale)
        #expect(value.description == expected)
        // Written after text already there, as the figures file writes its rows.
        var row = "a,"
        value.write(to: &row)
        #expect(row == "a," + expected)
    }

    @Test("rounding, trailing zeros and division give the same in 64 bits as in 128, on either side of 64 bits' limits", arguments: [
        Int128(Int64.max), Int128(Int64.max) + 1, Int128(Int64.max) - 5, Int128(Int64.min), Int128(Int64.min) - 1, Int128(Int64.min) + 5,
        Int128(Int64.max) * 10, Int128(12_345), Int128(-12_345), Int128(-5), Int128(5), Int128(0), Int128(1_000_000_000_000_000_000),
    ])
    func sixtyFourBitShortcuts(units: Int128) {
        // What each operation means, worked in 128 bits alone.
        func power(_ exponent: Int) -> Int128 { (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 } }
        for scale in [0, 1, 2, 3, 7, 18, 19, 20] {
            let value = ExactDecimal(units: units, scale: scale)
            for decimals in [0, 1, 2] where scale > decimals {
                let divisor = power(scale - decimals), quotient = units / divisor, remainder = units % divisor
                let rounded = remainder.magnitude * 2 >= divisor.magnitude ? quotient + (units < 0 ? -1 : 1) : quotient
                #expect(value.rounded(toDecimals: decimals) == ExactDecimal(units: rounded, scale: decimals), "\(value) to \(decimals) places")
                #expect(value.rounded(toDecimals: decimals).units == rounded)
            }
            var trimmed = (units, scale)
            while trimmed.1 > 0, trimmed.0 % 10 == 0 { trimmed = (trimmed.0 / 10, trimmed.1 - 1) }
            #expect((value.normalized.units, value.normalized.scale) == trimmed, "\(value) without trailing zeros")
        }
        for (divisor, decimals) in [(ExactDecimal(3), 4), (ExactDecimal(units: -7, scale: 1), 2), (ExactDecimal(units: 1, scale: 9), 0)] {
            let numerator = units * power(divisor.scale + decimals + 1), denominator = divisor.units
            let extended = ExactDecimal(units: numerator / denominator, scale: decimals + 1)
            #expect(ExactDecimal(units: units, scale: 0).divided(by: divisor, decimals: decimals) == extended.rounded(toDecimals: decimals))
        }
    }

    @Test("sums, comparisons and products of different scales give the same in 64 bits as in 128, on either side of 64 bits' limits", arguments: [
        Int128(Int64.max), Int128(Int64.max) + 1, Int128(Int64.max) / 10 + 1, Int128(Int64.min), Int128(Int64.min) - 1, Int128(Int64.min) / 100,
        Int128(3_037_000_500), Int128(-3_037_000_500), Int128(12_345), Int128(-5), Int128(0), Int128(1_000_000_000_000_000_000),
    ])
    func sixtyFourBitArithmetic(units: Int128) {
        func power(_ exponent: Int) -> Int128 { (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 } }
        for (scale, otherScale) in [(0, 0), (0, 2), (2, 0), (1, 7), (6, 2), (0, 18), (3, 19), (20, 1)] {
            for other in [Int128(1), Int128(-7), Int128(3_037_000_500), Int128(Int64.max), Int128(-12)] {
                let a = ExactDecimal(units: units, scale: scale), b = ExactDecimal(units: other, scale: otherScale)
                // What each means, worked in 128 bits alone (the values here never overflow 128).
                let common = max(scale, otherScale)
                let (x, y) = (units * power(common - scale), other * power(common - otherScale))
                #expect(a + b == ExactDecimal(units: x + y, scale: common), "\(a) + \(b)")
                #expect(a - b == ExactDecimal(units: x - y, scale: common), "\(a) - \(b)")
                #expect((a < b) == (x < y), "\(a) < \(b)")
                let product = ExactDecimal(units: units * other, scale: scale + otherScale).normalized
                #expect((a * b).units == product.units && (a * b).scale == product.scale, "\(a) × \(b)")
            }
        }
        // To the penny from any scale up to 2, and from below it.
        for scale in [0, 1, 2] where units.magnitude < UInt128(Int64.max) / 100 {
            #expect(Money.rounding(ExactDecimal(units: units, scale: scale)).pence == Int64(units * power(2 - scale)))
        }
    }

    @Test("a plain number read straight from its bytes is what the full reader reads, up to and past the bounds of both")
    func plainDecimalAgreesWithFullReader() {
        var texts: [String] = []
        for length in 1...21 {
            for digit in ["1", "9"] {
                let run = String(repeating: digit, count: length)
                texts += [run, "0" + run, "000" + run]
                for point in 1..<length { texts.append(String(run.prefix(point)) + "." + String(run.dropFirst(point))) }
                texts += ["0." + run, "0.000" + run, run + ".0", run + ".000"]
            }
        }
        for text in texts {
            let full = try? ValueParsing.decimal(text)
            if let plain = ValueParsing.plainDecimal(text) {
                #expect(plain == full && plain.scale == full?.scale, "\(text)")
            } else {
                // Given up only where the full reader has more to say, or refuses.
                let significant = text.filter(\.isNumber).drop { $0 == "0" }.count
                #expect(full == nil || significant > 18 || (full?.scale ?? 0) > 12 || text.split(separator: ".")[0].drop { $0 == "0" }.count > 15, "\(text)")
            }
        }
        #expect(ValueParsing.plainDecimal("999999999999999.999") != nil)
        #expect(ValueParsing.plainDecimal("9999999999999999999") == nil)
    }

    @Test("division rounds half away from zero at the requested places")
    func division() throws {
        #expect(ExactDecimal(1).divided(by: ExactDecimal(3), decimals: 4).description == "0.3333")
        #expect(ExactDecimal(2).divided(by: ExactDecimal(3), decimals: 2).description == "0.67")
        #expect(try ValueParsing.decimal("1.5").divided(by: ExactDecimal(2), decimals: 2).description == "0.75")
    }
}

@Suite("Financial quarters")
struct QuarterTests {
    @Test("quarters follow the UK financial year: Q1 is April to June")
    func quarters() throws {
        let q1 = try #require(FinancialQuarter("2025-26-Q1"))
        #expect(q1.firstDay.description == "2025-04-01")
        #expect(q1.lastDay.description == "2025-06-30")
        let q4 = try #require(FinancialQuarter("2025-26-Q4"))
        #expect(q4.firstDay.description == "2026-01-01")
        #expect(q4.lastDay.description == "2026-03-31")
        #expect(q4.next.description == "2026-27-Q1")
        #expect(FinancialQuarter(containing: CalendarDate("2026-03-31")!) == q4)
        #expect(FinancialQuarter(containing: CalendarDate("2025-04-01")!) == q1)
        #expect(FinancialQuarter(containing: CalendarDate("2025-12-31")!).description == "2025-26-Q3")
    }

    @Test("malformed quarters are refused", arguments: ["2025-27-Q1", "2025-26-Q5", "2025-26-Q0", "2025-Q1", "25-26-Q1", "2099-01-Q1", "2004-+5-Q1", "2025-26-Q+1"])
    func refused(text: String) {
        #expect(FinancialQuarter(text) == nil)
    }

    @Test("a quarter with any ASCII byte but a digit where a digit goes is refused, and each digit counts in its place")
    func quarterDigits() {
        var accepted: [String] = []
        for place in [0, 1, 2, 3, 5, 6, 9] {
            for byte in UInt8(0)...UInt8(127) where !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                var bytes = Array("2025-26-Q3".utf8)
                bytes[place] = byte
                let text = String(decoding: bytes, as: UTF8.self)
                if FinancialQuarter(text) != nil { accepted.append(text) }
            }
        }
        #expect(accepted.isEmpty)
        #expect(FinancialQuarter("1987-88-Q4").map { [$0.startYear, $0.number] } == [1987, 4])
        #expect(FinancialQuarter("2025-26-Q3").map { [$0.startYear, $0.number] } == [2025, 3])
    }

    @Test("the century rolls over: 2099-00 is the financial year after 2098-99")
    func centuryRollover() {
        #expect(FinancialQuarter("2099-00-Q1")?.startYear == 2099)
        #expect(FinancialQuarter(startYear: 2099, number: 1)?.description == "2099-00-Q1")
    }
}
