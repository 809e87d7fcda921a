import LedgerValues
import SocialValue

/// Implementation-stage releases: a quarterly return, or its correction, as observations of
/// the contract's implementation metrics, one per measure and quarter.
extension OCDSReleaseMaker {
    /// The observation id is the quarter ("2025-26-Q1"), so a correction's observation has the
    /// id of the one it corrects and the merge replaces it. An observation carries no
    /// `measureClassification`: in the UK profile that is a Procurement Act KPI's assessment
    /// (a UK9 notice), and a TOMs measure's quarterly delivery is not one. svledger records
    /// no KPIs yet, so the export rates none (docs/open-contracting.md).
    mutating func reported(
        _ quarter: FinancialQuarter, _ lines: [DeliveryLine], corrects: EventID?, state: OCDSContractState
    ) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        var metrics: [OCDSValue] = []
        for line in lines {
            let committed = state.lines[line.measure]
            let kind = committed.map { accrual(of: line.measure, catalog: $0.catalog) } ?? Accrual.addsUp
            let delivery = state.delivery(line, quarter: quarter, accrual: kind)
            var notes: [String] = []
            if kind.isLevel {
                notes.append("a level held in the quarter (\(kind.rawValue)): it delivers \(delivery.normalized) \(kind.accruedUnit(committed?.unit ?? "units")), which the social value prices")
            }
            if let corrects { notes.append("corrects event \(corrects); replaces the earlier figures") }
            if !line.pledged { notes.append("not a pledged measure: shown apart, not counted against the commitment") }
            let period = OCDSValue.object(("startDate", .day(quarter.firstDay)), ("endDate", .endOfDay(quarter.lastDay)))
            let text = notes.isEmpty ? nil : notes.joined(separator: "; ")
            let observation = OCDSValue.object(
                members: [("id", .string(quarter.description)), ("period", period)] + OCDSMetricFigures.figure(line.quantity, unit: committed?.unit)
                    + [("notes", text.map(OCDSValue.string))])
            metrics.append(.object(
                ("id", .string(line.measure)),
                ("title", committed.flatMap { measureName(line.measure, catalog: $0.catalog) }.map(OCDSValue.string)),
                ("observations", .array([observation]))))
            metrics.append(OCDSMetricFigures.socialValue(
                line.measure, observation: quarter.description, period: period, value: state.value(of: line, delivery: delivery), notes: text))
        }
        content.contracts = [Self.contract(state, Self.implementation(metrics))]
        return content
    }
}
