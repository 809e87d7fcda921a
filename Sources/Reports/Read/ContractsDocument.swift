import LedgerValues
import Projections
import SocialValue

/// `svledger contracts`: every contract with its stage and its delivery rating for one period
/// (Schemas/read/contracts.schema.json). The rows are shared by the text, CSV and JSON forms.
public struct ContractsDocument: Sendable {
    public struct Row: Sendable {
        public let reference: String
        public let title: String
        public let stage: Stage
        public let supplier: String?
        public let policyId: String
        public let threshold: ThresholdAssessment.Outcome?
        public let weightingPercent: ExactDecimal?
        public let weightingBasis: WeightingDecision.Basis?
        /// The policy's minimum weighting when the weighting was decided.
        public let weightingMinimumPercent: ExactDecimal?
        /// A granted exemption: the contract needs no weighting.
        public let exempt: Bool
        /// From the reconciliation; `nil` for a contract without a commitment.
        public let amounts: Amounts?
    }

    public let head: LedgerHead
    public let period: FinancialQuarter
    public let reportingDate: CalendarDate
    public let rows: [Row]

    /// - Parameter supplier: only the contracts whose supplier this is (a supplier's own list),
    ///   chosen here, on the typed contracts, before anything is encoded.
    public init(snapshot: Snapshot, reconciliation: Reconciliation, supplier: String? = nil) {
        let reconciled = Dictionary(uniqueKeysWithValues: reconciliation.contracts.map { ($0.reference, $0.amounts) })
        head = snapshot.head
        period = reconciliation.period
        reportingDate = reconciliation.reportingDate
        let contracts = supplier.map { supplier in snapshot.contracts.filter { $0.supplier.sameBytes(as: supplier) } } ?? snapshot.contracts
        rows = contracts.map { c in
            Row(
                reference: c.reference, title: c.title, stage: c.stage, supplier: c.supplier, policyId: c.policyId,
                threshold: c.assessment?.outcome, weightingPercent: c.weighting?.percent, weightingBasis: c.weighting?.basis,
                weightingMinimumPercent: c.weighting?.policyMinimumPercent, exempt: c.exemption?.status == .granted, amounts: reconciled[c.reference])
        }
    }

    /// The period is a field, not part of a key: a key that changes every quarter cannot be
    /// written into a schema or read by a program that does not already know the quarter.
    /// - Parameter proof: what the answer states it was read at (``ReadProof``).
    public func json(proof: ReadProof) -> JSONValue {
        proof.stated(in: [
            "currency": ReadJSON.currency, "period": .string(period.description),
            "reportingDate": .string(reportingDate.description),
            "contracts": .array(rows.map { row in
                [
                    "contract": .string(row.reference), "title": .string(row.title), "stage": .string(row.stage.rawValue),
                    "supplier": ReadJSON.string(row.supplier), "policyId": .string(row.policyId),
                    "threshold": ReadJSON.string(row.threshold?.rawValue),
                    "weighting": row.weightingPercent.map { percent in
                        ["percent": ReadJSON.decimal(percent), "basis": ReadJSON.string(row.weightingBasis?.rawValue)]
                    } ?? .null,
                    "exempt": .bool(row.exempt),
                    "committed": ReadJSON.money(row.amounts?.current), "delivered": ReadJSON.money(row.amounts?.delivered),
                    "rating": ReadJSON.string(row.amounts?.rating.rawValue),
                ]
            }),
        ])
    }
}
