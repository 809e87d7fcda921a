import LedgerValues

/// A council's social value policy, one version of it: data, adopted into the ledger by a
/// `PolicyAdopted` event, so that a replay applies the rules that were in force
/// (file format: Schemas/policy.schema.json).
public struct Policy: Sendable, Equatable {
    public let id: String
    public let version: String
    public let title: String
    public let council: String
    public let effectiveDate: CalendarDate
    public let threshold: ThresholdRule
    public let statutoryThresholds: [StatutoryThreshold]
    public let statutoryDutyCategories: [ContractCategory]
    public let weighting: WeightingRule
    public let exemptionAuthorities: [String]
    public let reportingCadence: String
    public let priorityFrameworks: [String: [String]]
    /// Whether the council adopted the policy, or it is a draft kept in the ledger for the
    /// contracts let under it: only an adopted policy's priorities are the council's corporate
    /// priorities.
    public let status: Status
    /// Where each rating starts: the policy's own `ratingCutOffs`, or svledger's defaults when it states none.
    public let ratingCutOffs: RatingCutOffs
    /// Which delivery the ratings rate: claimed (the default) or validated (docs/validation.md).
    public let ratedDelivery: RatedDelivery
    /// Days after a quarter ends by which its return is due (docs/calendar.md): the policy's
    /// `returnDueDays`, or 30 when it states none. A contract may arrange its own.
    public let returnDueDays: Int
    /// The estimated value above which a contract has KPIs (the Act's £5m): `nil` when the policy
    /// states none, and then no KPIs are required (docs/kpis.md).
    public let kpiThreshold: Money?
    /// The default when a policy states no `returnDueDays`: a month.
    public static let defaultReturnDueDays = 30
    /// The most days a return may be given: a year.
    public static let returnDueDaysLimit = 366
    /// The document exactly as adopted, kept whole in the event.
    public let document: JSONValue

    public enum Status: String, Sendable, CaseIterable {
        case adopted, draft
    }

    /// `lancashire-2024-28@1`.
    public var reference: String { "\(id)@\(version)" }

    /// The statutory procurement threshold in force on `date`, if any is known for it.
    public func statutoryThreshold(on date: CalendarDate) -> StatutoryThreshold? {
        statutoryThresholds.filter { $0.from <= date }.max { $0.from < $1.from }
    }
}

/// Contract categories the policies speak of.
public enum ContractCategory: String, Sendable, CaseIterable, Equatable {
    case goods, services, works
}

/// When the policy applies to a purchase.
public struct ThresholdRule: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case fixed, statutory }
    public let kind: Kind
    /// For `fixed`: the amount.
    public let amount: Money?
    /// Whether a value equal to the threshold is in scope.
    public let inclusive: Bool
    public let measuredOn: String
    public let categories: [ContractCategory]
}

/// A UK procurement threshold from a date (VAT inclusive).
public struct StatutoryThreshold: Sendable, Equatable {
    public let from: CalendarDate
    public let amount: Money
}

/// How the social value weighting of a tender is set.
public struct WeightingRule: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case fixedMinimum = "fixed-minimum"
        case matrix
    }
    public let kind: Kind
    public let minimumPercent: ExactDecimal
    /// Who may agree a different weighting (recorded with the reason), if the policy names one.
    public let overrideBody: String?
    /// For `matrix`: tried in order; the first that matches gives the weighting.
    public let rows: [MatrixRow]
    public let objectivesAvailable: Int?

    public struct MatrixRow: Sendable, Equatable {
        public let percent: ExactDecimal
        public let impact: [String]
        public let minimumObjectives: Int
        public let areaNeeds: [String]
    }

    /// The percentage the matrix gives for these answers, or `nil` if no row matches.
    public func matrixPercent(for answers: MatrixAnswers) -> ExactDecimal? {
        rows.first { row in
            row.impact.contains(answers.impact) && answers.objectivesMet >= row.minimumObjectives
                && row.areaNeeds.contains(answers.areaNeeds)
        }?.percent
    }
}

/// The answers to the draft policy's weighting matrix (001 §5).
public struct MatrixAnswers: Sendable, Equatable {
    /// "significant", "some" or "none".
    public let impact: String
    public let objectivesMet: Int
    /// "highest" or "less-significant".
    public let areaNeeds: String

    public init(impact: String, objectivesMet: Int, areaNeeds: String) {
        self.impact = impact
        self.objectivesMet = objectivesMet
        self.areaNeeds = areaNeeds
    }
}

// MARK: - Reading a policy document

extension Policy {
    /// Reads and checks a policy document.
    /// - Throws: ``InputError`` naming the first field that is missing or wrong.
    public init(document: JSONValue) throws(InputError) {
        let reader = try FieldReader(document)
        try reader.onlyFields([
            "policyId", "version", "title", "council", "effectiveDate", "source", "threshold", "statutoryThresholds",
            "statutoryDutyCategories", "weighting", "exemption", "reportingCadence", "priorityFrameworks", "notes", "status",
            "ratingCutOffs", "ratedDelivery", "returnDueDays", "kpiThresholdGBP",
        ])
        id = try reader.string("policyId")
        version = try reader.string("version")
        title = try reader.string("title")
        council = try reader.string("council")
        effectiveDate = try reader.date("effectiveDate")
        _ = try reader.string("source")

        let threshold = try reader.object("threshold")
        let kind = try threshold.choice("kind", as: ThresholdRule.Kind.self)
        self.threshold = ThresholdRule(
            kind: kind, amount: kind == .fixed ? try threshold.money("amountGBP") : nil,
            inclusive: try threshold.bool("inclusive"), measuredOn: try threshold.string("measuredOn"),
            categories: try Self.categories(threshold, "categories"))
        statutoryThresholds = try reader.objects("statutoryThresholds", allowEmpty: kind == .fixed) { entry throws(InputError) in
            StatutoryThreshold(from: try entry.date("from"), amount: try entry.money("amountGBP"))
        }
        statutoryDutyCategories = try Self.categories(reader, "statutoryDutyCategories")

        let weighting = try reader.object("weighting")
        let weightingKind = try weighting.choice("kind", as: WeightingRule.Kind.self)
        let rows = try weighting.objects("rows", allowEmpty: weightingKind == .fixedMinimum) { row throws(InputError) in
            WeightingRule.MatrixRow(
                percent: try row.percent("percent"), impact: try row.strings("impact", allowEmpty: false),
                minimumObjectives: try row.integer("minimumObjectives"), areaNeeds: try row.strings("areaNeeds", allowEmpty: false))
        }
        self.weighting = WeightingRule(
            kind: weightingKind, minimumPercent: try weighting.percent("minimumPercent"),
            overrideBody: try weighting.optionalString("overrideBody"), rows: rows,
            objectivesAvailable: weighting.has("objectivesAvailable") ? try weighting.integer("objectivesAvailable") : nil)

        let exemption = try reader.object("exemption")
        exemptionAuthorities = try exemption.strings("authorities", allowEmpty: false)
        reportingCadence = try reader.string("reportingCadence")
        var frameworks: [String: [String]] = [:]
        if let object = try reader.optionalObject("priorityFrameworks") {
            for key in object.members.keys { frameworks[key] = try object.strings(key) }
        }
        priorityFrameworks = frameworks
        status = reader.has("status") ? try reader.choice("status", as: Status.self) : .adopted
        if let cutOffs = try reader.optionalObject("ratingCutOffs") {
            try cutOffs.onlyFields(["good", "approachingTarget", "requiresImprovement", "source"])
            ratingCutOffs = RatingCutOffs(
                good: try cutOffs.decimal("good"), approachingTarget: try cutOffs.decimal("approachingTarget"),
                requiresImprovement: try cutOffs.decimal("requiresImprovement"), source: try cutOffs.string("source"))
            if let problem = ratingCutOffs.problem { throw reader.fail("ratingCutOffs", problem) }
        } else {
            ratingCutOffs = .standard
        }
        ratedDelivery = reader.has("ratedDelivery") ? try reader.choice("ratedDelivery", as: RatedDelivery.self) : .claimed
        kpiThreshold = try reader.optionalMoney("kpiThresholdGBP")
        returnDueDays = reader.has("returnDueDays") ? try Self.dueDays(reader, "returnDueDays") : Self.defaultReturnDueDays
        self.document = document
    }

    /// A number of days a return is given: 0 (due the day the quarter ends) to a year.
    public static func dueDays(_ reader: FieldReader, _ key: String) throws(InputError) -> Int {
        let days = try reader.integer(key)
        guard (0...returnDueDaysLimit).contains(days) else { throw reader.fail(key, "must be 0 to \(returnDueDaysLimit) days") }
        return days
    }

    private static func categories(_ reader: FieldReader, _ key: String) throws(InputError) -> [ContractCategory] {
        var result: [ContractCategory] = []
        for text in try reader.strings(key) {
            guard let category = ContractCategory(rawValue: text) else {
                throw reader.fail(key, "\(DisplayText.quoted(text)) is not one of goods, services, works")
            }
            result.append(category)
        }
        return result
    }
}
