import LedgerValues
import Projections
import SocialValue

/// Small, exact text helpers shared by the three renderings of the Cabinet report, so that a
/// figure reads the same in HTML, Markdown and CSV.
enum CabinetReportText {
    /// HTML-escapes ledger text. `/` is escaped too, so that text from the ledger can never put
    /// a `//` (a scheme-relative address) into a file that must refer to nothing outside itself.
    static func html(_ text: String) -> String {
        // Most ledger text has nothing to escape: a byte scan says so without walking Characters.
        guard htmlSpecial.containsAny(of: text) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "/": escaped += "&#47;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// HTML-escaped text for a heading, with every financial year or quarter in it (`2025-26`,
    /// `2025-26-Q2`) kept on one line: a heading never breaks as "2025-" / "26".
    static func heading(_ text: String) -> String {
        html(text).replacing(#/\b\d{4}-\d{2}(?:-Q[1-4])?\b/#) { "<span class=\"nowrap\">\($0.output)</span>" }
    }

    /// Backslash-escapes Markdown punctuation and flattens line breaks, so that a title with `|`,
    /// `*` or `<b>` stays one table cell of plain text in any CommonMark reader.
    static func markdown(_ text: String) -> String {
        guard markdownSpecial.containsAny(of: text) else { return text }
        var escaped = ""
        for character in text {
            if "\\`*_[]<>|#&!".contains(character) {
                escaped.append("\\")
                escaped.append(character)
            } else if character == "\n" || character == "\r" {
                escaped.append(" ")
            } else {
                escaped.append(character)
            }
        }
        return escaped
    }

    /// The bytes of the characters ``html(_:)`` and ``markdown(_:)`` change. All are ASCII, so a
    /// text without these bytes has none of those characters and comes back as it is.
    static let htmlSpecial = ASCIISet("&<>\"'/")
    static let markdownSpecial = ASCIISet("\\`*_[]<>|#&!\n\r")

    /// `part ÷ whole` as a percentage, rounded *down* to one decimal place, so that a ratio
    /// just under a rating cut-off (94.96%) never reads as if it had reached it (95.0%).
    static func percent(_ part: ExactDecimal, of whole: ExactDecimal) -> String? {
        guard whole > .zero else { return nil }
        let ratio = (part * ExactDecimal(100)).divided(by: whole, decimals: 6)
        var tenths = ratio.units
        for _ in 1..<max(1, ratio.scale) { tenths /= 10 }
        if ratio.scale == 0 { tenths *= 10 }
        let sign = tenths < 0 ? "-" : ""
        return sign + String(tenths.magnitude / 10) + "." + String(tenths.magnitude % 10) + "%"
    }

    static func percent(_ part: Int, of whole: Int) -> String? {
        percent(ExactDecimal(part), of: ExactDecimal(whole))
    }

    /// Delivered as a share of expected: "—" when nothing is expected yet.
    static func deliveredShare(_ amounts: Amounts) -> String {
        percent(amounts.delivered.decimal, of: amounts.expected.decimal) ?? "—"
    }

    /// A weighting percentage as recorded: "7.5%", "10%".
    static func weighting(_ percent: ExactDecimal) -> String { percent.normalized.description + "%" }

    /// A weighting basis as words: "board override", "policy minimum", "matrix".
    static func basis(_ basis: WeightingDecision.Basis) -> String { basis.rawValue.split(separator: "-").joined(separator: " ") }

    /// A rating cut-off of ``PerformanceRating`` as a whole percentage ("95%"), read from the one
    /// place the cut-offs live, so that the report's explanation cannot drift from the rule.
    static func cutOff(_ fraction: ExactDecimal) -> String { (fraction * ExactDecimal(100)).normalized.description + "%" }

    /// The rating cut-offs in words, one line per rating, worst last.
    static func ratingCutOffs(_ cutOffs: RatingCutOffs) -> [(PerformanceRating, String)] {
        let good = cutOff(cutOffs.good), approaching = cutOff(cutOffs.approachingTarget)
        let improvement = cutOff(cutOffs.requiresImprovement)
        return [
            (.good, "\(good) or more of the value expected so far has been delivered"),
            (.approachingTarget, "\(approaching) to under \(good)"),
            (.requiresImprovement, "\(improvement) to under \(approaching)"),
            (.inadequate, "under \(improvement)"),
            (.notYetDue, "nothing was expected yet (the commitment has not started)"),
        ]
    }

    /// The rating name with a capital letter, as it heads a badge or a sentence.
    static func ratingLabel(_ rating: PerformanceRating) -> String {
        rating.rawValue.prefix(1).uppercased() + rating.rawValue.dropFirst()
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// "30 September 2025": dates as a Cabinet paper writes them.
    static func longDate(_ date: CalendarDate) -> String { "\(date.day) \(monthNames[date.month - 1]) \(date.year)" }

    /// "1 July to 30 September 2025", the year given once when both ends share it.
    static func span(_ first: CalendarDate, _ last: CalendarDate) -> String {
        let start = first.year == last.year ? "\(first.day) \(monthNames[first.month - 1])" : longDate(first)
        return "\(start) to \(longDate(last))"
    }

    /// "Thursday, 8 January 2026": a meeting date as a Cabinet paper gives it.
    static func meetingDate(_ date: CalendarDate) -> String {
        // 1 January 1970 was a Thursday.
        let weekdays = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"]
        let index = Int(((date.daysSinceEpoch % 7) + 7) % 7)
        return "\(weekdays[index]), \(longDate(date))"
    }

    /// A quantity as people read it: thousands grouped, at most `decimals` places (rounded half
    /// away from zero), no trailing zeros: "140,000", "14.3", "0.5".
    static func quantity(_ value: ExactDecimal, decimals: Int = 1) -> String {
        let rounded = value.rounded(toDecimals: decimals).normalized
        let text = rounded.description
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", maxSplits: 1).map(String.init)
        return (negative ? "-" : "") + grouped(parts[0]) + (parts.count == 2 ? "." + parts[1] : "")
    }

    /// "1234567" → "1,234,567".
    static func grouped(_ digits: String) -> String {
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// A £ quantity (the unit of a spend measure) in whole pounds: "£140,000", "£200,373".
    static func poundsQuantity(_ value: ExactDecimal) -> String {
        let text = quantity(value, decimals: 0)
        return text.hasPrefix("-") ? "-£" + text.dropFirst() : "£" + text
    }

    /// A quantity in its unit's terms: money for £ units, a number otherwise.
    static func quantity(_ value: ExactDecimal, unit: String) -> String {
        unit.hasPrefix("£") ? poundsQuantity(value) : quantity(value)
    }

    /// "£2.5bn", "£1.39m", "£481.4k", "£193": short labels for chart bars and axes, rounded half up from
    /// exact pence. Tables beside the charts give every figure to the penny.
    static func compactMoney(_ money: Money) -> String {
        let sign = money.pence < 0 ? "-" : ""
        let pence = money.pence.magnitude
        func scaled(_ unitPence: UInt64, decimals: UInt64, suffix: String) -> String {
            let step = unitPence / decimals
            let rounded = (pence + step / 2) / step
            let whole = rounded / decimals, fraction = rounded % decimals
            var digits = decimals == 100 ? (fraction < 10 ? "0" : "") + String(fraction) : String(fraction)
            while digits.hasSuffix("0") { digits.removeLast() }
            let trimmed = digits.isEmpty ? "" : "." + digits
            return sign + "£" + String(whole) + trimmed + suffix
        }
        if pence >= 100_000_000_000 { return scaled(100_000_000_000, decimals: 100, suffix: "bn") }
        if pence >= 100_000_000 { return scaled(100_000_000, decimals: 100, suffix: "m") }
        if pence >= 100_000 { return scaled(100_000, decimals: 10, suffix: "k") }
        return sign + "£" + String((pence + 50) / 100)
    }
}

/// A set of ASCII bytes as two bit masks: cheap enough to test every byte of a report's text,
/// where a `Set<UInt8>` would hash each one.
struct ASCIISet: Sendable {
    private var low: UInt64 = 0, high: UInt64 = 0

    init(_ characters: String) {
        for byte in characters.utf8 {
            precondition(byte < 128, "ASCII only")
            if byte < 64 { low |= 1 << byte } else { high |= 1 << (byte - 64) }
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low & (1 << byte) != 0 : byte < 128 && high & (1 << (byte - 64)) != 0
    }

    /// Whether any byte of `text` is in the set: read in place where its bytes are contiguous,
    /// as a native string's are (through the UTF-8 view, a scan cost ten times as much).
    func containsAny(of text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(where: contains) } ?? text.utf8.contains(where: contains)
    }
}

extension CalendarDate {
    /// "5 December 2025": a date as people in a council read it, in every front end.
    public var longForm: String { CabinetReportText.longDate(self) }
}

extension PerformanceRating {
    /// "Requires improvement": the rating as a label starts.
    public var label: String { CabinetReportText.ratingLabel(self) }
}

extension ExactDecimal {
    /// "140,000", "14.3": a quantity as people read it, thousands grouped, at most `decimals`
    /// places.
    public func readable(decimals: Int = 1) -> String { CabinetReportText.quantity(self, decimals: decimals) }

    /// A quantity in its unit's terms: "£650,000" for a £ unit, "24" otherwise.
    public func readable(unit: String) -> String { CabinetReportText.quantity(self, unit: unit) }
}

extension String {
    /// The text escaped for HTML content and quoted attributes alike (`&`, `<`, `>`, `"`, `'`
    /// and `/`): how every HTML svledger writes, reports and web pages, puts in ledger text.
    public var htmlEscaped: String { CabinetReportText.html(self) }
}
