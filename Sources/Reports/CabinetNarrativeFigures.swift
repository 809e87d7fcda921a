import Foundation
import LedgerValues
import SocialValue

/// The figures a narrative may quote, by placeholder: `{{quarter.capped.percent}}` in the
/// author's text is replaced by the report's own figure, so that the prose can never say other
/// than the tables beside it. A number typed into the narrative instead is listed in a warning,
/// on the command line and in the report's provenance (docs/domain.md, "The narrative file").
enum CabinetNarrativeFigures {
    /// Each placeholder's text in this report.
    static func values(_ figures: CabinetFigures, period: FinancialQuarter) -> [String: String] {
        var values: [String: String] = ["period": period.description, "year": period.financialYear]
        for (name, kind) in [("quarter", CabinetWindow.Kind.period), ("year-to-date", .yearToDate), ("to-date", .toDate)] {
            let w = figures.window(kind)
            values["\(name).delivered"] = CabinetReportText.compactMoney(w.delivered)
            values["\(name).capped"] = CabinetReportText.compactMoney(w.capped)
            values["\(name).expected"] = CabinetReportText.compactMoney(w.expected)
            values["\(name).capped.percent"] = CabinetReportText.percent(w.capped.decimal, of: w.expected.decimal) ?? "nothing expected yet"
            values["\(name).uncapped.percent"] = CabinetReportText.percent(w.delivered.decimal, of: w.expected.decimal) ?? "nothing expected yet"
            values["\(name).rating"] = w.rating.rawValue
        }
        values["contracts"] = String(figures.contracts.count)
        for (rating, count) in figures.ratingCounts {
            values["contracts.\(rating.rawValue.replacingOccurrences(of: " ", with: "-"))"] = String(count)
        }
        let withoutReturns = figures.evidence.contracts.filter { $0.counts.returns == 0 && $0.counts.lateReturns > 0 }
        values["contracts.without-returns"] = String(withoutReturns.count)
        values["contracts.with-late-returns"] = String(figures.evidence.contracts.filter { $0.counts.lateReturns > 0 }.count)
        values["returns.late"] = String(figures.evidence.total.lateReturns)
        return values
    }

    /// The figures typed into `text` by hand (outside placeholders): amounts of money,
    /// percentages and other numbers, but not years, days of dates, quarters or references.
    static func typed(in text: String) -> [String] {
        let outside = text.replacing(#/\{\{[^}]*\}\}/#, with: " ")
        let words = outside.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { word in
            word.trimmingCharacters(in: Self.punctuation)
        }
        var found: [String] = []
        var label = false           // the last bare number named something ("quarter 2"), not a figure
        for (index, word) in words.enumerated() {
            let previous = index > 0 ? words[index - 1].lowercased() : ""
            let unsigned = word.hasPrefix("£") ? String(word.dropFirst()) : word.hasSuffix("%") ? String(word.dropLast()) : word
            let amount = unsigned.hasSuffix("bn") ? String(unsigned.dropLast(2)) : unsigned.hasSuffix("k") || unsigned.hasSuffix("m") ? String(unsigned.dropLast()) : unsigned
            guard let first = amount.first, first.isNumber, amount.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." }) else { continue }
            if word == unsigned, amount == unsigned {
                // A bare number: a year, the day of a date ("13 November"), or a label
                // ("quarter 2", "quarters 1 and 2", "appendix 3") is no figure.
                label = labels.contains(previous) || (label && (previous == "and" || previous == "or" || previous == "to"))
                if label { continue }
                if let year = Int(amount), (1900...2099).contains(year) { continue }
                if let day = Int(amount), (1...31).contains(day), index + 1 < words.count, months.contains(words[index + 1]) { continue }
            }
            found.append(word)
        }
        return found
    }

    /// What may stand around a figure in prose: "(94.0%)," is the figure 94.0%.
    static let punctuation = CharacterSet(charactersIn: "(),.;:!?\"'")

    static let labels: Set<String> = ["quarter", "quarters", "q", "appendix", "appendices", "part", "parts", "section", "sections", "page", "pages", "paragraph", "item", "phase", "stage", "no", "number", "lot", "lots"]

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
}

extension CabinetNarrative {
    /// The narrative with each `{{name}}` replaced by the report's figure of that name.
    /// - Throws: `invalid-narrative` for a placeholder the report has no figure for, naming the
    ///   part it is in and the placeholders there are.
    func filled(with values: [String: String]) throws(CabinetReportError) -> CabinetNarrative {
        var copy = self
        func fill(_ text: String, _ place: String) throws(CabinetReportError) -> String {
            var result = ""
            var rest = Substring(text)
            while let open = rest.range(of: "{{") {
                result += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].range(of: "}}") else {
                    throw CabinetReportError(.invalidNarrative, "\(fileName): \(place) opens a placeholder \"{{\" that does not close")
                }
                let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                guard let value = values[name] else {
                    throw CabinetReportError(
                        .invalidNarrative,
                        "\(fileName): \(place) names the placeholder \(DisplayText.quoted("{{\(name)}}")), which is no figure of the report; the placeholders are \(values.keys.sorted().joined(separator: ", "))")
                }
                result += value
                rest = rest[close.upperBound...]
            }
            return result + rest
        }
        func fill(_ blocks: [Block], _ place: String) throws(CabinetReportError) -> [Block] {
            var filled: [Block] = []
            for block in blocks {
                switch block {
                case .paragraph(let text): filled.append(.paragraph(try fill(text, place)))
                case .list(let items):
                    var done: [String] = []
                    for item in items { done.append(try fill(item, place)) }
                    filled.append(.list(done))
                }
            }
            return filled
        }
        for (part, blocks) in parts { copy.parts[part] = try fill(blocks, "the part \"\(part.heading)\"") }
        for (contract, blocks) in contracts { copy.contracts[contract] = try fill(blocks, "the part \"Contract \(contract)\"") }
        return copy
    }

    /// Each part's text as written, with the part's heading, in the order of the parts. The
    /// background papers are left out: their dates and telephone numbers are not figures.
    var writtenTexts: [(place: String, text: String)] {
        Part.allCases.filter { $0 != .backgroundPapers }.compactMap { part in parts[part].map { (part.heading, $0.map(\.plainText).joined(separator: "\n")) } }
            + contractOrder.compactMap { reference in contracts[reference].map { ("Contract \(reference)", $0.map(\.plainText).joined(separator: "\n")) } }
    }
}
