import LedgerValues

/// A committed or offered line: a measure, a quantity, and its price under one catalog.
public struct PricedLine: Sendable, Equatable {
    public let measure: String
    public let quantity: ExactDecimal
    public let unit: String
    /// £ per unit under the catalog; `nil` for a record-only measure.
    public let proxy: ExactDecimal?
    /// quantity × proxy, rounded to the penny; `nil` for a record-only measure.
    public let value: Money?

    /// Prices `quantity` of `measure` under its catalog.
    public init(measure: Measure, quantity: ExactDecimal) {
        self.measure = measure.code
        self.quantity = quantity
        self.unit = measure.unit
        self.proxy = measure.isRecordOnly ? nil : measure.proxy
        self.value = measure.value(of: quantity)
    }

    /// As stored.
    init(measure: String, quantity: ExactDecimal, unit: String, proxy: ExactDecimal?, value: Money?) {
        self.measure = measure
        self.quantity = quantity
        self.unit = unit
        self.proxy = proxy
        self.value = value
    }

    init(reading reader: FieldReader) throws(InputError) {
        measure = try reader.string("measure")
        quantity = try reader.decimal("quantity")
        unit = try reader.string("unit")
        proxy = try reader.optionalDecimal("proxyGBP")
        value = try reader.optionalMoney("valueGBP")
    }

    var json: JSONValue {
        [
            "measure": .string(measure), "quantity": .decimal(quantity), "unit": .string(unit),
            "proxyGBP": proxy.map(JSONValue.decimal) ?? .null, "valueGBP": value.map(JSONValue.money) ?? .null,
        ]
    }
}

/// What a supplier says it delivered against one measure in one return.
public struct DeliveryLine: Sendable, Equatable {
    public let measure: String
    public let quantity: ExactDecimal
    public let evidence: String
    /// False when the measure was not in the contract's commitments when reported:
    /// such delivery is kept, and shown apart from pledged totals.
    public let pledged: Bool
    /// The files kept as this line's evidence, by hash (none for a line that cites only its
    /// reference).
    public let evidenceFiles: [EvidenceFile]

    public init(measure: String, quantity: ExactDecimal, evidence: String, pledged: Bool, evidenceFiles: [EvidenceFile] = []) {
        self.measure = measure
        self.quantity = quantity
        self.evidence = evidence
        self.pledged = pledged
        self.evidenceFiles = evidenceFiles
    }

    init(reading reader: FieldReader) throws(InputError) {
        measure = try reader.string("measure")
        quantity = try reader.decimal("quantity")
        evidence = try reader.string("evidence")
        pledged = try reader.bool("pledged")
        evidenceFiles = try EvidenceFile.list("evidenceFiles", reader)
    }

    var json: JSONValue {
        var members: JSONObject = ["measure": .string(measure), "quantity": .decimal(quantity), "evidence": .string(evidence), "pledged": .bool(pledged)]
        // Written only when there are files, so that every line recorded before keeps its bytes.
        if !evidenceFiles.isEmpty { members["evidenceFiles"] = .array(evidenceFiles.map(\.json)) }
        return .object(members)
    }
}

extension Array where Element == PricedLine {
    /// The sum of the lines' £ values (record-only lines add nothing).
    public var total: Money { reduce(Money.zero) { $0 + ($1.value ?? .zero) } }
}
