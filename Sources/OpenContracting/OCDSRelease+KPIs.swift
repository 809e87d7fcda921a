import LedgerValues
import SocialValue

/// The Procurement Act 2023's KPIs as the UK profile publishes them (docs/open-contracting.md):
/// each KPI one of the contract's `agreedMetrics` (the contract details notice, UK7), its target
/// a `target` observation; each assessment an observation of the KPI's implementation metric
/// over the period assessed, rated by `measureClassification` (the contract performance notice,
/// UK9). A KPI's metric id is `kpi-` and its id, so that it is never taken for a TOMs measure.
extension OCDSReleaseMaker {
    static let kpiPrefix = "kpi-"

    /// The UK profile's classification ids for the Act's five ratings.
    static func classification(_ rating: KPIRating) -> String {
        switch rating {
        case .good: "met"
        case .approachingTarget: "slightlyBelow"
        case .requiresImprovement: "below"
        case .inadequate: "significantlyBelow"
        case .other: "other"
        }
    }

    static func kpisAgreed(_ agreed: KPIsAgreed, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        for kpi in agreed.kpis { state.kpiNames[kpi.id] = kpi.name }
        if state.supplier == nil {
            state.kpisBeforeAward += agreed.kpis
            content.tender = .object(("id", .string(state.reference)), ("targets", .array(metrics(agreed.kpis))))
            return content
        }
        content.contracts = [contract(state, ("agreedMetrics", .array(metrics(agreed.kpis))))]
        return content
    }

    /// Each KPI as a metric with its target.
    static func metrics(_ kpis: [KPI]) -> [OCDSValue] {
        kpis.map { kpi in
            .object(
                ("id", .string(kpiPrefix + kpi.id)), ("title", .string(kpi.name)), ("description", .string(kpi.description)),
                ("observations", .array([.object(
                    ("id", .string("target")), ("measure", .string(kpi.target)),
                    ("notes", kpi.measures.isEmpty ? nil : .string("Worked out from TOMs measures \(kpi.measures.joined(separator: ", "))")))])))
        }
    }

    static func kpiAssessed(_ assessment: KPIAssessment, eventId: EventID, reason: String?, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let observation = OCDSValue.object(
            ("id", .string("assessment-\(eventId)")),
            ("period", .object(("startDate", .day(assessment.periodStart)), ("endDate", .endOfDay(assessment.periodEnd)))),
            ("measureClassification", .object(
                ("scheme", .string("kpiRating")), ("id", .string(classification(assessment.rating))), ("description", .string(assessment.rating.label)))),
            ("notes", reason.map(OCDSValue.string)))
        let metric = OCDSValue.object(
            ("id", .string(kpiPrefix + assessment.kpi)), ("title", state.kpiNames[assessment.kpi].map(OCDSValue.string)), ("observations", .array([observation])))
        content.contracts = [contract(state, implementation([metric]))]
        return content
    }
}
