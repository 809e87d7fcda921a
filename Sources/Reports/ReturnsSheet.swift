import LedgerValues
import Projections
import SocialValue
import Spreadsheets

/// Quarterly returns as a spreadsheet (docs/spreadsheet-returns.md): a template pre-filled with
/// a contract's committed measures, and a filled one read back as delivery returns, with the
/// findings that stop it before anything is recorded.
public enum ReturnsSheet {
    /// The columns, in order: the template's, and what an import looks for by name.
    public static let columns = [
        "contract", "quarter", "measure", "description", "unit", "committed", "expected_to_date", "quantity", "evidence", "proxy_gbp", "value_gbp",
    ]
    /// The measure cell of the row that totals the values.
    public static let totalRow = "TOTAL"

    // MARK: - The template

    /// One row per current commitment line of `contract`, its quantity and evidence to fill in,
    /// and a last row totalling the £ values (formulas in a workbook; empty in CSV).
    public static func template(_ snapshot: Snapshot, contract reference: String, quarter: FinancialQuarter) throws -> [[XLSXWriter.Value]] {
        guard let contract = snapshot.contract(reference) else { throw SpreadsheetError("contract \(reference) is not registered") }
        guard let catalogReference = contract.commitmentCatalog, let catalog = snapshot.reference.catalog(reference: catalogReference) else {
            throw SpreadsheetError("contract \(reference) has no pledge yet: its template lists the measures pledged")
        }
        let spread = CommitmentSpread(termStart: contract.startDate, termEnd: contract.endDate, pledgedOn: contract.pledgedOn)
        let elapsed = spread.elapsedDays(by: quarter.lastDay)
        var rows: [[XLSXWriter.Value]] = [columns.map { .text($0) }]
        for line in contract.lines {
            guard let current = line.current else { continue }
            let row = rows.count + 1
            let measure = catalog.measure(line.measure)
            rows.append([
                .text(reference), .text(quarter.description), .text(line.measure), .text(measure?.description ?? ""), .text(line.unit),
                .number(current.quantity.normalized.description), .number(spread.expected(quantity: current.quantity, elapsedDays: elapsed).normalized.description),
                .empty, .empty, current.proxy.map { .number($0.normalized.description) } ?? .text("record-only"),
                current.proxy == nil ? .empty : .formula("IF(H\(row)=\"\",0,H\(row)*J\(row))", cached: "0"),
            ])
        }
        let last = rows.count
        rows.append([.text(reference), .text(quarter.description), .text(totalRow)] + Array(repeating: .empty, count: 7) + [.formula("SUM(K2:K\(last))", cached: "0")])
        return rows
    }

    /// The template as CSV: the same columns, no formulas (a value left empty is not checked).
    public static func csv(_ rows: [[XLSXWriter.Value]]) -> String {
        rows.map { row in
            row.map { value -> String in
                switch value {
                case .text(let text), .number(let text): CSVWriter.field(text)
                case .formula, .empty: ""
                }
            }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    // MARK: - Reading one back

    public struct Finding: Sendable, Equatable {
        /// The sheet's row, 1 for the header.
        public let row: Int
        public let column: String?
        public let kind: String
        public let message: String

        public init(row: Int, column: String?, kind: String, message: String) {
            self.row = row
            self.column = column
            self.kind = kind
            self.message = message
        }
    }

    /// A contract's return for a quarter, as read from the sheet.
    public struct Return: Sendable, Equatable {
        public let contract: String
        public let quarter: FinancialQuarter
        /// (measure, quantity, evidence, the sheet's row)
        public let lines: [(measure: String, quantity: ExactDecimal, evidence: String, row: Int)]

        public static func == (lhs: Return, rhs: Return) -> Bool {
            lhs.contract == rhs.contract && lhs.quarter == rhs.quarter && lhs.lines.map(\.measure) == rhs.lines.map(\.measure)
                && lhs.lines.map(\.quantity) == rhs.lines.map(\.quantity) && lhs.lines.map(\.evidence) == rhs.lines.map(\.evidence)
        }
    }

    public struct Reading: Sendable {
        public var returns: [Return] = []
        public var findings: [Finding] = []
        /// Cells that held formulas: their saved values were read, never worked out again.
        public var formulas = 0
    }

    /// The returns a filled sheet holds, by contract and quarter in the order first met, and what
    /// is wrong with it on its own (the ledger's rules are checked by the caller, command by
    /// command): a missing column, a quantity that is not a number or is negative, a line without
    /// evidence, a £ value or a total that does not add up.
    public static func read(_ sheet: Sheet, snapshot: Snapshot) -> Reading {
        var reading = Reading()
        guard let headerIndex = sheet.rows.firstIndex(where: { row in row.contains { $0.text.trimmingSpaces.lowercased() == "measure" } }) else {
            reading.findings.append(Finding(row: 1, column: nil, kind: "no-header", message: "no header row names the columns (contract, quarter, measure, quantity, evidence)"))
            return reading
        }
        let header = sheet.rows[headerIndex].map { $0.text.trimmingSpaces.lowercased() }
        var column: [String: Int] = [:]
        for name in columns { if let index = header.firstIndex(of: name) { column[name] = index } }
        let missing = ["contract", "quarter", "measure", "quantity", "evidence"].filter { column[$0] == nil }
        guard missing.isEmpty else {
            reading.findings.append(Finding(row: headerIndex + 1, column: nil, kind: "missing-column", message: "the header has no \(missing.joined(separator: ", ")) column"))
            return reading
        }
        var order: [String] = []
        var groups: [String: (contract: String, quarter: FinancialQuarter, lines: [(String, ExactDecimal, String, Int)])] = [:]
        var values: [String: [(value: Money, row: Int)]] = [:]
        var totals: [String: (value: Money, row: Int)] = [:]
        func cell(_ row: [Sheet.Cell], _ name: String) -> Sheet.Cell? {
            column[name].flatMap { $0 < row.count ? row[$0] : nil }
        }
        for (offset, row) in sheet.rows.enumerated().dropFirst(headerIndex + 1) {
            let number = offset + 1
            reading.formulas += row.filter(\.fromFormula).count
            let text = { (name: String) in cell(row, name)?.text.trimmingSpaces ?? "" }
            if row.allSatisfy({ $0.text.trimmingSpaces.isEmpty }) { continue }
            let quarterText = text("quarter"), measure = text("measure"), contract = text("contract")
            guard let quarter = FinancialQuarter(quarterText) else {
                reading.findings.append(Finding(row: number, column: "quarter", kind: "invalid-quarter", message: "\(DisplayText.quoted(quarterText)) is not a quarter like 2025-26-Q2"))
                continue
            }
            let key = "\(contract)\u{0}\(quarter)"
            if let value = cell(row, "value_gbp"), value.fromFormula, value.text.isEmpty {
                reading.findings.append(Finding(row: number, column: "value_gbp", kind: "formula-without-value", message: "a formula with no saved value: open the file in a spreadsheet program and save it, so that it is worked out"))
            }
            let given = text("value_gbp")
            let givenValue = given.isEmpty ? nil : (try? ValueParsing.decimal(given, allowCurrency: true, allowNegative: true)).map(Money.rounding)
            if !given.isEmpty, givenValue == nil {
                reading.findings.append(Finding(row: number, column: "value_gbp", kind: "not-a-number", message: "\(DisplayText.quoted(given)) is not an amount"))
            }
            if measure.uppercased() == totalRow {
                if let givenValue { totals[key] = (givenValue, number) }
                continue
            }
            let quantityText = text("quantity")
            if quantityText.isEmpty { continue }   // a measure with nothing to report this quarter
            let quantity: ExactDecimal
            do {
                quantity = try ValueParsing.decimal(quantityText, allowNegative: true)
            } catch {
                reading.findings.append(Finding(row: number, column: "quantity", kind: "not-a-number", message: "\(DisplayText.quoted(quantityText)) is not a number"))
                continue
            }
            guard quantity >= .zero else {
                reading.findings.append(Finding(row: number, column: "quantity", kind: "negative-quantity", message: "\(quantityText) is negative: a return reports what was delivered"))
                continue
            }
            let evidence = text("evidence")
            if evidence.isEmpty {
                reading.findings.append(Finding(row: number, column: "evidence", kind: "evidence-missing", message: "\(measure) has a quantity and no evidence reference"))
            }
            if let givenValue, let proxy = snapshot.contract(contract)?.lines.first(where: { $0.measure == measure })?.current?.proxy {
                let worked = Money.lineValue(quantity: quantity, proxy: proxy)
                if givenValue != worked {
                    reading.findings.append(Finding(row: number, column: "value_gbp", kind: "value-disagrees", message: "\(measure): the sheet says \(givenValue.formatted), but \(quantity.normalized) × £\(proxy.normalized) is \(worked.formatted)"))
                }
                values[key, default: []].append((givenValue, number))
            }
            if groups[key] == nil {
                order.append(key)
                groups[key] = (contract, quarter, [])
            }
            groups[key]!.lines.append((measure, quantity, evidence, number))
        }
        for (key, total) in totals {
            let sum = (values[key] ?? []).reduce(Money.zero) { $0 + $1.value }
            if total.value != sum {
                reading.findings.append(Finding(row: total.row, column: "value_gbp", kind: "total-disagrees", message: "the total says \(total.value.formatted), but the lines' values add up to \(sum.formatted)"))
            }
        }
        reading.returns = order.map { key in
            let group = groups[key]!
            return Return(contract: group.contract, quarter: group.quarter, lines: group.lines.map { (measure: $0.0, quantity: $0.1, evidence: $0.2, row: $0.3) })
        }
        reading.findings.sort { ($0.row, $0.column ?? "") < ($1.row, $1.column ?? "") }
        return reading
    }
}
