import Foundation

/// Number formatting for the table: grouped integers, two-significant-figure ratios.
enum Format {
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func rate(_ perSecond: Double) -> String { perSecond.isFinite ? grouped(Int(perSecond.rounded())) : "–" }

    static func ratio(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return String(format: value >= 10 ? "%.0f×" : value >= 1 ? "%.2f×" : "%.3f×", value)
    }

    static func milliseconds(_ value: Double) -> String { String(format: value >= 100 ? "%.0f ms" : "%.1f ms", value) }
    static func microseconds(_ value: Double) -> String { String(format: value >= 100 ? "%.0f µs" : "%.2f µs", value) }
    static func mib(_ value: Double) -> String { String(format: "%.0f MiB", value) }

    /// 10000 → "10k", 1000000 → "1M".
    static func size(_ events: Int) -> String {
        if events >= 1_000_000 && events % 1_000_000 == 0 { return "\(events / 1_000_000)M" }
        if events >= 1_000 && events % 1_000 == 0 { return "\(events / 1_000)k" }
        return grouped(events)
    }
}
