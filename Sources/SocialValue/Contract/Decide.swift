import LedgerValues

/// What `decide` may consult besides the contract's own events: the reference data in
/// force, and today's date (for "a quarter that has not ended").
public struct DecisionContext: Sendable {
    public let reference: ReferenceData
    public let today: CalendarDate

    public init(reference: ReferenceData, today: CalendarDate) {
        self.reference = reference
        self.today = today
    }
}

/// Judges `command` against the contract's `state`: the events to record, or a refusal that
/// names the rule. Pure: no storage, no clock but the context's.
/// - Throws: ``DomainError``; then nothing may be written.
public func decide(
    _ command: ContractCommand, state: ContractState, context: DecisionContext
) throws(DomainError) -> [ContractEvent] {
    var rules = ContractRules(command: command, state: state, context: context)
    return try rules.decide()
}

/// The rules of docs/rules.md, one method per action.
struct ContractRules {
    let command: ContractCommand
    let state: ContractState
    let context: DecisionContext

    var action: ContractAction { command.action }

    mutating func decide() throws(DomainError) -> [ContractEvent] {
        try command.checkText()
        if case .register(let registration) = action { return [try register(registration)] }
        guard let registration = state.registration else {
            throw DomainError(.unknownContract, "contract \(command.contract) is not registered", advice: "register it first with `svledger contract register`")
        }
        if state.isClosed, !isCorrection, !isErasure, !isCheckOfDelivery {
            if case .close = action {
                throw DomainError(.closedContract, "contract \(command.contract) is already closed, on \(state.closure!.closedOn)")
            }
            throw DomainError(.closedContract, "contract \(command.contract) was closed on \(state.closure!.closedOn); only a delivery correction, the check of delivery (query, answer, validation) or an evidence erasure may follow closure")
        }
        switch action {
        case .register: fatalError("handled above")
        case .assessThreshold: return [try assessThreshold(registration)]
        case .requestExemption(let businessCase): return [try requestExemption(businessCase)]
        case .decideExemption(let granted, let businessCase): return [try decideExemption(granted, businessCase, registration)]
        case .decideWeighting(let percent, let basis, let answers, let reason):
            return [try decideWeighting(percent, basis, answers, reason, registration)]
        case .evaluateBids(let catalog, let bidders): return [try evaluateBids(catalog, bidders)]
        case .award(let supplier, let date, let value, let details): return [try award(supplier, date, value, details)]
        case .correctAward(let value, let date): return [try correctAward(value, date)]
        case .recordPledge(let catalog, let lines, let stated): return [try recordPledge(catalog, lines, stated)]
        case .reportDelivery(let quarter, let lines, let confirmed): return [try reportDelivery(quarter, lines, confirmed, registration)]
        case .correctDelivery(let corrects, let lines): return [try correctDelivery(corrects, lines)]
        case .correctQuarter(let quarter, let measure, let lines): return [try correctDelivery(try returnCorrected(quarter, measure, lines), lines)]
        case .refreshCommitments(let revise, let add, let withdraw, let catalog):
            return [try refreshCommitments(revise, add, withdraw, catalog)]
        case .close: return [try close()]
        case .eraseEvidence(let sha256): return [try eraseEvidence(sha256)]
        case .queryDelivery(let quarter, let measure, let question): return [try queryDelivery(quarter, measure, question)]
        case .answerQuery(let quarter, let measure, let answer, let lines): return try answerQuery(quarter, measure, answer, lines)
        case .decideValidation(let quarter, let measures, let validated): return [try decideValidation(quarter, measures, validated: validated)]
        case .arrangeReporting(let arrangement): return [try arrangeReporting(arrangement)]
        case .agreeKPIs(let kpis): return [try agreeKPIs(kpis)]
        case .exemptFromKPIs(let basis): return [try exemptFromKPIs(basis)]
        case .assessKPI(let assessment): return [try assessKPI(assessment)]
        }
    }

    var isErasure: Bool {
        if case .eraseEvidence = action { return true }
        return false
    }

    /// Returns are checked after the contract closes too: its last quarter's come in then.
    var isCheckOfDelivery: Bool {
        switch action {
        case .queryDelivery, .answerQuery, .decideValidation, .assessKPI: true
        default: false
        }
    }

    var isCorrection: Bool {
        switch action {
        case .correctDelivery, .correctQuarter: true
        default: false
        }
    }

    func order(_ message: String) -> DomainError { DomainError(.lifecycleOrder, message) }

    // MARK: - Commissioning

    func register(_ registration: Registration) throws(DomainError) -> ContractEvent {
        guard !state.exists else { throw DomainError(.contractExists, "contract \(registration.reference) is already registered") }
        for (name, day) in [("startDate", registration.startDate), ("endDate", registration.endDate)] where !FinancialQuarter.namedDays.contains(day) {
            // Its quarters could not all be named: a return page or a report would have none.
            throw DomainError(.invalidInput, "\(field: name) \(day) is not a day from \(FinancialQuarter.namedDays.lowerBound) to \(FinancialQuarter.namedDays.upperBound)")
        }
        guard registration.endDate >= registration.startDate else {
            throw DomainError(.invalidInput, "\(field: "endDate") \(registration.endDate) is before \(field: "startDate") \(registration.startDate)")
        }
        guard context.reference.policies[registration.policyId] != nil else {
            throw DomainError(.unknownPolicy, "policy \"\(registration.policyId)\" has not been adopted; adopt it with `svledger policy adopt`")
        }
        if registration.migrated {
            guard registration.existingSupplier != nil else {
                throw DomainError(.invalidInput, "a migrated contract is one already running when the ledger took it on: give its \(field: "existingSupplier")")
            }
            try requireReason("registering a contract as migrated (returns before its registration are then accepted)")
        }
        return .registered(registration)
    }

    func assessThreshold(_ registration: Registration) throws(DomainError) -> ContractEvent {
        guard state.assessment == nil else { throw order("contract \(command.contract) has already been assessed") }
        guard state.award == nil else { throw order("the threshold is assessed at commissioning, before award") }
        guard let policy = context.reference.policy(registration.policyId, on: command.effectiveDate) else {
            throw DomainError(.unknownPolicy, context.reference.policyNotInForce(registration.policyId, on: command.effectiveDate))
        }
        let statutory = policy.statutoryThreshold(on: command.effectiveDate)
        let threshold: Money
        switch policy.threshold.kind {
        case .fixed: threshold = policy.threshold.amount!
        case .statutory:
            guard let statutory else {
                throw DomainError(.unknownPolicy, "policy \(policy.reference) uses the statutory threshold, but none is known for \(command.effectiveDate)")
            }
            threshold = statutory.amount
        }
        let value = registration.estimatedValue
        let covered = policy.threshold.categories.contains(registration.category)
        let reaches = policy.threshold.inclusive ? value >= threshold : value > threshold
        // The statutory thresholds are inclusive: a contract worth exactly the threshold is covered
        // (Public Contracts Regulations 2015 reg. 5, "equal to or greater than"; Procurement Act 2023
        // Schedule 1, "not less than").
        let duty = statutory.map { policy.statutoryDutyCategories.contains(registration.category) && value >= $0.amount } ?? false
        return .thresholdAssessed(
            ThresholdAssessment(
                policyId: policy.id, policyVersion: policy.version, measuredValue: value, threshold: threshold,
                inclusive: policy.threshold.inclusive, categoryCovered: covered, outcome: covered && reaches ? .above : .below,
                statutoryThreshold: statutory?.amount, statutoryDutyApplies: duty))
    }

    func requestExemption(_ businessCase: String) throws(DomainError) -> ContractEvent {
        guard let assessment = state.assessment else { throw order("assess the threshold before asking for an exemption") }
        guard assessment.outcome == .above else { throw order("contract \(command.contract) is below threshold: the policy does not apply, so there is nothing to exempt") }
        guard state.award == nil else { throw order("an exemption is asked for at commissioning, before award") }
        guard state.pendingExemption == nil else { throw order("an exemption request is already awaiting a decision") }
        guard !state.exemptionGranted else { throw order("an exemption has already been granted") }
        return .exemptionRequested(ExemptionRequest(businessCase: businessCase))
    }

    func decideExemption(_ granted: Bool, _ businessCase: String, _ registration: Registration) throws(DomainError) -> ContractEvent {
        guard let request = state.pendingExemption else { throw order("there is no exemption request awaiting a decision") }
        guard businessCase == request.businessCase else {
            throw DomainError(.invalidInput, "the request was made on business case \(request.businessCase), not \(businessCase)")
        }
        let policy = try appliedPolicy()
        guard policy.exemptionAuthorities.contains(command.actor.role) else {
            throw DomainError(
                .exemptionAuthority,
                "policy \(policy.reference) lets only \(policy.exemptionAuthorities.joined(separator: " or ")) decide an exemption, not \(command.actor.role)")
        }
        try requireReason("an exemption decision")
        return .exemptionDecided(ExemptionDecision(granted: granted, businessCase: businessCase, decidedByRole: command.actor.role))
    }

    /// The policy version the threshold assessment used: later versions never change it.
    func appliedPolicy() throws(DomainError) -> Policy {
        guard let assessment = state.assessment,
            let policy = context.reference.policy(assessment.policyId, version: assessment.policyVersion)
        else { throw order("assess the threshold first: it fixes which policy version applies") }
        return policy
    }

    func decideWeighting(
        _ percent: ExactDecimal, _ basis: WeightingDecision.Basis, _ answers: MatrixAnswers?, _ overrideReason: String?,
        _ registration: Registration
    ) throws(DomainError) -> ContractEvent {
        guard let assessment = state.assessment else { throw order("assess the threshold before deciding the weighting") }
        guard assessment.outcome == .above else {
            throw DomainError(.belowThresholdWeighting, "contract \(command.contract) is below the \(assessment.threshold) threshold: the policy sets no weighting for it")
        }
        guard state.weighting == nil else { throw order("the weighting has already been decided") }
        guard state.award == nil, state.evaluation == nil else { throw order("the weighting is set in the tender, before bids are evaluated") }
        guard percent > .zero else { throw DomainError(.invalidInput, "percent must be more than 0") }
        let policy = try appliedPolicy()
        let rule = policy.weighting
        let exempt = state.exemptionGranted
        var matrixPercent: ExactDecimal?
        switch basis {
        case .boardOverride:
            guard let overrideReason, !overrideReason.trimmingSpaces.isEmpty else {
                throw DomainError(.reasonRequired, "a board override must record its reason (\(field: "overrideReason"))")
            }
        case .matrix:
            guard rule.kind == .matrix else { throw DomainError(.invalidInput, "policy \(policy.reference) has no weighting matrix; use basis policy-minimum") }
            guard let answers else { throw DomainError(.invalidInput, "basis matrix needs the matrix answers: \(field: "matrixAnswers.impact"), \(field: "matrixAnswers.objectivesMet"), \(field: "matrixAnswers.areaNeeds")") }
            guard let given = rule.matrixPercent(for: answers) else {
                throw DomainError(.weightingContradictsMatrix, "the matrix answers (\(answers.impact) impact, \(answers.objectivesMet) objectives, \(answers.areaNeeds) needs) meet neither row of policy \(policy.reference); only a board override can set the weighting")
            }
            matrixPercent = given
            guard percent == given else {
                throw DomainError(.weightingContradictsMatrix, "the matrix answers give \(given)%, not \(percent)%; record a board override with its reason to depart from it")
            }
        case .policyMinimum:
            if rule.kind == .matrix {
                throw DomainError(.weightingContradictsMatrix, "policy \(policy.reference) sets the weighting from its matrix: give basis matrix with the answers, or a board override")
            }
        }
        if basis != .boardOverride, !exempt, percent < rule.minimumPercent {
            throw DomainError(.weightingBelowMinimum, "\(concerning: "percent")\(percent)% is below the \(rule.minimumPercent)% minimum of policy \(policy.reference), with no exemption granted and no override recorded")
        }
        return .weightingDecided(
            WeightingDecision(
                percent: percent, basis: basis, policyMinimumPercent: rule.minimumPercent, matrixAnswers: answers,
                matrixPercent: matrixPercent, overrideReason: basis == .boardOverride ? overrideReason : nil,
                overrideBy: basis == .boardOverride ? (rule.overrideBody ?? command.actor.role) : nil,
                exemptionApplied: exempt && percent < rule.minimumPercent))
    }

    func evaluateBids(_ catalogReference: String, _ offers: [ContractAction.BidderOffer]) throws(DomainError) -> ContractEvent {
        guard state.award == nil else { throw order("bids are evaluated before award") }
        guard state.evaluation == nil else { throw order("the bids have already been evaluated") }
        guard let weighting = state.weighting else { throw order("decide the weighting before evaluating bids: the social value score is within it") }
        let catalog = try catalog(catalogReference)
        var bidders: [BidEvaluation.Bidder] = []
        for offer in offers {
            let lines = try priced(offer.lines, in: catalog)
            guard offer.socialValueScore <= weighting.percent, !offer.socialValueScore.isNegative else {
                throw DomainError(.scoreAboveWeighting, "\(offer.name)'s social value score \(offer.socialValueScore) is outside 0 to the \(weighting.percent)% weighting")
            }
            var scores: [String: ExactDecimal] = [:]
            for line in offer.lines { scores[line.measure] = line.qualitativeScore ?? .zero }
            bidders.append(.init(name: offer.name, lines: lines, qualitativeScores: scores, offerTotal: lines.total, socialValueScore: offer.socialValueScore))
        }
        return .bidsEvaluated(BidEvaluation(catalogId: catalog.id, catalogVersion: catalog.version, weightingPercent: weighting.percent, bidders: bidders))
    }

    func award(_ supplier: String, _ date: CalendarDate, _ value: Money, _ details: OrganisationDetails?) throws(DomainError) -> ContractEvent {
        guard state.award == nil, state.registration?.existingSupplier == nil else { throw order("contract \(command.contract) is already awarded") }
        guard state.assessment != nil else { throw order("assess the threshold before award") }
        if let registration = state.registration { try checkKPIsAtAward(registration, on: command.effectiveDate) }
        if state.inScope, state.weighting == nil {
            throw order("contract \(command.contract) is above threshold: decide the social value weighting before award")
        }
        return .awarded(Award(supplier: supplier, awardDate: date, value: value, supplierDetails: details))
    }

    func correctAward(_ value: Money?, _ date: CalendarDate?) throws(DomainError) -> ContractEvent {
        guard let award = state.award else {
            throw order(
                state.supplier != nil
                    ? "contract \(command.contract) was registered as running with its supplier: it has no award to correct"
                    : "contract \(command.contract) has not been awarded: there is no award to correct")
        }
        try requireReason("an award correction")
        let corrected = (value: value ?? award.value, date: date ?? award.awardDate)
        guard corrected.value != award.value || corrected.date != award.awardDate else {
            throw DomainError(.invalidInput, "contract \(command.contract) is already awarded \(award.value.formatted) on \(award.awardDate): the correction changes nothing")
        }
        // Returns are accepted from the award date on, so a later date may not leave a recorded
        // return before it: the return would then break the rule it was accepted under.
        if state.registration?.migrated != true,
            let earliest = state.returns.values.map(\.quarter).min(), earliest.lastDay < corrected.date
        {
            throw DomainError(
                .quarterBeforeAward,
                "\(field: "awardDate") \(corrected.date) is after the end of \(earliest) (\(earliest.lastDay)), whose return contract \(command.contract) already holds; an award date is on or before the last day of the first quarter returned")
        }
        return .awardCorrected(AwardCorrection(awardDate: corrected.date, value: corrected.value, previousAwardDate: award.awardDate, previousValue: award.value))
    }

    // MARK: - Commitments and delivery

    func recordPledge(_ catalogReference: String, _ lines: [QuantityLine], _ stated: [String: String]) throws(DomainError) -> ContractEvent {
        guard let supplier = state.supplier else { throw order("a pledge is made by the winning supplier: award the contract first (or register it as already running)") }
        guard state.pledge == nil else { throw order("a pledge is already recorded; change commitments with a review refresh") }
        try checkCommitmentOrder("the pledge")
        let catalog = try catalog(catalogReference)
        return .pledgeRecorded(Pledge(supplier: supplier, catalogId: catalog.id, catalogVersion: catalog.version, lines: try priced(lines, in: catalog), statedValues: stated))
    }

    func reportDelivery(_ quarter: FinancialQuarter, _ lines: [QuantityLine], _ confirmed: Bool, _ registration: Registration) throws(DomainError) -> ContractEvent {
        guard state.supplier != nil else { throw order("delivery is reported after award") }
        guard confirmed else {
            throw DomainError(.attributionNotConfirmed, "the supplier must confirm the return is attributed to this contract and \(quarter) only (\(field: "attributionConfirmed"))")
        }
        try checkQuarter(quarter, registration)
        let catalog = try deliveryCatalog()
        var seen = Set<String>()
        var deliveryLines: [DeliveryLine] = []
        for line in lines {
            guard catalog.measure(line.measure) != nil else { throw unknownMeasure(line.measure, catalog) }
            guard seen.insert(line.measure).inserted else { throw DomainError(.duplicateMeasure, "\(line.measure) appears twice in the return") }
            if state.hasReturn(quarter: quarter, measure: line.measure) {
                throw DomainError(.secondReturn, "\(concerning: "quarter")\(line.measure) was already returned for \(quarter); record a correction that references that return instead")
            }
            deliveryLines.append(DeliveryLine(
                measure: line.measure, quantity: line.quantity, evidence: line.evidence ?? "", pledged: state.commitment?.line(line.measure) != nil,
                evidenceFiles: line.evidenceFiles))
        }
        try checkEvidence(lines)
        return .deliveryReported(DeliveryReturn(quarter: quarter, lines: deliveryLines, attributionConfirmed: true))
    }

    func checkQuarter(_ quarter: FinancialQuarter, _ registration: Registration) throws(DomainError) {
        guard quarter.lastDay >= registration.startDate, quarter.firstDay <= registration.endDate else {
            throw DomainError(.quarterOutsideTerm, "\(concerning: "quarter")\(quarter) (\(quarter.firstDay) to \(quarter.lastDay)) is outside the contract term \(registration.startDate) to \(registration.endDate)")
        }
        // The return for a quarter is due once it has ended: on its last day it has not.
        guard quarter.lastDay < context.today else {
            throw DomainError(.quarterNotEnded, "\(concerning: "quarter")\(quarter) has not ended yet (it ends \(quarter.lastDay)); its return is made after that")
        }
        if let start = state.monitoredFrom, quarter.lastDay < start {
            let since = state.award.map { "was awarded on \($0.awardDate)" }
                ?? "is a running contract taken on by the ledger on \(start) (its registration)"
            throw DomainError(
                .quarterBeforeAward,
                "\(quarter) ended on \(quarter.lastDay), before contract \(command.contract) \(since); "
                    + (state.award != nil
                        ? "check the award date (--award-date, or --effective-date on the award)"
                        : "a contract that started before the ledger did is registered with --migrated and a reason"))
        }
    }

    /// Finds the return a correction names by quarter: the one return of `quarter` that covers
    /// `measure`, or the measures of `lines` when no measure is named.
    func returnCorrected(_ quarter: FinancialQuarter, _ measure: String?, _ lines: [QuantityLine]) throws(DomainError) -> EventID {
        let measures = measure.map { [$0] } ?? lines.map(\.measure)
        let found = state.returns(of: quarter, covering: Set(measures))
        let named = measures.joined(separator: ", ")
        guard let first = found.first else {
            throw DomainError(.correctionReference, "contract \(command.contract) has no \(quarter) return for \(named) to correct")
        }
        guard found.count == 1 else {
            let each = found.map { r in "\(r.eventId) (\(r.lines.map(\.measure).filter { measures.contains($0) }.joined(separator: ", ")))" }
            throw DomainError(
                .correctionReference,
                "\(named) for \(quarter) is in \(found.count) returns, \(each.joined(separator: " and ")); a correction cites one: correct each return on its own (name its measure), or give its event id")
        }
        return first.eventId
    }

    /// - Parameter reasonRequired: false for the correction an answer carries (the answer says why).
    func correctDelivery(_ corrects: EventID, _ lines: [QuantityLine], reasonRequired: Bool = true) throws(DomainError) -> ContractEvent {
        guard let original = state.returns[corrects] else {
            throw DomainError(.correctionReference, "event \(corrects) is not a delivery return or correction of contract \(command.contract)")
        }
        if reasonRequired { try requireReason("a correction") }
        let catalog = try deliveryCatalog()
        var seen = Set<String>()
        var corrected: [DeliveryLine] = []
        for line in lines {
            guard catalog.measure(line.measure) != nil else { throw unknownMeasure(line.measure, catalog) }
            guard seen.insert(line.measure).inserted else { throw DomainError(.duplicateMeasure, "\(line.measure) appears twice in the correction") }
            let pledged = original.lines.first { $0.measure == line.measure }?.pledged ?? (state.commitment?.line(line.measure) != nil)
            corrected.append(DeliveryLine(measure: line.measure, quantity: line.quantity, evidence: line.evidence ?? "", pledged: pledged, evidenceFiles: line.evidenceFiles))
        }
        try checkEvidence(lines)
        return .deliveryCorrected(DeliveryCorrection(corrects: corrects, quarter: original.quarter, lines: corrected))
    }

    /// The catalog deliveries are checked against: the one the current commitment is priced with.
    func deliveryCatalog() throws(DomainError) -> Catalog {
        guard let commitment = state.commitment else {
            throw order("record the pledge before delivery: it fixes the catalog the measures come from")
        }
        return try catalog("\(commitment.catalogId)@\(commitment.catalogVersion)")
    }

    func refreshCommitments(_ revise: [QuantityLine], _ add: [QuantityLine], _ withdraw: [String], _ catalogReference: String?) throws(DomainError) -> ContractEvent {
        guard let current = state.commitment else { throw order("there is no pledge to refresh: record the pledge first") }
        try requireReason("a review refresh")
        try checkCommitmentOrder("a review refresh")
        let catalog = try catalog(catalogReference ?? "\(current.catalogId)@\(current.catalogVersion)")
        let repriced = catalog.id != current.catalogId || catalog.version != current.catalogVersion
        var lines: [String: ExactDecimal] = [:]
        var order: [String] = current.lines.map(\.measure)
        for line in current.lines { lines[line.measure] = line.quantity }
        for code in withdraw {
            guard lines.removeValue(forKey: code) != nil else { throw DomainError(.refreshLine, "\(code) cannot be withdrawn: it is not a current commitment") }
        }
        for line in revise {
            guard lines[line.measure] != nil else { throw DomainError(.refreshLine, "\(line.measure) cannot be revised: it is not a current commitment (add it instead)") }
            lines[line.measure] = line.quantity
        }
        for line in add {
            guard lines[line.measure] == nil else { throw DomainError(.refreshLine, "\(line.measure) is already a current commitment (revise it instead)") }
            lines[line.measure] = line.quantity
            order.append(line.measure)
        }
        let result = try priced(order.filter { lines[$0] != nil }.map { QuantityLine(measure: $0, quantity: lines[$0]!) }, in: catalog)
        return .commitmentsRefreshed(
            CommitmentRefresh(
                catalogId: catalog.id, catalogVersion: catalog.version, revised: try priced(revise, in: catalog),
                added: try priced(add, in: catalog), withdrawn: withdraw, repriced: repriced, lines: result))
    }

    func close() throws(DomainError) -> ContractEvent {
        guard state.supplier != nil else { throw order("only an awarded contract can be closed") }
        let early = command.effectiveDate < (state.registration?.endDate ?? command.effectiveDate)
        if early {
            try requireReason("closing on \(command.effectiveDate), before the term ends on \(state.registration!.endDate) (an early termination),")
        }
        return .closed(Closure(closedOn: command.effectiveDate, earlyTermination: early))
    }

    /// A file the contract cited before is the same file: a line that cites it again says what
    /// the first citation said (its bytes are not read again), and one an administrator erased
    /// is not kept again (the reason it was erased still holds).
    func checkEvidence(_ lines: [QuantityLine]) throws(DomainError) {
        for (index, line) in lines.enumerated() {
            for (number, file) in line.evidenceFiles.enumerated() {
                let field = "lines[\(index)].evidenceFiles[\(number)]"
                if state.erasedEvidence.contains(file.sha256) {
                    throw DomainError(.evidenceFile, "\(field: field) \(DisplayText.quoted(file.name)) is a file an administrator erased from contract \(command.contract); it is not kept again")
                }
                if let first = state.citedEvidence(file.sha256), first.size != file.size || first.mediaType != file.mediaType {
                    throw DomainError(
                        .evidenceFile,
                        "\(field: field) \(DisplayText.quoted(file.name)) has the hash of a file contract \(command.contract) already keeps, but says it is \(file.size) bytes of \(file.mediaType), where that file is \(first.size) bytes of \(first.mediaType)")
                }
            }
        }
    }

    /// Erasure removes a file's bytes for good (they may hold personal data), so only an
    /// administrator does it, with a reason, and only of a file the contract cites.
    func eraseEvidence(_ sha256: String) throws(DomainError) -> ContractEvent {
        guard command.actor.role.lowercased() == "administrator" else {
            throw DomainError(.erasureAuthority, "an evidence file's bytes are erased by an Administrator, not a \(command.actor.role)")
        }
        guard let file = state.citedEvidence(sha256) else {
            throw DomainError(.evidenceFile, "contract \(command.contract) cites no evidence file with sha256 \(sha256)")
        }
        guard !state.erasedEvidence.contains(sha256) else {
            throw DomainError(.evidenceFile, "evidence file \(DisplayText.quoted(file.name)) of contract \(command.contract) is already erased")
        }
        try requireReason("erasing an evidence file")
        return .evidenceErased(EvidenceErasure(sha256: sha256))
    }

    /// The pledge and the review refreshes take effect in the order they are recorded, so that the
    /// commitments in force on a day are those recorded before the first that takes effect later.
    func checkCommitmentOrder(_ what: String) throws(DomainError) {
        if let last = state.commitmentEffectiveDate, command.effectiveDate < last {
            throw DomainError(
                .commitmentEffectiveOrder,
                "\(what) of contract \(command.contract) would take effect on \(command.effectiveDate), before the commitment recorded last, effective \(last); give an effective date on or after \(last)")
        }
    }

    // MARK: - Shared checks

    func catalog(_ reference: String) throws(DomainError) -> Catalog {
        guard let catalog = context.reference.catalog(reference: reference) else {
            throw DomainError(.unknownCatalog, "catalog \(reference) has not been published; publish it with `svledger catalog publish`")
        }
        return catalog
    }

    func priced(_ lines: [QuantityLine], in catalog: Catalog) throws(DomainError) -> [PricedLine] {
        var seen = Set<String>()
        var result: [PricedLine] = []
        for line in lines {
            guard let measure = catalog.measure(line.measure) else { throw unknownMeasure(line.measure, catalog) }
            guard seen.insert(line.measure).inserted else { throw DomainError(.duplicateMeasure, "\(line.measure) appears twice") }
            if let proxy = measure.proxy, !Money.fits(line.quantity * proxy) {
                throw DomainError(.invalidInput, "\(line.measure): \(line.quantity) × £\(proxy) is beyond the £10^15 svledger can record")
            }
            result.append(PricedLine(measure: measure, quantity: line.quantity))
        }
        return result
    }

    func unknownMeasure(_ code: String, _ catalog: Catalog) -> DomainError {
        DomainError(.unknownMeasure, "measure \(code) is not in catalog \(catalog.reference)", suggestion: Suggestion.closest(to: code, among: catalog.order))
    }

    func requireReason(_ what: String) throws(DomainError) {
        guard let reason = command.reason, !reason.trimmingSpaces.isEmpty else {
            throw DomainError(.reasonRequired, "\(what) must say why (--reason)")
        }
    }
}
