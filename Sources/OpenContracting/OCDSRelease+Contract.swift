import LedgerValues
import SocialValue

/// Contract-stage releases: the pledge and its review refreshes as the contract's agreed
/// metrics (the targets agreed with the supplier), and the closure.
extension OCDSReleaseMaker {
    mutating func pledged(_ pledge: Pledge, on date: CalendarDate, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let catalog = "\(pledge.catalogId)@\(pledge.catalogVersion)"
        state.supplier = state.supplier ?? pledge.supplier
        state.pledgedOn = date
        state.commit(pledge.lines, catalog: catalog, asPledge: true)
        content.parties = [state.supplierParty(pledge.supplier)]
        content.contracts = [Self.contract(state, ("agreedMetrics", .array(pledge.lines.flatMap { target($0, catalog: catalog) })))]
        return content
    }

    /// The whole commitment after the review, under the same metric ids, so the merged record
    /// shows the current targets while the pledge's release keeps the original ones. A
    /// withdrawn measure stays, with a target of nothing.
    mutating func refreshed(_ refresh: CommitmentRefresh, on date: CalendarDate, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let catalog = "\(refresh.catalogId)@\(refresh.catalogVersion)"
        state.commit(refresh.lines, catalog: catalog, asPledge: false)
        var metrics = refresh.lines.flatMap { target($0, catalog: catalog) }
        for measure in refresh.withdrawn {
            let line = state.lines[measure]
            state.withdraw(measure)
            let withdrawn = "withdrawn at review \(date)"
            let observation = OCDSValue.object(
                members: [("id", .string("target"))] + OCDSMetricFigures.figure(.zero, unit: line?.unit) + [("notes", .string(withdrawn))])
            metrics.append(.object(
                ("id", .string(measure)), ("title", line.flatMap { measureName(measure, catalog: $0.catalog) }.map(OCDSValue.string)),
                ("observations", .array([observation]))))
            metrics.append(OCDSMetricFigures.socialValue(measure, observation: "target", value: .zero, notes: withdrawn))
        }
        content.contracts = [Self.contract(state, ("agreedMetrics", metrics.isEmpty ? nil : .array(metrics)))]
        return content
    }

    /// A committed line as two agreed metrics (``OCDSMetricFigures``): the measure, its id the
    /// measure code, with one `target` observation of the quantity; and its social value, the
    /// pledged £ (£0 for a record-only measure, so that a later release always replaces an
    /// earlier value).
    private mutating func target(_ line: PricedLine, catalog: String) -> [OCDSValue] {
        [
            .object(
                ("id", .string(line.measure)), ("title", measureName(line.measure, catalog: catalog).map(OCDSValue.string)),
                ("observations", .array([.object(members: [("id", .string("target"))] + OCDSMetricFigures.figure(line.quantity, unit: line.unit))]))),
            OCDSMetricFigures.socialValue(
                line.measure, observation: "target", value: line.value ?? .zero, notes: line.value == nil ? "record-only: the catalog gives no proxy value" : nil),
        ]
    }

    static func closed(_ closure: Closure, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let early = OCDSValue.array([.object(
            ("id", .string("earlyTermination")),
            ("description", .string("Terminated on \(closure.closedOn), before the end of its term on \(state.endDate)")))])
        content.contracts = [contract(
            state, ("status", .string("terminated")), ("period", .object(("endDate", .endOfDay(closure.closedOn)))),
            ("terminationRationaleClassifications", closure.earlyTermination ? early : nil))]
        return content
    }
}
