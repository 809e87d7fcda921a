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
        public struct Line: Sendable, Equatable {
            public let measure: String
            public let quantity: ExactDecimal
            public let evidence: String
            /// The sheet's row it was read from, for a finding to name.
            public let row: Int
        }

        public let contract: String
        public let quarter: FinancialQuarter
        public internal(set) var lines: [Line]
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
        var groups: [String: Return] = [:]
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
            // A formula the file holds no value for (openpyxl writes them so): never taken as empty.
            for (name, index) in column.sorted(by: { $0.value < $1.value }) where index < row.count && row[index].fromFormula && row[index].text.isEmpty {
                reading.findings.append(Finding(row: number, column: name, kind: "formula-without-value", message: "a formula with no saved value: open the file in a spreadsheet program and save it, so that it is worked out"))
            }
            let given = significant(text("value_gbp"), digits: 15)
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
                groups[key] = Return(contract: contract, quarter: quarter, lines: [])
            }
            groups[key]!.lines.append(Return.Line(measure: measure, quantity: quantity, evidence: evidence, row: number))
        }
        for (key, total) in totals {
            let sum = (values[key] ?? []).reduce(Money.zero) { $0 + $1.value }
            if total.value != sum {
                reading.findings.append(Finding(row: total.row, column: "value_gbp", kind: "total-disagrees", message: "the total says \(total.value.formatted), but the lines' values add up to \(sum.formatted)"))
            }
        }
        reading.returns = order.map { groups[$0]! }
        reading.findings.sort { ($0.row, $0.column ?? "") < ($1.row, $1.column ?? "") }
        return reading
    }

    /// The ledger's own rules on each return read, in the sheet's order, each decided after the
    /// ones before it (a second return of the same quarter in one sheet is refused as in two
    /// commands); a refusal is a finding at the return's first row.
    /// - Parameter state: a contract's state now, as the ledger holds it.
    public static func checkRules(
        _ reading: inout Reading, actor: ActorIdentity, context: DecisionContext, state: (String) throws -> ContractState
    ) throws {
        var states: [String: ContractState] = [:]
        for entry in reading.returns {
            let lines = entry.lines.map { QuantityLine(measure: $0.measure, quantity: $0.quantity, evidence: $0.evidence) }
            let command = ContractCommand(
                contract: entry.contract, actor: actor, reason: nil, effectiveDate: context.today, effectiveDateGiven: false,
                action: .reportDelivery(quarter: entry.quarter, lines: lines, attributionConfirmed: true))
            var current = try states[entry.contract] ?? state(entry.contract)
            do {
                for event in try decide(command, state: current, context: context) { current.evolve(event, eventId: EventID.generate(), effectiveDate: context.today) }
                states[entry.contract] = current
            } catch {
                reading.findings.append(Finding(row: entry.lines.first?.row ?? 1, column: nil, kind: error.rule.rawValue, message: "\(entry.contract) \(entry.quarter): \(error.text)"))
            }
        }
        reading.findings.sort { $0.row < $1.row }
    }

    /// A return read as the JSON form of its `delivery.report` command.
    public static func command(_ entry: Return, actor: ActorIdentity?, attributionConfirmed: Bool) -> JSONValue {
        var members: JSONObject = [
            "command": "delivery.report", "contract": .string(entry.contract), "quarter": .string(entry.quarter.description),
            "attributionConfirmed": .bool(attributionConfirmed),
            "lines": .array(entry.lines.map { ["measure": .string($0.measure), "quantity": .string($0.quantity.description), "evidence": .string($0.evidence)] }),
        ]
        if let actor { members["actor"] = ["id": .string(actor.id), "role": .string(actor.role)] }
        return .object(members)
    }

    /// A file as a sheet: an XLSX workbook (told by its bytes), else CSV text.
    public static func sheet(_ bytes: [UInt8], name: String) throws -> Sheet {
        guard bytes.count <= SpreadsheetLimits.fileBytes else { throw SpreadsheetError("\(name) is \(bytes.count) bytes; a spreadsheet is at most \(SpreadsheetLimits.fileBytes)") }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            do { return try XLSXReader.read(bytes) } catch let error as SpreadsheetError { throw SpreadsheetError("\(name): \(error.message)") }
        }
        if name.lowercased().hasSuffix(".xlsx") { throw SpreadsheetError("\(name) is named .xlsx but is not a workbook (not a ZIP archive)") }
        var text = bytes
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        guard let decoded = String(validating: text, as: UTF8.self) else { throw SpreadsheetError("\(name) is neither a workbook nor UTF-8 CSV text") }
        let parsed = CSVText.parse(decoded)
        if let line = parsed.unclosedQuoteLine { throw SpreadsheetError("\(name) line \(line): a quoted field is never closed") }
        return Sheet(rows: parsed.rows.map { $0.map { Sheet.Cell(text: $0) } })
    }

    /// A plain decimal rounded to `digits` significant digits, half away from zero, as a
    /// spreadsheet shows a value it stores to 17 (1008.3149999999999 → 1008.315); any other text
    /// as it is.
    static func significant(_ text: String, digits: Int) -> String {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !body.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return text }
        var allDigits = Array((parts[0] + (parts.count == 2 ? parts[1] : "")).utf8).map { Int($0) - 48 }
        let point = parts[0].count
        guard let first = allDigits.firstIndex(where: { $0 != 0 }), allDigits.count - first > digits else { return text }
        let cut = first + digits
        var carry = allDigits[cut] >= 5 ? 1 : 0
        allDigits = Array(allDigits[..<cut])
        var index = allDigits.count - 1
        while carry == 1, index >= 0 {
            allDigits[index] += 1
            carry = allDigits[index] == 10 ? 1 : 0
            if carry == 1 { allDigits[index] = 0 }
            index -= 1
        }
        var whole = allDigits.prefix(point).map(String.init).joined()
        if carry == 1 { whole = "1" + whole }
        if point > allDigits.count { whole += String(repeating: "0", count: point - allDigits.count) }
        let fraction = allDigits.count > point ? allDigits[point...].map(String.init).joined() : ""
        let plain = (whole.isEmpty ? "0" : whole) + (fraction.isEmpty ? "" : "." + fraction)
        return negative ? "-" + plain : plain
    }
}
