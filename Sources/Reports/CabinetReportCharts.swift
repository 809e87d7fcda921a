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

    static let pledged = Series(name: "Committed (current commitment)", style: "fill-pledged")
    static let expected = Series(name: "Expected to date", style: "fill-expected")
    static let delivered = Series(name: "Delivered to date", style: "fill-delivered")
    static let beyond = Series(name: "Delivered beyond what was expected", style: "fill-beyond")

    static let width = 960.0

    // MARK: - Pledged against delivered by theme: small multiples

    /// One small panel per theme, each on its own £ scale, so that a theme of £5,000 is as
    /// readable as one of £5m: three bars (committed, expected to date, delivered to date), the
    /// delivered bar split at the expected figure into the part that counts in the capped
    /// headline and the part beyond it, each bar labelled with its value, and the panel's scale
    /// under it. Returned as HTML: a grid of figures, one inline SVG each.
    static func themePanels(_ themes: [CabinetTheme], id: String) -> String {
        var html = "<div class=\"multiples\" role=\"group\" aria-label=\"Social value by theme, each theme on its own scale\">\n"
        for (index, theme) in themes.enumerated() {
            html += "<figure class=\"panel\">" + themePanel(theme, id: "\(id)-\(index + 1)") + "</figure>\n"
        }
        return html + "</div>\n"
    }

    static let panelWidth = 460.0

    static func themePanel(_ theme: CabinetTheme, id: String) -> String {
        let a = theme.amounts
        let left = 12.0, labelWidth = 118.0, right = 14.0, top = 50.0, barHeight = 20.0, gap = 9.0
        let plotLeft = left + labelWidth, plotWidth = panelWidth - plotLeft - right
        let scale = Scale(maximum: max(a.current, a.expected, a.delivered))
        let plotBottom = top + 3 * barHeight + 2 * gap + 6
        let height = plotBottom + 26
        let over = a.delivered - theme.capped
        let description = "\(theme.name): committed \(a.current.formatted), expected to date \(a.expected.formatted), delivered to date \(a.delivered.formatted)"
            + (over > .zero ? ", of which \(over.formatted) beyond what was expected of its commitments." : ".") + " Scale from £0 to \(scale.topMoney.formatted)."
        var svg = #"<svg class="chart panel-chart" role="img" viewBox="0 0 \#(n(panelWidth)) \#(n(height))" aria-labelledby="\#(id)-title \#(id)-desc">"#
            + #"<title id="\#(id)-title">\#(CabinetReportText.html(theme.name))</title>"#
            + #"<desc id="\#(id)-desc">\#(CabinetReportText.html(description))</desc>"#
        for (offset, line) in wrapped(theme.name, width: 52, lines: 2).enumerated() {
            svg += #"<text class="group" x="\#(n(left))" y="\#(n(18 + Double(offset) * 17))">\#(CabinetReportText.html(line))</text>"#
        }
        for tick in scale.ticks {
            let x = plotLeft + plotWidth * scale.fraction(tick)
            svg += #"<line class="grid" x1="\#(n(x))" y1="\#(n(top - 4))" x2="\#(n(x))" y2="\#(n(plotBottom))"/>"#
        }
        for (tick, anchor) in [(Money.zero, "start"), (scale.topMoney, "end")] {
            let x = plotLeft + plotWidth * scale.fraction(tick)
            svg += #"<text class="tick" x="\#(n(x))" y="\#(n(plotBottom + 16))" text-anchor="\#(anchor)">\#(CabinetReportText.compactMoney(tick))</text>"#
        }
        svg += #"<line class="axis" x1="\#(n(plotLeft))" y1="\#(n(top - 4))" x2="\#(n(plotLeft))" y2="\#(n(plotBottom))"/>"#
        let rows: [(String, String, Money)] = [("Committed", pledged.style, a.current), ("Expected to date", expected.style, a.expected), ("Delivered to date", delivered.style, a.delivered)]
        for (offset, (label, style, value)) in rows.enumerated() {
            let y = top + Double(offset) * (barHeight + gap)
            svg += #"<text class="bar-label" x="\#(n(plotLeft - 8))" y="\#(n(y + barHeight - 6))" text-anchor="end">\#(label)</text>"#
            let length = plotWidth * scale.fraction(value)
            if offset == 2, over > .zero {
                let solid = plotWidth * scale.fraction(theme.capped)
                svg += #"<rect class="\#(style)" x="\#(n(plotLeft))" y="\#(n(y))" width="\#(n(solid))" height="\#(n(barHeight))"><title>Delivered within what was expected: \#(theme.capped.formatted)</title></rect>"#
                svg += #"<rect class="fill-beyond" x="\#(n(plotLeft + solid))" y="\#(n(y))" width="\#(n(max(0, length - solid)))" height="\#(n(barHeight))"><title>Delivered beyond what was expected: \#(over.formatted)</title></rect>"#
            } else {
                svg += #"<rect class="\#(style)" x="\#(n(plotLeft))" y="\#(n(y))" width="\#(n(length))" height="\#(n(barHeight))"><title>\#(label): \#(value.formatted)</title></rect>"#
            }
            // The value sits after the bar, or inside its end when the bar fills the panel: in
            // white only on the dark delivered fill, in ink on the light ones (WCAG AA contrast).
            let inside = scale.fraction(value) > 0.62
            let onDark = offset == 2 && !(over > .zero)
            let x = inside ? plotLeft + length - 6 : plotLeft + length + 6
            svg += #"<text class="value\#(inside ? (onDark ? " inside on-dark" : " inside") : "")" x="\#(n(x))" y="\#(n(y + barHeight - 6))" text-anchor="\#(inside ? "end" : "start")">\#(value.formatted)</text>"#
        }
        return svg + "</svg>"
    }

    /// `text` in at most `lines` lines of about `width` characters, broken at spaces; the last cut with "…".
    static func wrapped(_ text: String, width: Int, lines: Int) -> [String] {
        var result: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty { current = String(word) } else if current.count + 1 + word.count <= width { current += " " + word } else {
                result.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { result.append(current) }
        if result.count > lines {
            result = Array(result.prefix(lines))
            result[lines - 1] = shortened(result[lines - 1] + " …", to: width)
        }
        return result
    }

    // MARK: - Delivery by quarter

    /// Vertical bars for the four quarters of the financial year: expected and delivered £ in each
    /// quarter up to the period; later quarters are drawn as empty, labelled "not yet reached".
    /// The delivered bar is split at the capped figure, the one that is rated: the solid part
    /// counts, the part above it (delivery beyond what was expected of its lines) is drawn light
    /// and labelled apart, so that over-delivery never looks like a rating it does not earn.
    static func quarters(_ quarters: [CabinetQuarter], id: String) -> String {
        let left = 84.0, right = 20.0, top = 48.0, plotHeight = 240.0
        let plotBottom = top + plotHeight, height = plotBottom + 52
        let slot = (width - left - right) / Double(max(1, quarters.count))
        let barWidth = min(72.0, slot / 3), gap = 12.0
        let scale = Scale(maximum: quarters.map { max($0.expected, $0.delivered) }.max() ?? .zero)
        let description = quarters.map { q in
            q.reached
                ? "\(q.quarter): expected \(q.expected.formatted), delivered \(q.delivered.formatted), of which \(q.capped.formatted) counts in the rating (capped)."
                : "\(q.quarter): not yet reached."
        }.joined(separator: " ")
        var svg = open(id: id, height: height, title: "Social value delivered by quarter, \(quarters.first?.quarter.financialYear ?? "")", description: description)
        svg += legend(
            [expected, delivered, beyond], y: 14,
            names: ["Expected in the quarter", "Delivered, rated (capped)", "Delivered beyond expected (not rated)"])
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
                if offset == 1, quarter.delivered > quarter.capped {
                    let solid = plotHeight * scale.fraction(quarter.capped)
                    svg += #"<rect class="\#(series.style)" x="\#(n(x))" y="\#(n(plotBottom - solid))" width="\#(n(barWidth))" height="\#(n(solid))"><title>\#(quarter.quarter) delivered, rated (capped): \#(quarter.capped.formatted)</title></rect>"#
                    svg += #"<rect class="\#(beyond.style)" x="\#(n(x))" y="\#(n(plotBottom - length))" width="\#(n(barWidth))" height="\#(n(max(0, length - solid)))"><title>\#(quarter.quarter) delivered beyond what was expected (not rated): \#((quarter.delivered - quarter.capped).formatted)</title></rect>"#
                    svg += #"<text class="value" x="\#(n(x + barWidth / 2))" y="\#(n(plotBottom - length - 20))" text-anchor="middle">\#(CabinetReportText.compactMoney(value))</text>"#
                    svg += #"<text class="tick" x="\#(n(x + barWidth / 2))" y="\#(n(plotBottom - length - 6))" text-anchor="middle">rated \#(CabinetReportText.compactMoney(quarter.capped))</text>"#
                } else {
                    svg += #"<rect class="\#(series.style)" x="\#(n(x))" y="\#(n(plotBottom - length))" width="\#(n(barWidth))" height="\#(n(length))"><title>\#(quarter.quarter) \#(word): \#(value.formatted)</title></rect>"#
                    svg += #"<text class="value" x="\#(n(x + barWidth / 2))" y="\#(n(plotBottom - length - 6))" text-anchor="middle">\#(CabinetReportText.compactMoney(value))</text>"#
                }
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
        var topMoney: Money { Money(pence: top) }

        /// Where `value` falls between zero and the top of the axis, 0…1.
        func fraction(_ value: Money) -> Double { max(0, min(1, Double(value.pence) / Double(top))) }
    }
}
