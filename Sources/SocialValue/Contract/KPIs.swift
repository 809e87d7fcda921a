import LedgerValues

/// Key performance indicators (the Procurement Act 2023, s. 52; docs/kpis.md): a contract above
/// its policy's KPI threshold has at least three before award, unless it is of a kind the Act
/// exempts; each is assessed at least every twelve months and at termination.
public struct KPI: Sendable, Equatable {
    public let id: String
    public let name: String
    public let description: String
    public let target: String
    /// The TOMs measures it is worked out from, if any.
    public let measures: [String]

    public init(id: String, name: String, description: String, target: String, measures: [String] = []) {
        self.id = id
        self.name = name
        self.description = description
        self.target = target
        self.measures = measures
    }

    init(reading reader: FieldReader) throws(InputError) {
        try reader.onlyFields(["id", "name", "description", "target", "measures"])
        self.init(
            id: try reader.string("id"), name: try reader.string("name"), description: try reader.string("description"), target: try reader.string("target"),
            measures: try reader.strings("measures"))
    }

    var json: JSONValue {
        ["id": .string(id), "name": .string(name), "description": .string(description), "target": .string(target), "measures": .strings(measures)]
    }
}

/// The Act's five ratings of a KPI assessment, in its words.
public enum KPIRating: String, Sendable, CaseIterable {
    case good
    case approachingTarget = "approaching-target"
    case requiresImprovement = "requires-improvement"
    case inadequate
    case other

    public var label: String {
        switch self {
        case .good: "Good"
        case .approachingTarget: "Approaching target"
        case .requiresImprovement: "Requires improvement"
        case .inadequate: "Inadequate"
        case .other: "Other"
        }
    }
}

/// Why a contract above the threshold needs no KPIs: the kinds the Act exempts.
public enum KPIExemption: String, Sendable, CaseIterable {
    case framework
    case concession
    case lightTouch = "light-touch"
}

/// `KPIsAgreed`: KPIs added to the contract.
public struct KPIsAgreed: Sendable, Equatable {
    public let kpis: [KPI]
    init(kpis: [KPI]) { self.kpis = kpis }
    init(_ reader: FieldReader) throws(InputError) {
        kpis = try reader.objects("kpis") { kpi throws(InputError) in try KPI(reading: kpi) }
    }
    var json: JSONValue { ["kpis": .array(kpis.map(\.json))] }
}

/// `KPIExemptionRecorded`: the contract is of a kind the Act exempts from KPIs (with the reason).
public struct KPIExemptionRecord: Sendable, Equatable {
    public let basis: KPIExemption
    init(basis: KPIExemption) { self.basis = basis }
    init(_ reader: FieldReader) throws(InputError) { basis = try reader.choice("basis", as: KPIExemption.self) }
    var json: JSONValue { ["basis": .string(basis.rawValue)] }
}

/// `KPIAssessed`: one KPI rated for a period, by the actor's role, with the reason.
public struct KPIAssessment: Sendable, Equatable {
    public let kpi: String
    public let periodStart: CalendarDate
    public let periodEnd: CalendarDate
    public let rating: KPIRating

    init(kpi: String, periodStart: CalendarDate, periodEnd: CalendarDate, rating: KPIRating) {
        self.kpi = kpi
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.rating = rating
    }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(
            kpi: try reader.string("kpi"), periodStart: try reader.date("periodStart"), periodEnd: try reader.date("periodEnd"),
            rating: try reader.choice("rating", as: KPIRating.self))
    }

    var json: JSONValue {
        ["kpi": .string(kpi), "periodStart": .date(periodStart), "periodEnd": .date(periodEnd), "rating": .string(rating.rawValue)]
    }
}

/// How often a KPI is assessed, at least: every twelve months.
public enum KPISchedule {
    public static let monthsBetweenAssessments = 12
    /// The Act's number of KPIs, at least, for a contract above the threshold.
    public static let required = 3

    /// Whether an assessment of a KPI is overdue on `day`: more than twelve months after the end
    /// of the period last assessed (or after `since`, the award or the KPI's agreement, when none
    /// was), or the contract closed and no assessment covers its end.
    public static func overdue(lastPeriodEnd: CalendarDate?, since: CalendarDate, closedOn: CalendarDate?, on day: CalendarDate) -> String? {
        let from = max(lastPeriodEnd ?? since, since)
        if let closedOn, closedOn <= day {
            return (lastPeriodEnd.map { $0 >= closedOn } ?? false) ? nil : "no assessment at termination (closed \(closedOn))"
        }
        let due = from.adding(months: monthsBetweenAssessments)
        return due < day ? "last assessed to \(lastPeriodEnd.map(\.description) ?? "never (since \(since))"), due by \(due)" : nil
    }
}

extension ContractRules {
    func agreeKPIs(_ kpis: [KPI]) throws(DomainError) -> ContractEvent {
        guard !kpis.isEmpty else { throw DomainError(.invalidInput, "\(field: "kpis") agree at least one KPI") }
        var seen = Set(state.kpis.map(\.id))
        let priced: Catalog? = state.commitment == nil ? nil : try deliveryCatalog()
        for (index, kpi) in kpis.enumerated() {
            guard seen.insert(kpi.id).inserted else {
                let already = state.kpis.contains { $0.id == kpi.id }
                throw DomainError(
                    .kpiDefinition,
                    "\(field: "kpis[\(index)].id") \(DisplayText.quoted(kpi.id)) \(already ? "is already a KPI of contract \(command.contract)" : "is named twice")")
            }
            if let twice = kpi.measures.enumerated().first(where: { kpi.measures[..<$0.offset].contains($0.element) }) {
                throw DomainError(.duplicateMeasure, "\(field: "kpis[\(index)].measures") names \(twice.element) twice")
            }
            // Once the contract is priced, a KPI's measures are its catalog's.
            if let priced, let unknown = kpi.measures.first(where: { priced.measure($0) == nil }) { throw unknownMeasure(unknown, priced) }
            for (name, text) in [("name", kpi.name), ("description", kpi.description), ("target", kpi.target)] where text.trimmingSpaces.isEmpty {
                throw DomainError(.invalidInput, "\(field: "kpis[\(index)].\(name)") must not be blank")
            }
        }
        return .kpisAgreed(KPIsAgreed(kpis: kpis))
    }

    func exemptFromKPIs(_ basis: KPIExemption) throws(DomainError) -> ContractEvent {
        guard state.supplier == nil else {
            throw order("an exemption from KPIs is recorded before award: contract \(command.contract) \(state.award != nil ? "is awarded" : "is running with its supplier, and has no award")")
        }
        if let recorded = state.kpiExemption { throw order("contract \(command.contract) is already recorded as a \(recorded.rawValue) contract, exempt from KPIs") }
        guard state.kpis.isEmpty else { throw order("contract \(command.contract) has KPIs agreed: it is not exempt from them") }
        try requireReason("an exemption from KPIs")
        return .kpiExemptionRecorded(KPIExemptionRecord(basis: basis))
    }

    func assessKPI(_ assessment: KPIAssessment) throws(DomainError) -> ContractEvent {
        guard state.kpis.contains(where: { $0.id == assessment.kpi }) else {
            throw DomainError(.kpiDefinition, "contract \(command.contract) has no KPI \(DisplayText.quoted(assessment.kpi)); its KPIs are \(state.kpis.map(\.id).joined(separator: ", "))")
        }
        guard state.supplier != nil else { throw order("a KPI is assessed once the contract is awarded") }
        guard assessment.periodStart <= assessment.periodEnd else {
            throw DomainError(.invalidInput, "\(field: "periodEnd") \(assessment.periodEnd) is before \(field: "periodStart") \(assessment.periodStart)")
        }
        if let start = state.registration?.startDate, assessment.periodEnd < start {
            throw DomainError(.invalidInput, "\(field: "periodEnd") \(assessment.periodEnd) is before the contract's term starts, on \(start)")
        }
        guard assessment.periodEnd <= command.effectiveDate else {
            throw DomainError(.invalidInput, "\(field: "periodEnd") \(assessment.periodEnd) is after the assessment's own day, \(command.effectiveDate): a period is assessed once it has passed")
        }
        guard !command.actor.role.lowercased().hasPrefix("supplier") else {
            throw DomainError(.validationAuthority, "a KPI is assessed by the council (the contract manager, say), not by the supplier")
        }
        try requireReason("a KPI assessment")
        return .kpiAssessed(assessment)
    }

    /// At award, a contract above its policy's KPI threshold has at least three KPIs, or an exemption.
    /// The threshold is the one of the policy version the threshold assessment applied (the
    /// version in force on the award day when there is none), as every other threshold is.
    func checkKPIsAtAward(_ registration: Registration, on day: CalendarDate) throws(DomainError) {
        let policy = state.assessment.flatMap { context.reference.policy(registration.policyId, version: $0.policyVersion) }
            ?? context.reference.policy(registration.policyId, on: day)
        guard let threshold = policy?.kpiThreshold,
            registration.estimatedValue > threshold, state.kpiExemption == nil, state.kpis.count < KPISchedule.required
        else { return }
        throw DomainError(
            .kpisRequired,
            "contract \(command.contract) is estimated at \(registration.estimatedValue.formatted), above the KPI threshold of \(threshold.formatted): agree at least \(KPISchedule.required) KPIs before award (it has \(state.kpis.count)), or record that it is a framework, concession or light-touch contract, which the Act exempts",
            advice: "svledger kpi agree, or svledger kpi exempt --basis … --reason …")
    }
}
