import LedgerValues

/// Everything that can happen in a contract's social value life: one stream per contract
/// (`contract/<reference>`), one case per event type (schemas: Schemas/events/).
public enum ContractEvent: Sendable, Equatable {
    // Every case but the two a log is mostly made of, returns and corrections, is boxed: an
    // event is then the size of those two (under 50 bytes), not of a registration (over 300),
    // and a fold moves a million of them between threads.
    indirect case registered(Registration)
    indirect case thresholdAssessed(ThresholdAssessment)
    indirect case exemptionRequested(ExemptionRequest)
    indirect case exemptionDecided(ExemptionDecision)
    indirect case weightingDecided(WeightingDecision)
    indirect case bidsEvaluated(BidEvaluation)
    indirect case awarded(Award)
    indirect case awardCorrected(AwardCorrection)
    indirect case pledgeRecorded(Pledge)
    case deliveryReported(DeliveryReturn)
    case deliveryCorrected(DeliveryCorrection)
    indirect case commitmentsRefreshed(CommitmentRefresh)
    indirect case closed(Closure)
    indirect case evidenceErased(EvidenceErasure)
    indirect case deliveryQueried(FigureRemark)
    indirect case queryAnswered(FigureRemark)
    indirect case deliveryValidated(ValidationDecision)
    indirect case deliveryRejected(ValidationDecision)
    indirect case reportingArranged(ReportingArrangement)
    indirect case kpisAgreed(KPIsAgreed)
    indirect case kpiExemptionRecorded(KPIExemptionRecord)
    indirect case kpiAssessed(KPIAssessment)

    public static func stream(contract reference: String) -> String { streamPrefix + reference }

    /// What every contract's stream id starts with.
    public static let streamPrefix = "contract/"

    /// The contract reference of a stream, or `nil` for other streams. By bytes: a fold calls
    /// this for every event it reads.
    public static func reference(ofStream stream: String) -> String? {
        stream.utf8.starts(with: streamPrefix.utf8) ? String(decoding: stream.utf8.dropFirst(streamPrefix.utf8.count), as: UTF8.self) : nil
    }

    /// Every contract event type, in lifecycle order.
    public static let types = [
        "ContractRegistered", "ThresholdAssessed", "ExemptionRequested", "ExemptionDecided", "WeightingDecided",
        "BidsEvaluated", "ContractAwarded", "AwardCorrected", "PledgeRecorded", "DeliveryReported", "DeliveryCorrected",
        "CommitmentsRefreshed", "ContractClosed", "EvidenceErased", "DeliveryQueried", "QueryAnswered", "DeliveryValidated",
        "DeliveryRejected", "ReportingArranged", "KPIsAgreed", "KPIExemptionRecorded", "KPIAssessed",
    ]

    public var type: String {
        switch self {
        case .registered: "ContractRegistered"
        case .thresholdAssessed: "ThresholdAssessed"
        case .exemptionRequested: "ExemptionRequested"
        case .exemptionDecided: "ExemptionDecided"
        case .weightingDecided: "WeightingDecided"
        case .bidsEvaluated: "BidsEvaluated"
        case .awarded: "ContractAwarded"
        case .awardCorrected: "AwardCorrected"
        case .pledgeRecorded: "PledgeRecorded"
        case .deliveryReported: "DeliveryReported"
        case .deliveryCorrected: "DeliveryCorrected"
        case .commitmentsRefreshed: "CommitmentsRefreshed"
        case .closed: "ContractClosed"
        case .evidenceErased: "EvidenceErased"
        case .deliveryQueried: "DeliveryQueried"
        case .queryAnswered: "QueryAnswered"
        case .deliveryValidated: "DeliveryValidated"
        case .deliveryRejected: "DeliveryRejected"
        case .reportingArranged: "ReportingArranged"
        case .kpisAgreed: "KPIsAgreed"
        case .kpiExemptionRecorded: "KPIExemptionRecorded"
        case .kpiAssessed: "KPIAssessed"
        }
    }

    public var payload: JSONValue {
        switch self {
        case .registered(let value): value.json
        case .thresholdAssessed(let value): value.json
        case .exemptionRequested(let value): value.json
        case .exemptionDecided(let value): value.json
        case .weightingDecided(let value): value.json
        case .bidsEvaluated(let value): value.json
        case .awarded(let value): value.json
        case .awardCorrected(let value): value.json
        case .pledgeRecorded(let value): value.json
        case .deliveryReported(let value): value.json
        case .deliveryCorrected(let value): value.json
        case .commitmentsRefreshed(let value): value.json
        case .closed(let value): value.json
        case .evidenceErased(let value): value.json
        case .deliveryQueried(let value), .queryAnswered(let value): value.json
        case .deliveryValidated(let value), .deliveryRejected(let value): value.json
        case .reportingArranged(let value): value.json
        case .kpisAgreed(let value): value.json
        case .kpiExemptionRecorded(let value): value.json
        case .kpiAssessed(let value): value.json
        }
    }

    public var domainEvent: DomainEvent { DomainEvent(type: type, payload: payload) }

    /// Reads a stored event back; `nil` for an event type that is not a contract event.
    /// - Throws: ``InputError`` when the payload does not match its type.
    public init?(type: String, payload: JSONValue) throws(InputError) {
        let reader = try FieldReader(payload, path: type)
        switch type {
        case "ContractRegistered": self = .registered(try Registration(reader))
        case "ThresholdAssessed": self = .thresholdAssessed(try ThresholdAssessment(reader))
        case "ExemptionRequested": self = .exemptionRequested(try ExemptionRequest(reader))
        case "ExemptionDecided": self = .exemptionDecided(try ExemptionDecision(reader))
        case "WeightingDecided": self = .weightingDecided(try WeightingDecision(reader))
        case "BidsEvaluated": self = .bidsEvaluated(try BidEvaluation(reader))
        case "ContractAwarded": self = .awarded(try Award(reader))
        case "AwardCorrected": self = .awardCorrected(try AwardCorrection(reader))
        case "PledgeRecorded": self = .pledgeRecorded(try Pledge(reader))
        case "DeliveryReported": self = .deliveryReported(try DeliveryReturn(reader))
        case "DeliveryCorrected": self = .deliveryCorrected(try DeliveryCorrection(reader))
        case "CommitmentsRefreshed": self = .commitmentsRefreshed(try CommitmentRefresh(reader))
        case "ContractClosed": self = .closed(try Closure(reader))
        case "EvidenceErased": self = .evidenceErased(try EvidenceErasure(reader))
        case "DeliveryQueried": self = .deliveryQueried(try FigureRemark(.question, reader))
        case "QueryAnswered": self = .queryAnswered(try FigureRemark(.answer, reader))
        case "DeliveryValidated": self = .deliveryValidated(try ValidationDecision(reader))
        case "DeliveryRejected": self = .deliveryRejected(try ValidationDecision(reader))
        case "ReportingArranged": self = .reportingArranged(try ReportingArrangement(reader))
        case "KPIsAgreed": self = .kpisAgreed(try KPIsAgreed(reader))
        case "KPIExemptionRecorded": self = .kpiExemptionRecorded(try KPIExemptionRecord(reader))
        case "KPIAssessed": self = .kpiAssessed(try KPIAssessment(reader))
        default: return nil
        }
    }
}

// MARK: - Payloads

/// An identifier a contract is known by elsewhere: the ocid of the Open Contracting process it
/// was imported from (`ocid`), or the id its notice gave it (`notice`), kept as published so
/// that the contract can be found by it and an export continues the publisher's process.
public struct ContractIdentifier: Sendable, Hashable {
    public let scheme: String
    public let id: String

    public init(scheme: String, id: String) {
        self.scheme = scheme
        self.id = id
    }

    /// The schemes svledger records: the contract's own OCDS process (`ocid`), the id its notice
    /// gave it (`notice`), and for one supplier's contract under a framework, the framework's
    /// process (`framework`), which the contract's own ocid extends.
    public static let ocid = "ocid", notice = "notice", framework = "framework"

    init(_ reader: FieldReader) throws(InputError) {
        self.init(scheme: try reader.string("scheme"), id: try reader.string("id"))
        try reader.onlyFields(["scheme", "id"])
    }

    var json: JSONValue { ["scheme": .string(scheme), "id": .string(id)] }
}

public struct Registration: Sendable, Equatable {
    public let reference: String
    public let title: String
    public let buyerDepartment: String
    public let category: ContractCategory
    public let estimatedValue: Money
    public let startDate: CalendarDate
    public let endDate: CalendarDate
    public let areasServed: [String]
    public let policyId: String
    /// Set for a contract already running when registered: its supplier may pledge without a tender.
    public let existingSupplier: String?
    /// A running contract that started before the ledger did, registered as such (with a
    /// reason): returns are accepted for any quarter of its term, not only from its registration.
    public let migrated: Bool
    /// Identifiers the contract is known by elsewhere (an imported notice's ocid and id).
    public let identifiers: [ContractIdentifier]
    /// The buyer's registered identifiers and address, as a notice gave them.
    public let buyerDetails: OrganisationDetails?
    /// The existing supplier's registered identifiers and address, when given.
    public let existingSupplierDetails: OrganisationDetails?

    public init(
        reference: String, title: String, buyerDepartment: String, category: ContractCategory, estimatedValue: Money,
        startDate: CalendarDate, endDate: CalendarDate, areasServed: [String], policyId: String, existingSupplier: String?,
        migrated: Bool = false, identifiers: [ContractIdentifier] = [], buyerDetails: OrganisationDetails? = nil,
        existingSupplierDetails: OrganisationDetails? = nil
    ) {
        self.identifiers = identifiers
        self.buyerDetails = buyerDetails
        self.existingSupplierDetails = existingSupplierDetails
        self.reference = reference
        self.title = title
        self.buyerDepartment = buyerDepartment
        self.category = category
        self.estimatedValue = estimatedValue
        self.startDate = startDate
        self.endDate = endDate
        self.areasServed = areasServed
        self.policyId = policyId
        self.existingSupplier = existingSupplier
        self.migrated = migrated
    }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(
            reference: try reader.string("reference"), title: try reader.string("title"),
            buyerDepartment: try reader.string("buyerDepartment"), category: try reader.choice("category", as: ContractCategory.self),
            estimatedValue: try reader.money("estimatedWholeLifeValueGBP"), startDate: try reader.date("startDate"),
            endDate: try reader.date("endDate"), areasServed: try reader.strings("areasServed"),
            policyId: try reader.string("policyId"), existingSupplier: try reader.optionalString("existingSupplier"),
            // Absent from events recorded before svledger knew of migration: not migrated.
            migrated: reader.has("migrated") ? try reader.bool("migrated") : false,
            identifiers: try Self.identifiers(reader), buyerDetails: try OrganisationDetails.optional("buyerDetails", reader),
            existingSupplierDetails: try OrganisationDetails.optional("existingSupplierDetails", reader))
    }

    /// `identifiers`, absent or null for none (every event recorded before svledger kept them).
    static func identifiers(_ reader: FieldReader) throws(InputError) -> [ContractIdentifier] {
        reader.has("identifiers") ? try reader.objects("identifiers", allowEmpty: true) { item throws(InputError) in try ContractIdentifier(item) } : []
    }

    var json: JSONValue {
        var members: JSONObject = [
            "reference": .string(reference), "title": .string(title), "buyerDepartment": .string(buyerDepartment),
            "category": .string(category.rawValue), "estimatedWholeLifeValueGBP": .money(estimatedValue),
            "startDate": .date(startDate), "endDate": .date(endDate), "areasServed": .strings(areasServed),
            "policyId": .string(policyId), "existingSupplier": .optional(existingSupplier), "migrated": .bool(migrated),
        ]
        // Written only when there are some, so that every event recorded before keeps its bytes.
        if !identifiers.isEmpty { members["identifiers"] = .array(identifiers.map(\.json)) }
        if let buyerDetails { members["buyerDetails"] = buyerDetails.json }
        if let existingSupplierDetails { members["existingSupplierDetails"] = existingSupplierDetails.json }
        return .object(members)
    }
}

/// The threshold assessment, with everything it was decided on, so that a replay never has
/// to consult a policy that may since have changed.
public struct ThresholdAssessment: Sendable, Equatable {
    public enum Outcome: String, Sendable, CaseIterable { case above, below }
    public let policyId: String
    public let policyVersion: String
    public let measuredValue: Money
    public let threshold: Money
    public let inclusive: Bool
    public let categoryCovered: Bool
    public let outcome: Outcome
    /// The statutory threshold in force on the assessment date, when one is known.
    public let statutoryThreshold: Money?
    /// Whether the Public Services (Social Value) Act 2012 duty applies (services above it).
    public let statutoryDutyApplies: Bool

    init(
        policyId: String, policyVersion: String, measuredValue: Money, threshold: Money, inclusive: Bool,
        categoryCovered: Bool, outcome: Outcome, statutoryThreshold: Money?, statutoryDutyApplies: Bool
    ) {
        self.policyId = policyId
        self.policyVersion = policyVersion
        self.measuredValue = measuredValue
        self.threshold = threshold
        self.inclusive = inclusive
        self.categoryCovered = categoryCovered
        self.outcome = outcome
        self.statutoryThreshold = statutoryThreshold
        self.statutoryDutyApplies = statutoryDutyApplies
    }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(
            policyId: try reader.string("policyId"), policyVersion: try reader.string("policyVersion"),
            measuredValue: try reader.money("measuredValueGBP"), threshold: try reader.money("thresholdGBP"),
            inclusive: try reader.bool("inclusive"), categoryCovered: try reader.bool("categoryCovered"),
            outcome: try reader.choice("outcome", as: Outcome.self),
            statutoryThreshold: try reader.optionalMoney("statutoryThresholdGBP"),
            statutoryDutyApplies: try reader.bool("statutoryDutyApplies"))
    }

    var json: JSONValue {
        [
            "policyId": .string(policyId), "policyVersion": .string(policyVersion), "measuredValueGBP": .money(measuredValue),
            "thresholdGBP": .money(threshold), "inclusive": .bool(inclusive), "categoryCovered": .bool(categoryCovered),
            "outcome": .string(outcome.rawValue), "statutoryThresholdGBP": statutoryThreshold.map(JSONValue.money) ?? .null,
            "statutoryDutyApplies": .bool(statutoryDutyApplies),
        ]
    }
}

public struct ExemptionRequest: Sendable, Equatable {
    public let businessCase: String
    init(businessCase: String) { self.businessCase = businessCase }
    init(_ reader: FieldReader) throws(InputError) { businessCase = try reader.string("businessCaseReference") }
    var json: JSONValue { ["businessCaseReference": .string(businessCase)] }
}

public struct ExemptionDecision: Sendable, Equatable {
    public let granted: Bool
    public let businessCase: String
    /// The role that decided, one the policy names.
    public let decidedByRole: String

    init(granted: Bool, businessCase: String, decidedByRole: String) {
        self.granted = granted
        self.businessCase = businessCase
        self.decidedByRole = decidedByRole
    }

    init(_ reader: FieldReader) throws(InputError) {
        let decision = try reader.string("decision")
        guard decision == "granted" || decision == "refused" else { throw reader.fail("decision", "must be granted or refused") }
        granted = decision == "granted"
        businessCase = try reader.string("businessCaseReference")
        decidedByRole = try reader.string("decidedByRole")
    }

    var json: JSONValue {
        ["decision": .string(granted ? "granted" : "refused"), "businessCaseReference": .string(businessCase), "decidedByRole": .string(decidedByRole)]
    }
}

public struct WeightingDecision: Sendable, Equatable {
    public enum Basis: String, Sendable, CaseIterable {
        case policyMinimum = "policy-minimum"
        case matrix
        case boardOverride = "board-override"
    }
    public let percent: ExactDecimal
    public let basis: Basis
    public let policyMinimumPercent: ExactDecimal
    public let matrixAnswers: MatrixAnswers?
    public let matrixPercent: ExactDecimal?
    public let overrideReason: String?
    public let overrideBy: String?
    /// True when a granted exemption released the weighting from the policy minimum.
    public let exemptionApplied: Bool

    init(
        percent: ExactDecimal, basis: Basis, policyMinimumPercent: ExactDecimal, matrixAnswers: MatrixAnswers?,
        matrixPercent: ExactDecimal?, overrideReason: String?, overrideBy: String?, exemptionApplied: Bool
    ) {
        self.percent = percent
        self.basis = basis
        self.policyMinimumPercent = policyMinimumPercent
        self.matrixAnswers = matrixAnswers
        self.matrixPercent = matrixPercent
        self.overrideReason = overrideReason
        self.overrideBy = overrideBy
        self.exemptionApplied = exemptionApplied
    }

    init(_ reader: FieldReader) throws(InputError) {
        let answers = try reader.optionalObject("matrixAnswers")
        self.init(
            percent: try reader.percent("percent"), basis: try reader.choice("basis", as: Basis.self),
            policyMinimumPercent: try reader.percent("policyMinimumPercent"),
            matrixAnswers: try answers.map { (answers) throws(InputError) in
                MatrixAnswers(
                    impact: try answers.string("impact"), objectivesMet: try answers.integer("objectivesMet"),
                    areaNeeds: try answers.string("areaNeeds"))
            },
            matrixPercent: try reader.optionalDecimal("matrixPercent"), overrideReason: try reader.optionalString("overrideReason"),
            overrideBy: try reader.optionalString("overrideBy"), exemptionApplied: try reader.bool("exemptionApplied"))
    }

    var json: JSONValue {
        [
            "percent": .decimal(percent), "basis": .string(basis.rawValue), "policyMinimumPercent": .decimal(policyMinimumPercent),
            "matrixAnswers": matrixAnswers.map {
                ["impact": .string($0.impact), "objectivesMet": .integer(Int64($0.objectivesMet)), "areaNeeds": .string($0.areaNeeds)]
            } ?? .null,
            "matrixPercent": matrixPercent.map(JSONValue.decimal) ?? .null, "overrideReason": .optional(overrideReason),
            "overrideBy": .optional(overrideBy), "exemptionApplied": .bool(exemptionApplied),
        ]
    }
}

public struct BidEvaluation: Sendable, Equatable {
    public struct Bidder: Sendable, Equatable {
        public let name: String
        public let lines: [PricedLine]
        /// Qualitative score of the supporting delivery statement, per measure code.
        public let qualitativeScores: [String: ExactDecimal]
        public let offerTotal: Money
        /// The social value score within the weighting (0 … weighting %).
        public let socialValueScore: ExactDecimal
    }
    public let catalogId: String
    public let catalogVersion: String
    public let weightingPercent: ExactDecimal
    public let bidders: [Bidder]

    init(catalogId: String, catalogVersion: String, weightingPercent: ExactDecimal, bidders: [Bidder]) {
        self.catalogId = catalogId
        self.catalogVersion = catalogVersion
        self.weightingPercent = weightingPercent
        self.bidders = bidders
    }

    init(_ reader: FieldReader) throws(InputError) {
        catalogId = try reader.string("catalogId")
        catalogVersion = try reader.string("catalogVersion")
        weightingPercent = try reader.percent("weightingPercent")
        bidders = try reader.objects("bidders") { bidder throws(InputError) in
            var scores: [String: ExactDecimal] = [:]
            let lines = try bidder.objects("lines") { line throws(InputError) -> PricedLine in
                let priced = try PricedLine(reading: line)
                scores[priced.measure] = try line.decimal("qualitativeScore")
                return priced
            }
            return Bidder(
                name: try bidder.string("bidder"), lines: lines, qualitativeScores: scores,
                offerTotal: try bidder.money("offerTotalGBP"), socialValueScore: try bidder.decimal("socialValueScore"))
        }
    }

    var json: JSONValue {
        [
            "catalogId": .string(catalogId), "catalogVersion": .string(catalogVersion), "weightingPercent": .decimal(weightingPercent),
            "bidders": .array(bidders.map { bidder in
                [
                    "bidder": .string(bidder.name), "offerTotalGBP": .money(bidder.offerTotal),
                    "socialValueScore": .decimal(bidder.socialValueScore),
                    "lines": .array(bidder.lines.map { line in
                        guard case .object(var members) = line.json else { return line.json }
                        members["qualitativeScore"] = .decimal(bidder.qualitativeScores[line.measure] ?? .zero)
                        return .object(members)
                    }),
                ]
            }),
        ]
    }
}

public struct Award: Sendable, Equatable {
    public let supplier: String
    public let awardDate: CalendarDate
    public let value: Money
    /// The supplier's registered identifiers and address, when given (an imported notice's).
    public let supplierDetails: OrganisationDetails?

    init(supplier: String, awardDate: CalendarDate, value: Money, supplierDetails: OrganisationDetails? = nil) {
        self.supplier = supplier
        self.awardDate = awardDate
        self.value = value
        self.supplierDetails = supplierDetails
    }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(
            supplier: try reader.string("supplier"), awardDate: try reader.date("awardDate"), value: try reader.money("valueGBP"),
            supplierDetails: try OrganisationDetails.optional("supplierDetails", reader))
    }

    var json: JSONValue {
        var members: JSONObject = ["supplier": .string(supplier), "awardDate": .date(awardDate), "valueGBP": .money(value)]
        // Written only when given, so that every event recorded before keeps its bytes.
        if let supplierDetails { members["supplierDetails"] = supplierDetails.json }
        return .object(members)
    }
}

/// A recorded award's value or date put right (a published notice corrected, a figure keyed
/// wrongly): the new value and date, with the ones they replace, so that the audit trail shows
/// both. The supplier stays: another supplier would be another award, not a correction.
public struct AwardCorrection: Sendable, Equatable {
    public let awardDate: CalendarDate
    public let value: Money
    public let previousAwardDate: CalendarDate
    public let previousValue: Money

    init(awardDate: CalendarDate, value: Money, previousAwardDate: CalendarDate, previousValue: Money) {
        self.awardDate = awardDate
        self.value = value
        self.previousAwardDate = previousAwardDate
        self.previousValue = previousValue
    }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(
            awardDate: try reader.date("awardDate"), value: try reader.money("valueGBP"),
            previousAwardDate: try reader.date("previousAwardDate"), previousValue: try reader.money("previousValueGBP"))
    }

    var json: JSONValue {
        [
            "awardDate": .date(awardDate), "valueGBP": .money(value),
            "previousAwardDate": .date(previousAwardDate), "previousValueGBP": .money(previousValue),
        ]
    }
}

/// The supplier's pledge: the original commitment, priced under one catalog version.
public struct Pledge: Sendable, Equatable {
    public let supplier: String
    public let catalogId: String
    public let catalogVersion: String
    public let lines: [PricedLine]
    public let total: Money
    /// For an imported pledge: the values the source file stated, kept for the audit trail.
    public let statedValues: [String: String]

    init(supplier: String, catalogId: String, catalogVersion: String, lines: [PricedLine], statedValues: [String: String] = [:]) {
        self.init(supplier: supplier, catalogId: catalogId, catalogVersion: catalogVersion, lines: lines, total: lines.total, statedValues: statedValues)
    }

    /// As stored: the total as the event states it.
    init(supplier: String, catalogId: String, catalogVersion: String, lines: [PricedLine], total: Money, statedValues: [String: String]) {
        self.supplier = supplier
        self.catalogId = catalogId
        self.catalogVersion = catalogVersion
        self.lines = lines
        self.total = total
        self.statedValues = statedValues
    }

    init(_ reader: FieldReader) throws(InputError) {
        supplier = try reader.string("supplier")
        catalogId = try reader.string("catalogId")
        catalogVersion = try reader.string("catalogVersion")
        lines = try reader.objects("lines") { line throws(InputError) in try PricedLine(reading: line) }
        total = try reader.money("totalGBP")
        var stated: [String: String] = [:]
        if let object = try reader.optionalObject("statedValues") {
            for key in object.members.keys { stated[key] = try object.string(key) }
        }
        statedValues = stated
    }

    var json: JSONValue {
        [
            "supplier": .string(supplier), "catalogId": .string(catalogId), "catalogVersion": .string(catalogVersion),
            "lines": .array(lines.map(\.json)), "totalGBP": .money(total),
            "statedValues": .object(JSONObject(statedValues.mapValues { .string($0) })),
        ]
    }
}

public struct DeliveryReturn: Sendable, Equatable {
    public let quarter: FinancialQuarter
    public let lines: [DeliveryLine]
    /// The supplier confirmed the figures are attributed to this contract, for this period only.
    public let attributionConfirmed: Bool

    init(quarter: FinancialQuarter, lines: [DeliveryLine], attributionConfirmed: Bool) {
        self.quarter = quarter
        self.lines = lines
        self.attributionConfirmed = attributionConfirmed
    }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(
            quarter: try Self.quarter(reader), lines: try reader.objects("lines") { line throws(InputError) in try DeliveryLine(reading: line) },
            attributionConfirmed: try reader.bool("attributionConfirmed"))
    }

    static func quarter(_ reader: FieldReader) throws(InputError) -> FinancialQuarter {
        let text = try reader.string("quarter")
        guard let quarter = FinancialQuarter(text) else { throw reader.fail("quarter", "\(DisplayText.quoted(text)) is not a quarter like 2025-26-Q1") }
        return quarter
    }

    var json: JSONValue {
        ["quarter": .string(quarter.description), "lines": .array(lines.map(\.json)), "attributionConfirmed": .bool(attributionConfirmed)]
    }
}

/// A later return that replaces lines of an earlier one (or of an earlier correction).
public struct DeliveryCorrection: Sendable, Equatable {
    public let corrects: EventID
    public let quarter: FinancialQuarter
    public let lines: [DeliveryLine]

    init(corrects: EventID, quarter: FinancialQuarter, lines: [DeliveryLine]) {
        self.corrects = corrects
        self.quarter = quarter
        self.lines = lines
    }

    init(_ reader: FieldReader) throws(InputError) {
        let text = try reader.string("correctsEventId")
        guard let id = EventID(text) else { throw reader.fail("correctsEventId", "\(DisplayText.quoted(text)) is not an event id") }
        self.init(
            corrects: id, quarter: try DeliveryReturn.quarter(reader),
            lines: try reader.objects("lines") { line throws(InputError) in try DeliveryLine(reading: line) })
    }

    var json: JSONValue {
        ["correctsEventId": .string(corrects.description), "quarter": .string(quarter.description), "lines": .array(lines.map(\.json))]
    }
}

/// A review's refresh of the commitments; the original pledge stays in the history.
public struct CommitmentRefresh: Sendable, Equatable {
    public let catalogId: String
    public let catalogVersion: String
    public let revised: [PricedLine]
    public let added: [PricedLine]
    public let withdrawn: [String]
    /// True when every current line was re-priced to a newer catalog version.
    public let repriced: Bool
    /// The whole current commitment after the refresh.
    public let lines: [PricedLine]
    public let total: Money

    init(catalogId: String, catalogVersion: String, revised: [PricedLine], added: [PricedLine], withdrawn: [String], repriced: Bool, lines: [PricedLine]) {
        self.init(catalogId: catalogId, catalogVersion: catalogVersion, revised: revised, added: added, withdrawn: withdrawn, repriced: repriced, lines: lines, total: lines.total)
    }

    /// As stored: the total as the event states it.
    init(
        catalogId: String, catalogVersion: String, revised: [PricedLine], added: [PricedLine], withdrawn: [String], repriced: Bool, lines: [PricedLine], total: Money
    ) {
        self.catalogId = catalogId
        self.catalogVersion = catalogVersion
        self.revised = revised
        self.added = added
        self.withdrawn = withdrawn
        self.repriced = repriced
        self.lines = lines
        self.total = total
    }

    init(_ reader: FieldReader) throws(InputError) {
        catalogId = try reader.string("catalogId")
        catalogVersion = try reader.string("catalogVersion")
        revised = try reader.objects("revised", allowEmpty: true) { line throws(InputError) in try PricedLine(reading: line) }
        added = try reader.objects("added", allowEmpty: true) { line throws(InputError) in try PricedLine(reading: line) }
        withdrawn = try reader.strings("withdrawn")
        repriced = try reader.bool("repriced")
        lines = try reader.objects("lines", allowEmpty: true) { line throws(InputError) in try PricedLine(reading: line) }
        total = try reader.money("totalGBP")
    }

    var json: JSONValue {
        [
            "catalogId": .string(catalogId), "catalogVersion": .string(catalogVersion), "revised": .array(revised.map(\.json)),
            "added": .array(added.map(\.json)), "withdrawn": .strings(withdrawn), "repriced": .bool(repriced),
            "lines": .array(lines.map(\.json)), "totalGBP": .money(total),
        ]
    }
}

public struct Closure: Sendable, Equatable {
    public let closedOn: CalendarDate
    /// Closed before the end of the term: an early termination, recorded with its reason.
    public let earlyTermination: Bool

    init(closedOn: CalendarDate, earlyTermination: Bool) {
        self.closedOn = closedOn
        self.earlyTermination = earlyTermination
    }

    init(_ reader: FieldReader) throws(InputError) {
        closedOn = try reader.date("closedOn")
        // Absent from events recorded before svledger recorded it.
        earlyTermination = reader.has("earlyTermination") ? try reader.bool("earlyTermination") : false
    }

    var json: JSONValue { ["closedOn": .date(closedOn), "earlyTermination": .bool(earlyTermination)] }
}

extension ContractEvent {
    /// The payload key that says the command gave no effective date, so the day it was
    /// recorded was used (docs/rules.md "Effective dates"). Every contract event carries it.
    public static let effectiveDateDefaultedKey = "effectiveDateDefaulted"

    /// The payload recorded for this event when decided on `command`: the event's own fields and
    /// whether the command gave its effective date.
    public func payload(decidedOn command: ContractCommand) -> JSONValue {
        guard case .object(var members) = payload else { return payload }
        members[Self.effectiveDateDefaultedKey] = .bool(!command.effectiveDateGiven)
        return .object(members)
    }

    /// Whether a stored contract event's effective date was the day it was recorded because its
    /// command gave none: `nil` for an event recorded before svledger said (or not a contract event).
    public static func effectiveDateDefaulted(in payload: JSONValue) -> Bool? {
        if case .bool(let defaulted) = payload[effectiveDateDefaultedKey] ?? .null { return defaulted }
        return nil
    }
}
