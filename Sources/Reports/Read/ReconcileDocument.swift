import LedgerValues
import Projections
import SocialValue

/// `svledger reconcile --format json`: pledged against delivered, per measure, contract,
/// theme, priority, supplier and portfolio (Schemas/read/reconcile.schema.json).
public enum ReconcileDocument {
    /// - Parameter proof: what the answer states it was read at (``ReadProof``).
    public static func json(_ r: Reconciliation, proof: ReadProof) -> JSONValue {
        proof.stated(in: [
            "currency": ReadJSON.currency,
            "period": .string(r.period.description), "reportingDate": .string(r.reportingDate.description),
            "portfolio": amounts(r.portfolio.amounts), "byTheme": rollups(r.byTheme), "byPriority": rollups(r.byPriority),
            "bySupplier": rollups(r.bySupplier),
            "contracts": .array(r.contracts.map(contract)),
            "kpiAssessmentsOverdue": .array(r.kpiAssessmentsOverdue.map { ["contract": .string($0.contract), "kpi": .string($0.kpi), "why": .string($0.why)] }),
        ])
    }

    /// The £ figures of a line, contract or group, with the rating they give
    /// (Schemas/read/common.schema.json#/$defs/amounts). The currency is the document's.
    public static func amounts(_ a: Amounts) -> JSONValue {
        [
            "pledged": ReadJSON.money(a.original), "current": ReadJSON.money(a.current), "delivered": ReadJSON.money(a.delivered),
            "validated": ReadJSON.money(a.validated), "expected": ReadJSON.money(a.expected), "variance": ReadJSON.money(a.variance), "rating": .string(a.rating.rawValue),
        ]
    }

    static func rollups(_ list: [Rollup]) -> JSONValue {
        .array(list.map { ["key": .string($0.key), "amounts": amounts($0.amounts)] })
    }

    static func contract(_ c: ContractReconciliation) -> JSONValue {
        [
            "contract": .string(c.reference), "title": .string(c.title), "supplier": ReadJSON.string(c.supplier),
            "stage": .string(c.stage.rawValue), "catalog": .string(c.catalog), "amounts": amounts(c.amounts),
            "ratedDelivery": .string(c.ratedDelivery.rawValue),
            "elapsedDays": ReadJSON.integer(c.elapsedDays), "spreadDays": ReadJSON.integer(c.spreadDays),
            "lateReturns": .array(c.lateReturns.map { .string($0.description) }),
            "kpiAssessmentsOverdue": .array(c.kpiAssessmentsOverdue.map { ["kpi": .string($0.kpi), "why": .string($0.why)] }),
            "incompleteReturns": .array(c.incompleteReturns.map { r in
                ["quarter": .string(r.quarter.description), "measures": .array(r.measures.map { .string($0) })]
            }),
            "unpledged": .array(c.unpledged.map { d in
                ["quarter": .string(d.quarter.description), "measure": .string(d.measure), "quantity": ReadJSON.decimal(d.quantity), "evidence": .string(d.evidence)]
            }),
            "lines": .array(c.lines.map(line)),
        ]
    }

    /// Quarters are values in a list, not keys of an object: the set of quarters grows with
    /// every return, and a schema can only describe keys it knows.
    static func line(_ line: MeasureReconciliation) -> JSONValue {
        [
            "measure": .string(line.measure), "unit": .string(line.unit), "theme": .string(line.theme),
            "recordOnly": .bool(line.recordOnly), "withdrawn": .bool(line.withdrawn),
            "pledgedQuantity": ReadJSON.decimal(line.originalQuantity), "currentQuantity": ReadJSON.decimal(line.currentQuantity),
            "deliveredQuantity": ReadJSON.decimal(line.deliveredQuantity), "validatedQuantity": ReadJSON.decimal(line.validatedQuantity),
            "expectedQuantity": ReadJSON.decimal(line.expectedQuantity),
            "varianceQuantity": ReadJSON.decimal(line.varianceQuantity),
            "amounts": amounts(line.amounts), "rating": .string(line.rating.rawValue),
            "overDelivered": .bool(line.overDelivered), "evidenceCheck": ReadJSON.string(line.evidenceCheck),
            "deliveredByQuarter": .array(line.deliveredPerQuarter.map { ["quarter": .string($0.quarter.description), "quantity": ReadJSON.decimal($0.quantity)] }),
        ]
    }
}
