import LedgerValues

/// One version of a TOMs catalog: Themes, Outcomes and Measures with their £ proxy values.
/// Proxy values are revised year by year, so a pledge records the version it was priced
/// with (file format: Schemas/catalog.schema.json).
public struct Catalog: Sendable, Equatable {
    public let id: String
    public let version: String
    public let title: String
    public let effectiveDate: CalendarDate
    public let priorityFrameworks: [String]
    public let measures: [String: Measure]
    /// Measure codes in the order the document lists them.
    public let order: [String]
    public let document: JSONValue

    /// `lancashire-toms@2024.2`.
    public var reference: String { "\(id)@\(version)" }

    public func measure(_ code: String) -> Measure? { measures[code] }
}

/// A TOMs measure: what is counted, in which unit, and what one unit is worth.
public struct Measure: Sendable, Equatable {
    public let code: String
    public let theme: String
    public let outcome: String?
    public let description: String
    public let unit: String
    /// £ per unit; `nil` or zero means record-only: a quantity but no £ value.
    public let proxy: ExactDecimal?
    public let proxySource: String?
    public let priorities: [String: [String]]
    /// Whether returns add up or state a level (`returns` in the document; add-up when absent).
    public let accrual: Accrual
    /// The source's words that decide ``accrual``, e.g. "hired or retained … for one year".
    public let accrualSource: String?

    public var isRecordOnly: Bool { proxy.map(\.isZero) ?? true }

    /// The £ value of `quantity` units, or `nil` for a record-only measure.
    public func value(of quantity: ExactDecimal) -> Money? {
        guard let proxy, !proxy.isZero else { return nil }
        return Money.lineValue(quantity: quantity, proxy: proxy)
    }
}

extension Catalog {
    /// Reads and checks a catalog document.
    /// - Throws: ``InputError`` naming the first field that is missing or wrong.
    public init(document: JSONValue) throws(InputError) {
        let reader = try FieldReader(document)
        try reader.onlyFields([
            "catalogId", "version", "title", "effectiveDate", "source", "priorityFrameworks", "measures", "notes",
        ])
        id = try reader.string("catalogId")
        version = try reader.string("version")
        title = try reader.string("title")
        effectiveDate = try reader.date("effectiveDate")
        priorityFrameworks = try reader.strings("priorityFrameworks")
        let list = try reader.objects("measures") { entry throws(InputError) -> Measure in
            try entry.onlyFields([
                "code", "theme", "outcome", "description", "unit", "proxyValueGBP", "proxySource", "priorities", "returns", "returnsSource",
            ])
            var priorities: [String: [String]] = [:]
            if let object = try entry.optionalObject("priorities") {
                for key in object.members.keys { priorities[key] = try object.strings(key) }
            }
            return Measure(
                code: try entry.string("code"), theme: try entry.string("theme"), outcome: try entry.optionalString("outcome"),
                description: try entry.string("description"), unit: try entry.string("unit"),
                proxy: try entry.optionalDecimal("proxyValueGBP"), proxySource: try entry.optionalString("proxySource"),
                priorities: priorities, accrual: try Self.accrual(entry), accrualSource: try entry.optionalString("returnsSource"))
        }
        var measures: [String: Measure] = [:]
        for (index, measure) in list.enumerated() {
            if measures.updateValue(measure, forKey: measure.code) != nil {
                throw InputError(path: "measures[\(index)].code", problem: "\(DisplayText.quoted(measure.code)) appears twice")
            }
        }
        self.measures = measures
        order = list.map(\.code)
        self.document = document
    }

    private static func accrual(_ entry: FieldReader) throws(InputError) -> Accrual {
        guard let text = try entry.optionalString("returns") else { return .addsUp }
        guard let accrual = Accrual(rawValue: text) else {
            throw entry.fail("returns", "\(DisplayText.quoted(text)) is not one of \(Accrual.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return accrual
    }
}
