import Crypto
import LedgerValues
import SocialValue

/// The recomputation of a portal pledge table against a catalog, with findings per line.
///
/// The rule for "beyond what the printed precision explains": a proxy printed with d decimals
/// (d ≥ 1) may have been rounded at its last digit, so the true proxy lies within
/// ±5×10^−(d+1) of it, and a stated value is explained if it lies within
/// answer × 5×10^−(d+1) + £0.005 of answer × printed proxy. A proxy printed without decimals is
/// taken as exact: the stated value must then be the product rounded to the penny.
public struct PortalImport: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case valueDisagrees = "value-disagrees"
        case proxyDiffers = "proxy-differs"
        case unknownMeasure = "unknown-measure"
        case badAnswer = "bad-answer"
        case blankAnswer = "blank-answer"
        case recordOnly = "record-only"
        case unitDiffers = "unit-differs"
        case totalDiffers = "total-differs"
        case badStatedValue = "bad-stated-value"
    }

    public struct Finding: Sendable, Equatable {
        public let line: Int?
        public let measure: String?
        public let kind: Kind
        public let message: String
    }

    /// One row, recomputed.
    public struct Line: Sendable, Equatable {
        public let row: PortalTable.Row
        public let quantity: ExactDecimal?
        /// quantity × the catalog's proxy, rounded to the penny (nil: record-only, unknown or no quantity).
        public let computed: Money?
        public let stated: Money?
        public let known: Bool
    }

    public let table: PortalTable
    public let catalog: Catalog
    public let lines: [Line]
    public let findings: [Finding]

    /// The sum of the recomputed lines: what an import records.
    public var computedTotal: Money { lines.reduce(Money.zero) { $0 + ($1.computed ?? .zero) } }
    /// The sum of the values the file states per line.
    public var statedLinesTotal: Money { lines.reduce(Money.zero) { $0 + ($1.stated ?? .zero) } }

    public init(table: PortalTable, catalog: Catalog) {
        self.table = table
        self.catalog = catalog
        var lines: [Line] = [], findings: [Finding] = []
        func note(_ row: PortalTable.Row?, _ kind: Kind, _ message: String) {
            findings.append(Finding(line: row?.line, measure: row?.reference, kind: kind, message: message))
        }
        for row in table.rows {
            let measure = catalog.measure(row.reference)
            if measure == nil { note(row, .unknownMeasure, "\(row.reference) is not in catalog \(catalog.reference)") }
            var quantity: ExactDecimal?
            if row.answer.isEmpty {
                note(row, .blankAnswer, "no answer: the line is left out")
            } else {
                do { quantity = try ValueParsing.quantity(row.answer) } catch { note(row, .badAnswer, "answer \(error)") }
            }
            let stated = Self.statedValue(row.stated)
            if stated == nil, !row.stated.isEmpty, !Self.isDash(row.stated) { note(row, .badStatedValue, "stated value \"\(row.stated)\" is not an amount") }
            let filed = try? ValueParsing.decimal(row.proxy.replacingOccurrences(of: "£", with: ""))
            if let measure {
                if measure.unit != row.units { note(row, .unitDiffers, "unit \"\(row.units)\" differs from the catalog's \"\(measure.unit)\"") }
                if measure.isRecordOnly, quantity != nil { note(row, .recordOnly, "record-only measure: a quantity with no £ value") }
                if let filed, let proxy = measure.proxy, filed != proxy {
                    note(row, .proxyDiffers, "proxy \(row.proxy) differs from the catalog's \(proxy)")
                }
            }
            if let quantity, let filed, let stated, !filed.isZero, !Self.explained(stated: stated, quantity: quantity, printedProxy: filed) {
                let product = Money.rounding(quantity * filed)
                note(row, .valueDisagrees, "stated \(stated.formatted) but \(row.answer) × \(row.proxy) = \(product.formatted) (difference \((stated - product).formatted)), beyond what the proxy's printed precision explains")
            }
            let computed = quantity.flatMap { quantity in measure.flatMap { $0.value(of: quantity) } }
            lines.append(Line(row: row, quantity: quantity, computed: computed, stated: stated, known: measure != nil))
        }
        let statedSum = lines.reduce(Money.zero) { $0 + ($1.stated ?? .zero) }
        if let printed = table.statedTotal, printed != statedSum {
            note(nil, .totalDiffers, "the printed total \(printed.formatted) differs from the sum of the stated lines \(statedSum.formatted)")
        }
        self.lines = lines
        self.findings = findings
    }

    /// "£ 738,768.00" → £738,768.00; "£ -" (the portal's zero) → £0.00; anything else → nil.
    static func statedValue(_ text: String) -> Money? {
        if isDash(text) { return .zero }
        return try? ValueParsing.money(text)
    }

    static func isDash(_ text: String) -> Bool {
        text.replacingOccurrences(of: "£", with: "").trimmingCharacters(in: .whitespaces) == "-"
    }

    /// Whether `stated` is within what rounding of the printed proxy (and then to the penny) explains.
    public static func explained(stated: Money, quantity: ExactDecimal, printedProxy: ExactDecimal) -> Bool {
        let exact = quantity * printedProxy
        let halfUnit = printedProxy.scale == 0 ? ExactDecimal.zero : ExactDecimal(units: 5, scale: printedProxy.scale + 1)
        let tolerance = quantity * halfUnit + ExactDecimal(units: 5, scale: 3)
        let difference = stated.decimal - exact
        return (difference.isNegative ? ExactDecimal.zero - difference : difference) <= tolerance
    }

    // MARK: - What an import records

    /// Why an import is refused: findings that the options given do not allow.
    public func blockingFindings(useComputed: Bool, addMeasures: Bool) -> [Finding] {
        findings.filter { finding in
            switch finding.kind {
            case .badAnswer, .badStatedValue: true
            case .valueDisagrees, .proxyDiffers: !useComputed
            case .unknownMeasure: !addMeasures
            case .blankAnswer, .recordOnly, .unitDiffers, .totalDiffers: false
            }
        }
    }

    /// The commands that record the table as the contract's pledge: with `addMeasures`, first a
    /// new catalog version holding the file's unknown measures. Stated values go in the event.
    public func commands(
        contract: String, actor: ActorIdentity, reason: String?, effectiveDate: CalendarDate, effectiveDateGiven: Bool = true,
        addMeasures: Bool, source: String, published: ReferenceData
    ) throws -> [LedgerCommand] {
        var commands: [LedgerCommand] = []
        var pricing = catalog
        let unknown = lines.filter { !$0.known && $0.quantity != nil }
        if addMeasures, !unknown.isEmpty {
            pricing = try extendedCatalog(with: unknown.map(\.row), source: source)
            // The same measures imported before: price with the version that added them.
            if published.catalog(pricing.id, version: pricing.version)?.document != pricing.document {
                commands.append(.publishCatalog(pricing, actor: actor, reason: "measures added by the import of \(source)"))
            }
        }
        let pledged = lines.filter { $0.quantity != nil }
        var stated: [String: String] = [:]
        for line in pledged where !line.row.stated.isEmpty { stated[line.row.reference] = line.row.stated }
        commands.append(.contract(ContractCommand(
            contract: contract, actor: actor, reason: reason ?? "imported from \(source)", effectiveDate: effectiveDate,
            // Without a date given the pledge takes the recording day, and its event says so.
            effectiveDateGiven: effectiveDateGiven,
            action: .recordPledge(
                catalog: pricing.reference, lines: pledged.map { QuantityLine(measure: $0.row.reference, quantity: $0.quantity!) },
                statedValues: stated))))
        return commands
    }

    /// The catalog with the file's unknown measures appended, as a new version.
    func extendedCatalog(with rows: [PortalTable.Row], source: String) throws -> Catalog {
        guard case .object(var document) = catalog.document, case .array(var measures) = document["measures"] ?? .null else {
            throw InputError(path: "catalog", problem: "catalog \(catalog.reference) has no measure list")
        }
        for row in rows {
            let proxy = try? ValueParsing.decimal(row.proxy)
            measures.append([
                "code": .string(row.reference), "theme": .string(row.theme.isEmpty ? "(imported)" : row.theme), "outcome": .null,
                "description": .string(row.question.isEmpty ? row.reference : row.question), "unit": .string(row.units.isEmpty ? "no." : row.units),
                "proxyValueGBP": proxy.map { .string($0.description) } ?? .null,
                "proxySource": proxy == nil ? .null : .string("imported from \(source)"),
                "priorities": .object(JSONObject(Dictionary(uniqueKeysWithValues: row.priorities.map { ($0.key, JSONValue.array($0.value.isEmpty ? [] : [.string($0.value)])) }))),
            ])
        }
        document["measures"] = .array(measures)
        // A fingerprint of the added measures keeps different imports from claiming one version.
        let fingerprint = SHA256.hash(data: JSONValue.array(Array(measures.suffix(rows.count))).canonicalBytes)
        document["version"] = .string("\(catalog.version)+import-\(Bytes.hex(fingerprint.prefix(4)))")
        return try Catalog(document: .object(document))
    }
}
