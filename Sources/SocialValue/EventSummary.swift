import LedgerValues

/// Says in plain words what an event recorded: the audit trail's "what changed".
public enum EventSummary {
    public static func describe(type: String, payload: JSONValue) -> String {
        if type == ReferenceData.policyAdopted, let policy = try? Policy(document: payload["policy"] ?? .null) {
            return "adopted policy \(policy.reference) (\(policy.title)), in force from \(policy.effectiveDate)"
        }
        if type == ReferenceData.catalogPublished, let catalog = try? Catalog(document: payload["catalog"] ?? .null) {
            let priced = catalog.measures.values.filter { !$0.isRecordOnly }.count
            return "published catalog \(catalog.reference): \(catalog.measures.count) measures, \(priced) with proxy values"
        }
        if type == ReferenceData.councilDescribed, let council = try? Council(document: payload["council"] ?? .null) {
            return "described council \(council.id) (\(council.name)): reports of the \(council.author), contact \(council.contact.name)"
                + (council.themes.isEmpty ? "" : ", \(council.themes.count) themes")
        }
        guard let event = try? ContractEvent(type: type, payload: payload) else { return type }
        return event.summary
    }

    /// " (evidence: payslip.pdf, rota.xlsx)" for a line that carries files; nothing otherwise.
    static func files(_ files: [EvidenceFile]) -> String {
        files.isEmpty ? "" : " (evidence: \(files.map(\.name).joined(separator: ", ")))"
    }

    /// What `show` and `audit` say of an event whose command gave no effective date.
    public static let effectiveDateNotGiven = "effective date not given; recorded day used"
}

extension ContractEvent {
    /// One sentence on what this event recorded.
    public var summary: String {
        switch self {
        case .registered(let r):
            return "registered \(r.reference) \"\(r.title)\" (\(r.category.rawValue), \(r.buyerDepartment)), estimated \(r.estimatedValue) over \(r.startDate) to \(r.endDate), under policy \(r.policyId)"
                + (r.existingSupplier.map { ", already running with \($0)" } ?? "")
                + (r.migrated ? "; migrated: it started before the ledger did, so returns are accepted for any quarter of its term" : "")
        case .thresholdAssessed(let a):
            let comparison = a.outcome == .above ? (a.inclusive ? "at or above" : "above") : "below"
            return "assessed \(a.measuredValue) \(comparison) the \(a.threshold) threshold of policy \(a.policyId)@\(a.policyVersion)"
                + (a.categoryCovered ? "" : " (category not covered)") + (a.statutoryDutyApplies ? "; the statutory social value duty applies" : "")
        case .exemptionRequested(let e): return "asked for an exemption on business case \(e.businessCase)"
        case .exemptionDecided(let e): return "exemption \(e.granted ? "granted" : "refused") by the \(e.decidedByRole) on business case \(e.businessCase)"
        case .weightingDecided(let w):
            let basis: String
            switch w.basis {
            case .policyMinimum: basis = "the policy minimum of \(w.policyMinimumPercent)%"
            case .matrix: basis = "the weighting matrix"
            case .boardOverride: basis = "an override by \(w.overrideBy ?? "the board"): \(w.overrideReason ?? "")"
            }
            return "social value weighting set at \(w.percent)% on \(basis)" + (w.exemptionApplied ? " (below the minimum under a granted exemption)" : "")
        case .bidsEvaluated(let b):
            let bidders = b.bidders.map { "\($0.name) \($0.offerTotal), score \($0.socialValueScore)" }.joined(separator: "; ")
            return "evaluated \(b.bidders.count) bids within a \(b.weightingPercent)% weighting: \(bidders)"
        case .awarded(let a): return "awarded to \(a.supplier) on \(a.awardDate) for \(a.value)"
        case .awardCorrected(let c):
            var changes: [String] = []
            if c.value != c.previousValue { changes.append("value \(c.previousValue) → \(c.value)") }
            if c.awardDate != c.previousAwardDate { changes.append("award date \(c.previousAwardDate) → \(c.awardDate)") }
            return "award corrected: " + changes.joined(separator: ", ")
        case .pledgeRecorded(let p):
            let recordOnly = p.lines.filter { $0.value == nil }.count
            return "pledge by \(p.supplier): \(p.lines.count) lines worth \(p.total) under \(p.catalogId)@\(p.catalogVersion)" + (recordOnly > 0 ? " (\(recordOnly) record-only)" : "")
        case .deliveryReported(let d):
            let unpledged = d.lines.filter { !$0.pledged }.map(\.measure)
            return "\(d.quarter) return: " + d.lines.map { "\($0.measure) \($0.quantity)" + EventSummary.files($0.evidenceFiles) }.joined(separator: ", ")
                + (unpledged.isEmpty ? "" : " (not pledged: \(unpledged.joined(separator: ", ")))")
        case .deliveryCorrected(let c):
            return "corrected the \(c.quarter) return \(c.corrects): " + c.lines.map { "\($0.measure) now \($0.quantity)" }.joined(separator: ", ")
        case .commitmentsRefreshed(let r):
            var changes: [String] = []
            if !r.revised.isEmpty { changes.append("revised " + r.revised.map { "\($0.measure) to \($0.quantity)" }.joined(separator: ", ")) }
            if !r.added.isEmpty { changes.append("added " + r.added.map { "\($0.measure) \($0.quantity)" }.joined(separator: ", ")) }
            if !r.withdrawn.isEmpty { changes.append("withdrew " + r.withdrawn.joined(separator: ", ")) }
            if r.repriced { changes.append("re-priced to \(r.catalogId)@\(r.catalogVersion)") }
            return "review refresh: \(changes.joined(separator: "; ")); commitment now \(r.lines.count) lines worth \(r.total)"
        case .closed(let c): return "closed on \(c.closedOn)" + (c.earlyTermination ? ", before the end of its term (early termination)" : "")
        case .evidenceErased(let e): return "evidence file \(e.sha256.prefix(12))… erased: its bytes are gone, its hash stays"
        case .deliveryQueried(let q): return "queried \(q.measure) for \(q.quarter): \(DisplayText.quoted(q.text))"
        case .queryAnswered(let a): return "answered the question on \(a.measure) for \(a.quarter): \(DisplayText.quoted(a.text))"
        case .deliveryValidated(let d): return "validated \(d.quarter): " + d.figures.map { "\($0.measure) \($0.quantity)" }.joined(separator: ", ")
        case .deliveryRejected(let d): return "rejected \(d.quarter): " + d.figures.map { "\($0.measure) \($0.quantity)" }.joined(separator: ", ")
        case .kpisAgreed(let k): return "KPIs agreed: " + k.kpis.map { "\($0.id) \($0.name) (target: \($0.target))" }.joined(separator: "; ")
        case .kpiExemptionRecorded(let e): return "exempt from KPIs: a \(e.basis.rawValue) contract"
        case .kpiAssessed(let a): return "KPI \(a.kpi) assessed \(a.rating.label) for \(a.periodStart) to \(a.periodEnd)"
        case .reportingArranged(let r):
            var parts: [String] = []
            if let manager = r.contractManager { parts.append("contract manager \(manager)") }
            if let email = r.contractManagerEmail { parts.append("reached at \(email)") }
            if let days = r.returnDueDays { parts.append("returns due \(days) days after each quarter") }
            return "reporting arranged: " + parts.joined(separator: ", ")
        }
    }
}
