import Projections
import SocialValue

/// The report's two charts as inline SVG, drawn here so that the HTML needs no script, font,
/// image or stylesheet from anywhere else. Each chart carries a `<title>` and a `<desc>` that
/// says in words what the bars show, and the HTML puts the same figures in a table beside it.
/// Money is exact everywhere else; here it only sets the length of a bar.
enum CabinetReportCharts {
    struct Series {
        let name: String
        /// A CSS class of the report's stylesheet, which holds the colour.
        let style: String
    }

    static let pledged = Series(name: "Pledged (current commitment)", style: "fill-pledged")
    static let expected = Series(name: "Expected to date", style: "fill-expected")
    static let delivered = Series(name: "Delivered to date", style: "fill-delivered")

    static let width = 960.0

    // MARK: - Pledged against delivered by theme

    /// Horizontal bars, three per theme (pledged, expected, delivered), the theme's name above
    /// them, each bar labelled with its value to the penny, and a £ axis beneath.
    static func themes(_ rollups: [Rollup], id: String) -> String {
        let left = 16.0, right = 130.0, legendHeight = 40.0, groupHeight = 92.0, barHeight = 15.0, barGap = 4.0
        let plotWidth = width - left - right
        let scale = Scale(maximum: rollups.map { max($0.amounts.current, $0.amounts.expected, $0.amounts.delivered, $0.amounts.original) }.max() ?? .zero)
        let plotBottom = legendHeight + Double(rollups.count) * groupHeight
        let height = plotBottom + 34
        var svg = open(id: id, height: height, title: "Pledged against delivered social value by theme",
                       description: rollups.map { r in
                           "\(r.key): pledged \(r.amounts.current.formatted), expected to date \(r.amounts.expected.formatted), delivered to date \(r.amounts.delivered.formatted)."
                       }.joined(separator: " "))
        svg += legend([pledged, expected, delivered], y: 14)
        for tick in scale.ticks {
            let x = left + plotWidth * scale.fraction(tick)
            svg += #"<line class="grid" x1="\#(n(x))" y1="\#(n(legendHeight - 6))" x2="\#(n(x))" y2="\#(n(plotBottom))"/>"#
            svg += #"<text class="tick" x="\#(n(x))" y="\#(n(plotBottom + 18))" text-anchor="middle">\#(CabinetReportText.compactMoney(tick))</text>"#
        }
        svg += #"<line class="axis" x1="\#(n(left))" y1="\#(n(legendHeight - 6))" x2="\#(n(left))" y2="\#(n(plotBottom))"/>"#
        svg += #"<line class="axis" x1="\#(n(left))" y1="\#(n(plotBottom))" x2="\#(n(left + plotWidth))" y2="\#(n(plotBottom))"/>"#
        for (index, rollup) in rollups.enumerated() {
            let top = legendHeight + Double(index) * groupHeight
            svg += #"<text class="group" x="\#(n(left + 6))" y="\#(n(top + 14))">\#(CabinetReportText.html(shortened(rollup.key, to: 110)))</text>"#
            let bars = [(pledged, rollup.amounts.current), (expected, rollup.amounts.expected), (delivered, rollup.amounts.delivered)]
            for (offset, (series, value)) in bars.enumerated() {
                let y = top + 22 + Double(offset) * (barHeight + barGap)
                let length = plotWidth * scale.fraction(value)
                svg += #"<rect class="\#(series.style)" x="\#(n(left))" y="\#(n(y))" width="\#(n(length))" height="\#(n(barHeight))"><title>\#(CabinetReportText.html(series.name)): \#(value.formatted)</title></rect>"#
                svg += #"<text class="value" x="\#(n(left + length + 6))" y="\#(n(y + barHeight - 3.5))">\#(value.formatted)</text>"#
            }
        }
        return svg + "</svg>"
    }

    // MARK: - Delivery by quarter

    /// Vertical bars for the four quarters of the financial year: expected and delivered £ in each
    /// quarter up to the period; later quarters are drawn as empty, labelled "not yet reached".
    static func quarters(_ quarters: [CabinetQuarter], id: String) -> String {
        let left = 84.0, right = 20.0, top = 48.0, plotHeight = 240.0
        let plotBottom = top + plotHeight, height = plotBottom + 52
        let slot = (width - left - right) / Double(max(1, quarters.count))
        let barWidth = min(72.0, slot / 3), gap = 12.0
        let scale = Scale(maximum: quarters.map { max($0.expected, $0.delivered) }.max() ?? .zero)
        let description = quarters.map { q in
            q.reached
                ? "\(q.quarter): expected \(q.expected.formatted), delivered \(q.delivered.formatted)."
                : "\(q.quarter): not yet reached."
        }.joined(separator: " ")
        var svg = open(id: id, height: height, title: "Social value delivered by quarter, \(quarters.first?.quarter.financialYear ?? "")", description: description)
        svg += legend([expected, delivered], y: 14, names: ["Expected in the quarter", "Delivered in the quarter"])
        for tick in scale.ticks {
            let y = plotBottom - plotHeight * scale.fraction(tick)
            svg += #"<line class="grid" x1="\#(n(left))" y1="\#(n(y))" x2="\#(n(width - right))" y2="\#(n(y))"/>"#
            svg += #"<text class="tick" x="\#(n(left - 8))" y="\#(n(y + 4))" text-anchor="end">\#(CabinetReportText.compactMoney(tick))</text>"#
        }
        svg += #"<line class="axis" x1="\#(n(left))" y1="\#(n(top - 8))" x2="\#(n(left))" y2="\#(n(plotBottom))"/>"#
        svg += #"<line class="axis" x1="\#(n(left))" y1="\#(n(plotBottom))" x2="\#(n(width - right))" y2="\#(n(plotBottom))"/>"#
        for (index, quarter) in quarters.enumerated() {
            let centre = left + slot * (Double(index) + 0.5)
            svg += #"<text class="group" x="\#(n(centre))" y="\#(n(plotBottom + 20))" text-anchor="middle">Q\#(quarter.quarter.number)</text>"#
            svg += #"<text class="tick" x="\#(n(centre))" y="\#(n(plotBottom + 37))" text-anchor="middle">\#(monthSpan(quarter.quarter))</text>"#
            guard quarter.reached else {
                svg += #"<rect class="unreached" x="\#(n(centre - barWidth - gap / 2))" y="\#(n(top + plotHeight * 0.55))" width="\#(n(2 * barWidth + gap))" height="\#(n(plotHeight * 0.45))"/>"#
                svg += #"<text class="tick" x="\#(n(centre))" y="\#(n(top + plotHeight * 0.8))" text-anchor="middle">not yet reached</text>"#
                continue
            }
            for (offset, (series, word, value)) in [(expected, "expected", quarter.expected), (delivered, "delivered", quarter.delivered)].enumerated() {
                let x = centre - barWidth - gap / 2 + Double(offset) * (barWidth + gap)
                let length = plotHeight * scale.fraction(value)
                svg += #"<rect class="\#(series.style)" x="\#(n(x))" y="\#(n(plotBottom - length))" width="\#(n(barWidth))" height="\#(n(length))"><title>\#(quarter.quarter) \#(word): \#(value.formatted)</title></rect>"#
                svg += #"<text class="value" x="\#(n(x + barWidth / 2))" y="\#(n(plotBottom - length - 6))" text-anchor="middle">\#(CabinetReportText.compactMoney(value))</text>"#
            }
        }
        return svg + "</svg>"
    }

    // MARK: - Parts

    static func open(id: String, height: Double, title: String, description: String) -> String {
        #"<svg class="chart" role="img" viewBox="0 0 \#(n(width)) \#(n(height))" aria-labelledby="\#(id)-title \#(id)-desc">"#
            + #"<title id="\#(id)-title">\#(CabinetReportText.html(title))</title>"#
            + #"<desc id="\#(id)-desc">\#(CabinetReportText.html(description))</desc>"#
    }

    static func legend(_ series: [Series], y: Double, names: [String]? = nil) -> String {
        var x = 16.0, svg = ""
        for (index, entry) in series.enumerated() {
            let name = names?[index] ?? entry.name
            svg += #"<rect class="\#(entry.style)" x="\#(n(x))" y="\#(n(y - 10))" width="14" height="14"/>"#
            svg += #"<text class="legend" x="\#(n(x + 20))" y="\#(n(y + 1))">\#(CabinetReportText.html(name))</text>"#
            x += 40 + Double(name.count) * 7.8
        }
        return svg
    }

    /// "Apr–Jun 2025".
    static func monthSpan(_ quarter: FinancialQuarter) -> String {
        let first = quarter.firstDay, last = quarter.lastDay
        return "\(CabinetReportText.monthNames[first.month - 1].prefix(3))–\(CabinetReportText.monthNames[last.month - 1].prefix(3)) \(last.year)"
    }

    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A coordinate to one decimal place, without Foundation's formatters.
    static func n(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return (tenths < 0 ? "-" : "") + String(abs(tenths) / 10) + (abs(tenths) % 10 == 0 ? "" : "." + String(abs(tenths) % 10))
    }

    /// A £ axis from zero to a round figure at or above the largest value, in four or five steps
    /// of 1, 2, 2.5 or 5 times a power of ten, worked out in whole pence.
    struct Scale {
        let step: Int64
        let top: Int64

        init(maximum: Money) {
            let largest = max(maximum.pence, 1)
            var power: Int64 = 100, chosen: Int64 = 100
            search: while true {
                for multiplier in [10, 20, 25, 50] as [Int64] {
                    let candidate = power * multiplier / 10
                    if candidate * 4 >= largest { chosen = candidate; break search }
                }
                power *= 10
            }
            step = maximum.pence <= 0 ? 100_000 : chosen
            top = step * max(1, (max(maximum.pence, 0) + step - 1) / step)
        }

        var ticks: [Money] { stride(from: Int64(0), through: top, by: Int(step)).map { Money(pence: $0) } }

        /// Where `value` falls between zero and the top of the axis, 0…1.
        func fraction(_ value: Money) -> Double { max(0, min(1, Double(value.pence) / Double(top))) }
    }
}
