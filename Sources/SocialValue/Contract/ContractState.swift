import LedgerValues

/// Where a contract is in its social value life.
public enum Stage: String, Sendable, Comparable, CaseIterable {
    case registered, assessed, weighted, evaluated, awarded, pledged, closed

    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where an exemption request stands.
public enum ExemptionStatus: String, Sendable, CaseIterable {
    case requested, granted, refused
}

/// A return or correction as the contract remembers it, so that later corrections can
/// reference it and second returns can be spotted.
public struct RecordedReturn: Sendable, Equatable {
    public let eventId: EventID
    public let quarter: FinancialQuarter
    public let lines: [DeliveryLine]
    /// The event this one corrects, for a correction.
    public let corrects: EventID?
}

/// The current commitment: the original pledge, or the latest refresh of it.
public struct Commitment: Sendable, Equatable {
    public let catalogId: String
    public let catalogVersion: String
    public let lines: [PricedLine]

    public func line(_ measure: String) -> PricedLine? { lines.first { $0.measure == measure } }
    public var total: Money { lines.total }
}

/// A contract's state, folded from its events by ``evolve(_:)``: what ``decide`` needs to
/// judge the next command. It holds only what the events said, so replaying the same
/// events always gives the same state, whatever policies were adopted since.
public struct ContractState: Sendable, Equatable {
    public private(set) var registration: Registration?
    public private(set) var assessment: ThresholdAssessment?
    public private(set) var pendingExemption: ExemptionRequest?
    public private(set) var exemption: ExemptionDecision?
    public private(set) var weighting: WeightingDecision?
    public private(set) var evaluation: BidEvaluation?
    public private(set) var award: Award?
    /// Each correction of the award, oldest first (the award holds the latest value and date).
    public private(set) var awardCorrections: [AwardCorrection] = []
    public private(set) var pledge: Pledge?
    public private(set) var commitment: Commitment?
    public private(set) var refreshes: [CommitmentRefresh] = []
    public private(set) var returns: [EventID: RecordedReturn] = [:]
    public private(set) var closure: Closure?
    /// Each delivered figure's quantity now and where it stands in the council's check.
    public internal(set) var figures: [FigureKey: CheckedFigure] = [:]
    /// Its KPIs, in the order agreed, any exemption from them, and their assessments.
    public private(set) var kpis: [KPI] = []
    public private(set) var kpiExemption: KPIExemption?
    public private(set) var kpiAssessments: [KPIAssessment] = []
    /// Who manages the contract's returns, and its own days to make a return (docs/calendar.md).
    public private(set) var reporting = ReportingArrangement(contractManager: nil, contractManagerEmail: nil, returnDueDays: nil)
    /// The evidence files whose bytes were erased, by SHA-256.
    public private(set) var erasedEvidence: Set<String> = []
    /// The effective date of the registration: when a running contract was taken on.
    public private(set) var registeredOn: CalendarDate?
    /// The effective date of the pledge or of the latest review refresh, whichever came last:
    /// a later one may not take effect before it (`commitment-effective-order`).
    public private(set) var commitmentEffectiveDate: CalendarDate?

    public init() {}

    public var exists: Bool { registration != nil }
    public var isClosed: Bool { closure != nil }
    public var exemptionGranted: Bool { exemption?.granted ?? false }

    /// The policy applies: assessed above threshold, with no exemption granted.
    public var inScope: Bool { assessment?.outcome == .above && !exemptionGranted }

    /// The supplier the contract is with, from the award or the registration of a running contract.
    public var supplier: String? { award?.supplier ?? registration?.existingSupplier }

    public var stage: Stage {
        if closure != nil { return .closed }
        if pledge != nil { return .pledged }
        if award != nil || registration?.existingSupplier != nil { return .awarded }
        if evaluation != nil { return .evaluated }
        if weighting != nil { return .weighted }
        if assessment != nil { return .assessed }
        return .registered
    }

    /// Whether a return (not a correction) already covers `measure` in `quarter`.
    public func hasReturn(quarter: FinancialQuarter, measure: String) -> Bool {
        returns.values.contains { $0.corrects == nil && $0.quarter == quarter && $0.lines.contains { $0.measure == measure } }
    }

    /// The returns (not corrections) of `quarter` that cover any of `measures`, oldest first.
    public func returns(of quarter: FinancialQuarter, covering measures: Set<String>) -> [RecordedReturn] {
        returns.values
            .filter { $0.corrects == nil && $0.quarter == quarter && $0.lines.contains { measures.contains($0.measure) } }
            .sorted { $0.eventId < $1.eventId }
    }

    /// The evidence file with this SHA-256 that one of the contract's returns or corrections
    /// cites, if any (a walk of its returns: asked only about files a command names).
    public func citedEvidence(_ sha256: String) -> EvidenceFile? {
        for recorded in returns.values {
            for line in recorded.lines { if let file = line.evidenceFiles.first(where: { $0.sha256 == sha256 }) { return file } }
        }
        return nil
    }

    /// The first day a return may cover, unless the contract was registered as migrated: the
    /// award date, or for a running contract registered with its supplier, the day it was
    /// registered (the policy monitors an existing supplier for the rest of its contract).
    public var monitoredFrom: CalendarDate? {
        if registration?.migrated == true { return nil }
        return award?.awardDate ?? (registration?.existingSupplier != nil ? registeredOn : nil)
    }

    /// Folds one event. `eventId` identifies returns for later corrections; `effectiveDate` is
    /// the event's, from its envelope.
    public mutating func evolve(_ event: ContractEvent, eventId: EventID, effectiveDate: CalendarDate) {
        switch event {
        case .registered(let registration):
            self.registration = registration
            registeredOn = effectiveDate
        case .thresholdAssessed(let assessment): self.assessment = assessment
        case .exemptionRequested(let request): pendingExemption = request
        case .exemptionDecided(let decision):
            exemption = decision
            pendingExemption = nil
        case .weightingDecided(let weighting): self.weighting = weighting
        case .bidsEvaluated(let evaluation): self.evaluation = evaluation
        case .awarded(let award): self.award = award
        case .awardCorrected(let correction):
            awardCorrections.append(correction)
            // The supplier and its details are the award's; only the value and the date change.
            award = award.map { Award(supplier: $0.supplier, awardDate: correction.awardDate, value: correction.value, supplierDetails: $0.supplierDetails) }
        case .pledgeRecorded(let pledge):
            self.pledge = pledge
            commitment = Commitment(catalogId: pledge.catalogId, catalogVersion: pledge.catalogVersion, lines: pledge.lines)
            commitmentEffectiveDate = effectiveDate
        case .deliveryReported(let report):
            returns[eventId] = RecordedReturn(eventId: eventId, quarter: report.quarter, lines: report.lines, corrects: nil)
            submit(report.quarter, report.lines, on: effectiveDate)
        case .deliveryCorrected(let correction):
            returns[eventId] = RecordedReturn(
                eventId: eventId, quarter: correction.quarter, lines: correction.lines, corrects: correction.corrects)
            submit(correction.quarter, correction.lines, on: effectiveDate)
        case .commitmentsRefreshed(let refresh):
            refreshes.append(refresh)
            commitment = Commitment(catalogId: refresh.catalogId, catalogVersion: refresh.catalogVersion, lines: refresh.lines)
            commitmentEffectiveDate = effectiveDate
        case .closed(let closure): self.closure = closure
        case .evidenceErased(let erasure): erasedEvidence.insert(erasure.sha256)
        case .deliveryQueried(let query): mark(query.quarter, [query.measure], .queried)
        case .queryAnswered(let answer): mark(answer.quarter, [answer.measure], .answered)
        case .deliveryValidated(let decision): mark(decision.quarter, decision.figures.map(\.measure), .validated)
        case .deliveryRejected(let decision): mark(decision.quarter, decision.figures.map(\.measure), .rejected)
        case .kpisAgreed(let agreed): kpis += agreed.kpis
        case .kpiExemptionRecorded(let record): kpiExemption = record.basis
        case .kpiAssessed(let assessment): kpiAssessments.append(assessment)
        case .reportingArranged(let arrangement):
            reporting = ReportingArrangement(
                contractManager: arrangement.contractManager ?? reporting.contractManager,
                contractManagerEmail: arrangement.contractManagerEmail ?? reporting.contractManagerEmail,
                returnDueDays: arrangement.returnDueDays ?? reporting.returnDueDays)
        }
    }
}
