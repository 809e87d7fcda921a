import LedgerValues
import Projections
import SocialValue

/// What governance is asked to look at: contracts under-delivering, returns not made, value
/// delivered that was never pledged, and the decisions that set the policy aside (exemptions,
/// board overrides) or left an in-scope contract without a pledge.
///
/// Delivery exceptions follow the reconciliation at the period; decision exceptions list what
/// the ledger holds at the snapshot's head, whatever their date, each with its date.
public struct CabinetExceptions: Sendable {
    /// Contracts rated requires improvement or inadequate, worst first.
    public let underDelivering: [ContractReconciliation]
    /// Contracts with quarters ended before the reporting date and no return.
    public let lateReturns: [ContractReconciliation]
    /// Deliveries against measures that were not committed; never in the totals.
    public let unpledged: [UnpledgedDelivery]
    public let exemptionsGranted: [ContractProjection]
    public let boardOverrides: [ContractProjection]
    /// Assessed above threshold, not exempted, and no pledge recorded.
    public let noPledge: [ContractProjection]
    /// KPIs whose assessment is overdue at the reporting date (docs/kpis.md): more than twelve
    /// months since the last, or none at termination.
    public let kpiAssessmentsOverdue: [OverdueKPI]

    public struct OverdueKPI: Sendable {
        public let contract: ContractProjection
        public let kpi: ContractProjection.KPIRecord
        public let why: String
    }

    /// The number of items across every list, for the summary.
    public var count: Int {
        underDelivering.count + lateReturns.count + unpledged.count + exemptionsGranted.count + boardOverrides.count + noPledge.count
            + kpiAssessmentsOverdue.count
    }

    /// - Parameters:
    ///   - contracts: the contracts the report covers, as the snapshot holds them.
    ///   - reconciled: those of them with a commitment in force, reconciled, worst rated first.
    ///   - reportingDate: the day KPI assessments are judged overdue on.
    public init(contracts: [ContractProjection], reconciled: [ContractReconciliation], reportingDate: CalendarDate) {
        // Each contract tested where it is, by index: `filter` gives its closure a copy of every
        // contract, a retain and a release of each of its strings and arrays.
        underDelivering = reconciled.chosen { CabinetExceptions.isUnderDelivering(reconciled[$0].amounts.rating) }
        lateReturns = reconciled.chosen { reconciled[$0].hasLateReturns }
        unpledged = reconciled.chosen { !reconciled[$0].unpledged.isEmpty }.flatMap { contract in
            contract.unpledged.map { UnpledgedDelivery(contract: contract, figure: $0) }
        }
        exemptionsGranted = contracts.chosen { contracts[$0].exemptionGranted }
            .sorted { ($0.exemption?.decidedOn, $0.reference) < ($1.exemption?.decidedOn, $1.reference) }
        boardOverrides = contracts.chosen { contracts[$0].weighting?.basis == .boardOverride }
        noPledge = contracts.chosen { contracts[$0].inPolicyScope && contracts[$0].commitmentCatalog == nil }
        // A method called on an element copies the whole contract first: called only where there are KPIs.
        kpiAssessmentsOverdue = contracts.indices.filter { !contracts[$0].kpis.isEmpty }.flatMap { index in
            contracts[index].kpiAssessmentsOverdue(on: reportingDate).map { OverdueKPI(contract: contracts[index], kpi: $0.kpi, why: $0.why) }
        }
    }

    public struct UnpledgedDelivery: Sendable {
        public let contract: ContractReconciliation
        public let figure: ContractProjection.DeliveredFigure
    }

    static func isUnderDelivering(_ rating: PerformanceRating) -> Bool {
        rating == .requiresImprovement || rating == .inadequate
    }
}

/// Weighting compliance: of the tenders the policy applies to (assessed above threshold, not
/// exempted) that have a weighting decided, how many set it at or above the minimum their
/// policy gave when it was decided (the `policyMinimumPercent` recorded with the decision).
public struct CabinetWeightingCompliance: Sendable {
    /// How many in-scope tenders have a weighting.
    public let tenders: Int
    /// Those whose weighting is below the recorded policy minimum, in reference order.
    public let below: [ContractProjection]

    public var compliant: Int { tenders - below.count }
    /// "66.6%" (rounded down), or `nil` when no tender is in scope.
    public var percentage: String? { CabinetReportText.percent(compliant, of: tenders) }

    init(contracts: [ContractProjection]) {
        // Counted where they are: only those listed are copied (a copy of a contract retains
        // each of its strings and arrays, and most of a portfolio is in scope).
        let inScope = contracts.indices.filter { contracts[$0].inPolicyScope && contracts[$0].weighting != nil }
        tenders = inScope.count
        below = inScope.filter { index in
            guard let w = contracts[index].weighting else { return false }
            return w.percent < w.policyMinimumPercent
        }.map { contracts[$0] }.sorted { $0.reference < $1.reference }
    }
}

extension Array {
    /// The elements at the indices that pass `test`: `filter`, but given indices, so that a
    /// test reads an element where it is instead of in a copy (a retain of each of its fields).
    func chosen(_ test: (Int) -> Bool) -> [Element] { indices.filter(test).map { self[$0] } }
}

extension ContractProjection {
    var exemptionGranted: Bool { exemption?.status == .granted }

    /// Assessed above its policy's threshold and not exempted: the policy's requirements apply.
    var inPolicyScope: Bool { assessment?.outcome == .above && !exemptionGranted }
}

/// Optional dates sort with the undated last.
private func < (lhs: (CalendarDate?, String), rhs: (CalendarDate?, String)) -> Bool {
    switch (lhs.0, rhs.0) {
    case let (l?, r?): return (l, lhs.1) < (r, rhs.1)
    case (nil, nil): return lhs.1 < rhs.1
    case (.some, nil): return true
    case (nil, .some): return false
    }
}

/// Each KPI of the contracts a report covers, with its latest assessment.
struct CabinetKPIRow {
    let contract: String
    let kpi: ContractProjection.KPIRecord
    var latest: ContractProjection.KPIRecord.Assessment? { kpi.assessments.max { ($0.periodEnd, $0.assessedOn) < ($1.periodEnd, $1.assessedOn) } }

    static func rows(_ m: CabinetReportModel) -> [CabinetKPIRow] {
        m.scope.contracts.flatMap { c in c.kpis.map { CabinetKPIRow(contract: c.reference, kpi: $0) } }
    }
}
