import LedgerValues
import Projections
import SocialValue

/// `svledger show --format json`: one contract's projection, written field by field
/// (Schemas/read/show.schema.json) rather than through an encoder, so that renaming a Swift
/// property cannot silently change the published keys.
public enum ShowDocument {
    public static func json(_ c: ContractProjection, proof: ReadProof) -> JSONValue {
        proof.stated(in: [
            "currency": ReadJSON.currency,
            "contract": [
                "reference": .string(c.reference), "title": .string(c.title), "buyerDepartment": .string(c.buyerDepartment),
                "category": .string(c.category.rawValue), "estimatedValue": ReadJSON.money(c.estimatedValue),
                "startDate": .string(c.startDate.description), "endDate": .string(c.endDate.description),
                "areasServed": .array(c.areasServed.map { .string($0) }), "policyId": .string(c.policyId),
                "identifiers": .array(c.identifiers.map { ["scheme": .string($0.scheme), "id": .string($0.id)] }),
                "stage": .string(c.stage.rawValue),
                "assessment": c.assessment.map { a in
                    [
                        "policyVersion": .string(a.policyVersion), "outcome": .string(a.outcome.rawValue),
                        "threshold": ReadJSON.money(a.threshold), "statutoryDutyApplies": .bool(a.statutoryDutyApplies),
                        "assessedOn": .string(a.assessedOn.description),
                    ]
                } ?? .null,
                "exemption": c.exemption.map { e in
                    [
                        "status": .string(e.status.rawValue), "businessCase": .string(e.businessCase),
                        "decidedByRole": ReadJSON.string(e.decidedByRole), "decidedOn": ReadJSON.text(e.decidedOn),
                        "reason": ReadJSON.string(e.reason),
                    ]
                } ?? .null,
                "weighting": c.weighting.map { w in
                    [
                        "percent": ReadJSON.decimal(w.percent), "basis": .string(w.basis.rawValue),
                        "policyMinimumPercent": ReadJSON.decimal(w.policyMinimumPercent),
                        "overrideReason": ReadJSON.string(w.overrideReason), "exemptionApplied": .bool(w.exemptionApplied),
                    ]
                } ?? .null,
                "supplier": ReadJSON.string(c.supplier),
                "award": c.award.map { ["date": .string($0.date.description), "value": ReadJSON.money($0.value)] } ?? .null,
                "commitmentCatalog": ReadJSON.string(c.commitmentCatalog),
                "pledgedOn": ReadJSON.text(c.pledgedOn), "closedOn": ReadJSON.text(c.closedOn),
                "migrated": .bool(c.migrated), "migrationReason": ReadJSON.string(c.migrationReason),
                "earlyTermination": .bool(c.earlyTermination), "closureReason": ReadJSON.string(c.closureReason),
                "effectiveDatesNotGiven": .array(c.datesNotGiven.map { d in
                    [
                        "eventType": .string(d.eventType), "quarter": ReadJSON.text(d.quarter),
                        "effectiveDate": .string(d.effectiveDate.description),
                    ]
                }),
                "lines": .array(c.lines.map { line in
                    ["measure": .string(line.measure), "unit": .string(line.unit), "original": figure(line.original), "current": figure(line.current)]
                }),
                "originalTotal": ReadJSON.money(c.originalTotal), "currentTotal": ReadJSON.money(c.currentTotal),
                "deliveries": .array(c.deliveries.map { d in
                    var members: JSONObject = [
                        "quarter": .string(d.quarter.description), "measure": .string(d.measure), "quantity": ReadJSON.decimal(d.quantity),
                        "evidence": .string(d.evidence), "pledged": .bool(d.pledged), "sourceEventId": .string(d.source.description),
                        "corrected": .bool(d.corrected), "status": .string(d.status.rawValue), "question": ReadJSON.string(d.question),
                        "answer": ReadJSON.string(d.answer), "decisionReason": ReadJSON.string(d.decisionReason),
                        "decidedOn": d.decidedOn.map { .string($0.description) } ?? .null,
                    ]
                    // Only for a figure with files, each with whether its bytes are kept.
                    if !d.evidenceFiles.isEmpty {
                        members["evidenceFiles"] = .array(d.evidenceFiles.map { file in
                            guard case .object(var fields) = file.json else { return file.json }
                            fields["erased"] = .bool(c.erasedEvidence[file.sha256] != nil)
                            return .object(fields)
                        })
                    }
                    return .object(members)
                }),
                "returnedQuarters": .array(c.returnedQuarters.map { .string($0.description) }),
                "kpiExemption": ReadJSON.string(c.kpiExemption),
                "kpis": .array(c.kpis.map { kpi in
                    [
                        "id": .string(kpi.id), "name": .string(kpi.name), "description": .string(kpi.description), "target": .string(kpi.target),
                        "measures": .array(kpi.measures.map { .string($0) }), "agreedOn": .string(kpi.agreedOn.description),
                        "assessments": .array(kpi.assessments.map { a in
                            [
                                "periodStart": .string(a.periodStart.description), "periodEnd": .string(a.periodEnd.description), "rating": .string(a.rating),
                                "assessedOn": .string(a.assessedOn.description), "reason": ReadJSON.string(a.reason),
                            ]
                        }),
                    ]
                }),
                "streamVersion": ReadJSON.integer(c.version), "position": ReadJSON.integer(c.position),
            ],
        ])
    }

    /// A line's quantity and value under one catalog version; `null` when the line has none
    /// (added at a review, so never pledged; or withdrawn).
    static func figure(_ f: ContractProjection.Figure?) -> JSONValue {
        guard let f else { return .null }
        return ["quantity": ReadJSON.decimal(f.quantity), "proxy": ReadJSON.decimal(f.proxy), "value": ReadJSON.money(f.value)]
    }
}
