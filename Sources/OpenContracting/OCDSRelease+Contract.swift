import LedgerValues
import SocialValue

/// Contract-stage releases: the pledge and its review refreshes, and the closure.
///
/// A pledge's lines are the targets of the contract's implementation metrics, one `target`
/// observation over the term per measure, beside the quarters' actual observations that returns
/// add (the metrics extension's observations are "actual or target"). They are not the
/// contract's `agreedMetrics`: in the UK profile those are the contract's KPIs, and a TOMs
/// commitment is not one (docs/open-contracting.md).
extension OCDSReleaseMaker {
    mutating func pledged(_ pledge: Pledge, on date: CalendarDate, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let catalog = "\(pledge.catalogId)@\(pledge.catalogVersion)"
        state.supplier = state.supplier ?? pledge.supplier
        state.pledgedOn = date
        state.commit(pledge.lines, catalog: catalog, asPledge: true)
        content.parties = [state.supplierParty(pledge.supplier)]
        content.tender = .object(("id", .string(state.reference)), ("hasSustainability", .bool(true)), ("sustainability", Self.sustainability(state)))
        content.contracts = [Self.contract(state, Self.implementation(pledge.lines.flatMap { target($0, catalog: catalog, state: state) }))]
        return content
    }

    /// The whole commitment after the review, under the same metric ids, so the merged record
    /// shows the current targets while the pledge's release keeps the original ones. A
    /// withdrawn measure stays, with a target of nothing.
    mutating func refreshed(_ refresh: CommitmentRefresh, on date: CalendarDate, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let catalog = "\(refresh.catalogId)@\(refresh.catalogVersion)"
        state.commit(refresh.lines, catalog: catalog, asPledge: false)
        var metrics = refresh.lines.flatMap { target($0, catalog: catalog, state: state) }
        for measure in refresh.withdrawn {
            let line = state.lines[measure]
            state.withdraw(measure)
            let withdrawn = "withdrawn at review \(date)"
            let observation = OCDSValue.object(
                members: [("id", .string("target")), ("period", Self.term(state))] + OCDSMetricFigures.figure(.zero, unit: line?.unit)
                    + [("notes", .string(withdrawn))])
            metrics.append(.object(
                ("id", .string(measure)), ("title", line.flatMap { measureName(measure, catalog: $0.catalog) }.map(OCDSValue.string)),
                ("observations", .array([observation]))))
            metrics.append(OCDSMetricFigures.socialValue(measure, observation: "target", period: Self.term(state), value: .zero, notes: withdrawn))
        }
        content.contracts = [Self.contract(state, Self.implementation(metrics))]
        return content
    }

    /// A committed line as two implementation metrics (``OCDSMetricFigures``), each with one
    /// `target` observation over the term: the measure, its id the measure code, with the
    /// quantity; and its social value, the pledged £ (£0 for a record-only measure, so that a
    /// later release always replaces an earlier value).
    private mutating func target(_ line: PricedLine, catalog: String, state: OCDSContractState) -> [OCDSValue] {
        [
            .object(
                ("id", .string(line.measure)), ("title", measureName(line.measure, catalog: catalog).map(OCDSValue.string)),
                ("observations", .array([.object(
                    members: [("id", .string("target")), ("period", Self.term(state))] + OCDSMetricFigures.figure(line.quantity, unit: line.unit))]))),
            OCDSMetricFigures.socialValue(
                line.measure, observation: "target", period: Self.term(state), value: line.value ?? .zero,
                notes: line.value == nil ? "record-only: the catalog gives no proxy value" : nil),
        ]
    }

    /// The contract's term, which a target is over.
    static func term(_ state: OCDSContractState) -> OCDSValue {
        .object(("startDate", .day(state.startDate)), ("endDate", .endOfDay(state.endDate)))
    }

    /// `implementation.metrics`, when there are any.
    static func implementation(_ metrics: [OCDSValue]) -> (String, OCDSValue?) {
        ("implementation", metrics.isEmpty ? nil : .object(("metrics", .array(metrics))))
    }

    /// The id of the milestone that records the day a contract was closed.
    static let closureMilestone = "closure"

    static func closed(_ closure: Closure, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let early = OCDSValue.array([.object(
            ("id", .string("earlyTermination")),
            ("description", .string("Terminated on \(closure.closedOn), before the end of its term on \(state.endDate)")))])
        // The term stays as agreed (`period`, from the award); the day it actually ended is a
        // milestone met, so the record shows both.
        let ended = OCDSValue.object(
            ("id", .string(Self.closureMilestone)), ("title", .string("Contract closed")), ("type", .string("delivery")),
            ("dateMet", .endOfDay(closure.closedOn)), ("status", .string("met")))
        content.contracts = [contract(
            state, ("status", .string("terminated")), ("milestones", .array([ended])),
            ("terminationRationaleClassifications", closure.earlyTermination ? early : nil))]
        return content
    }
}
