import EventStore
import LedgerValues
import SocialValue

/// One contract as the read side sees it: its state, its commitments (original and current)
/// and its delivered figures after corrections. Folded from the contract's events by
/// ``apply(_:)``, the one fold used both for the stored projection and for as-of replays.
public struct ContractProjection: Equatable, Sendable {
    public var reference: String
    public var title: String
    public var buyerDepartment: String
    public var category: ContractCategory
    public var estimatedValue: Money
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    public var areasServed: [String]
    /// Identifiers the contract is known by elsewhere (an imported notice's ocid and id).
    public var identifiers: [ContractIdentifier]
    public var policyId: String
    public var stage: Stage
    public var assessment: Assessment?
    public var exemption: Exemption?
    public var weighting: Weighting?
    public var supplier: String?
    public var award: Award?
    public var commitmentCatalog: String?
    public var pledgedOn: CalendarDate?
    public var closedOn: CalendarDate?
    /// The latest effective date of the pledge and the review refreshes folded in: a
    /// reconciliation at an earlier reporting date must replay the contract's stream, as a
    /// commitment that was not yet in force then must not count (docs/rules.md).
    public var commitmentsChangedOn: CalendarDate?
    /// Registered as migrated: a running contract that started before the ledger did, with the
    /// registration's reason.
    public var migrated: Bool
    public var migrationReason: String?
    /// The closure's reason, and whether it came before the end of the term.
    public var closureReason: String?
    public var earlyTermination: Bool
    /// The events whose command gave no effective date, so the day they were recorded was used.
    public var datesNotGiven: [DateNotGiven]
    /// Commitment lines in the order they first appeared.
    public var lines: [CommitmentLine]
    /// Delivered figures, one per quarter and measure, after corrections. Set whole only
    /// through ``takeDeliveries(of:)`` and ``clearDeliveries()``, which keep their count per quarter.
    public private(set) var deliveries: [DeliveredFigure]
    /// Where the first of each quarter's figures is in ``deliveries`` and how many there are, in
    /// the order each quarter first came: the figure a return or a check names is looked for
    /// from there until that many of its quarter's are read (a return's figures come together),
    /// and a quarter not returned before is not looked for at all, where a look through every
    /// figure of the contract (about a hundred) was most of what folding a return cost.
    private var quarterFigures: [QuarterFigures] = []
    /// Each figure's quarter and measure code in one number (``figureKey(_:_:)``), at its place
    /// in ``deliveries``: what the fold scans for the figure a return or correction replaces,
    /// eight bytes a figure. Scanning the figures themselves, a hundred bytes apart, and
    /// comparing their codes as strings (a call into the standard library each) was a twentieth
    /// of a report at 1M events, most of it waiting on memory.
    private var figureKeys: [UInt64] = []

    private struct QuarterFigures: Equatable, Sendable {
        let quarter: FinancialQuarter
        let first: Int32
        var count: Int32
    }
    /// Quarters for which a return was made (a correction does not count as a return).
    public var returnedQuarters: [FinancialQuarter]
    /// Its KPIs (docs/kpis.md), each with the day agreed and its assessments, and any exemption.
    public var kpis: [KPIRecord] = []
    public var kpiExemption: KPIExemption.RawValue?

    public struct KPIRecord: Equatable, Sendable {
        public struct Assessment: Equatable, Sendable {
            public var periodStart: CalendarDate
            public var periodEnd: CalendarDate
            public var rating: String
            public var assessedOn: CalendarDate
            public var reason: String?
        }
        public var id: String
        public var name: String
        public var description: String
        public var target: String
        public var measures: [String]
        public var agreedOn: CalendarDate
        public var assessments: [Assessment] = []

        /// Why its assessment is overdue on `day`, or `nil` when it is not.
        /// - Parameter runningFrom: the award's day, or a running contract's start; `nil` before award.
        public func overdue(runningFrom: CalendarDate?, closedOn: CalendarDate?, on day: CalendarDate) -> String? {
            guard let runningFrom else { return nil }
            let last = assessments.map(\.periodEnd).max()
            return KPISchedule.overdue(lastPeriodEnd: last, since: max(runningFrom, agreedOn), closedOn: closedOn, on: day)
        }
    }

    /// Who manages the contract's returns, and its own days to make a return, as arranged
    /// (docs/calendar.md); `nil` when never arranged (the policy's days then apply).
    public var contractManager: String?
    public var contractManagerEmail: String?
    public var returnDueDays: Int?
    /// Evidence files whose bytes were erased, by SHA-256: the position of the erasure.
    public var erasedEvidence: [String: UInt64] = [:]
    /// The stream version and global position of the last event folded in.
    public var version: UInt64
    public var position: UInt64

    public struct Assessment: Equatable, Sendable {
        public var policyVersion: String
        public var outcome: ThresholdAssessment.Outcome
        public var threshold: Money
        public var statutoryDutyApplies: Bool
        public var assessedOn: CalendarDate
    }

    public struct Exemption: Equatable, Sendable {
        public var status: ExemptionStatus
        public var businessCase: String
        public var decidedByRole: String?
        public var decidedOn: CalendarDate?
        public var reason: String?
    }

    public struct Weighting: Equatable, Sendable {
        public var percent: ExactDecimal
        public var basis: WeightingDecision.Basis
        public var policyMinimumPercent: ExactDecimal
        public var overrideReason: String?
        public var exemptionApplied: Bool
    }

    public struct Award: Equatable, Sendable {
        public var date: CalendarDate
        public var value: Money
    }

    /// A measure's quantity and £ value under one catalog version.
    public struct Figure: Equatable, Sendable {
        public var quantity: ExactDecimal
        public var proxy: ExactDecimal?
        public var value: Money?
    }

    public struct CommitmentLine: Equatable, Sendable {
        public var measure: String
        public var unit: String
        /// As pledged; `nil` for a line added at a review.
        public var original: Figure?
        /// As now committed; `nil` once withdrawn.
        public var current: Figure?
    }

    /// An event recorded with the day it was recorded as its effective date, because its command gave none.
    public struct DateNotGiven: Equatable, Sendable {
        public var eventType: String
        /// For a return or correction, its quarter.
        public var quarter: FinancialQuarter?
        public var effectiveDate: CalendarDate

        /// In words: "award", "pledge", "2025-26-Q1 return".
        public var label: String {
            let names = [
                "ContractRegistered": "registration", "ThresholdAssessed": "threshold assessment", "ExemptionRequested": "exemption request",
                "ExemptionDecided": "exemption decision", "WeightingDecided": "weighting", "BidsEvaluated": "bid evaluation",
                "ContractAwarded": "award", "AwardCorrected": "award correction", "PledgeRecorded": "pledge", "DeliveryReported": "return", "DeliveryCorrected": "correction",
                "CommitmentsRefreshed": "review refresh", "ContractClosed": "closure", "DeliveryQueried": "query", "QueryAnswered": "answer",
                "DeliveryValidated": "validation", "DeliveryRejected": "rejection", "EvidenceErased": "evidence erasure",
                "ReportingArranged": "reporting arrangement", "KPIsAgreed": "KPIs", "KPIExemptionRecorded": "KPI exemption", "KPIAssessed": "KPI assessment",
            ]
            let name = names[eventType] ?? eventType
            return quarter.map { "\($0) \(name)" } ?? name
        }
    }

    /// One delivered figure. Laid out for a portfolio's hundreds of thousands of them, which
    /// every fold and reconciliation walks: the largest fields first, and what few figures have
    /// (evidence files, a check's question, answer and decision) kept apart behind one
    /// reference, `nil` while none of it is set. 88 bytes a figure, where 200 were.
    public struct DeliveredFigure: Equatable, Sendable {
        public var measure: String
        public var evidence: String
        public var quantity: ExactDecimal
        /// The return or correction this figure comes from.
        public var source: EventID
        public var quarter: FinancialQuarter
        public var pledged: Bool
        public var corrected: Bool
        /// Where the council's check of the figure stands (docs/validation.md).
        public var status: ValidationStatus = .submitted
        private var checked: Checked?

        public init(
            quarter: FinancialQuarter, measure: String, quantity: ExactDecimal, evidence: String, pledged: Bool, source: EventID, corrected: Bool,
            evidenceFiles: [EvidenceFile] = []
        ) {
            self.measure = measure
            self.evidence = evidence
            self.quantity = quantity
            self.source = source
            self.quarter = quarter
            self.pledged = pledged
            self.corrected = corrected
            if !evidenceFiles.isEmpty { checked = Checked(Facts(evidenceFiles: evidenceFiles)) }
        }

        /// The files kept as the figure's evidence (``ContractProjection/erasedEvidence`` says
        /// which are erased).
        public var evidenceFiles: [EvidenceFile] {
            get { facts.evidenceFiles }
            set { facts.evidenceFiles = newValue }
        }
        /// The last question asked about the figure, and the supplier's answer to it.
        public var question: String? {
            get { facts.question }
            set { facts.question = newValue }
        }
        public var answer: String? {
            get { facts.answer }
            set { facts.answer = newValue }
        }
        /// The reason the figure was validated or rejected, and the day.
        public var decisionReason: String? {
            get { facts.decisionReason }
            set { facts.decisionReason = newValue }
        }
        public var decidedOn: CalendarDate? {
            get { facts.decidedOn }
            set { facts.decidedOn = newValue }
        }

        /// Counted as validated delivery.
        public var isValidated: Bool { status == .validated }

        /// This figure become `line`'s, of the same quarter and measure, from `source`: what a
        /// new figure made from it holds, set where this one is instead of made and then stored.
        mutating func replace(by line: UnsafePointer<DeliveryLine>, source: EventID, corrected: Bool) {
            // The line's own bytes: found by `==`, they may be another spelling of the same text.
            measure = line.pointee.measure
            evidence = line.pointee.evidence
            quantity = line.pointee.quantity
            self.source = source
            pledged = line.pointee.pledged
            self.corrected = corrected
            status = .submitted
            checked = line.pointee.evidenceFiles.isEmpty ? nil : Checked(Facts(evidenceFiles: line.pointee.evidenceFiles))
        }

        /// The council's decision on the figure, set in one change of its facts: each fact set
        /// on its own made and compared a new set of facts (validating a quarter's twenty figures
        /// cost more than folding its return).
        mutating func decide(_ status: ValidationStatus, reason: String?, on day: CalendarDate) {
            self.status = status
            var changed = facts
            changed.decisionReason = reason
            changed.decidedOn = day
            facts = changed
        }

        /// The facts kept apart; a change makes a new reference, so copies never share one.
        private var facts: Facts {
            get { checked?.facts ?? Facts() }
            set { checked = newValue == Facts() ? nil : Checked(newValue) }
        }

        private struct Facts: Equatable, Sendable {
            var evidenceFiles: [EvidenceFile] = []
            var question: String?
            var answer: String?
            var decisionReason: String?
            var decidedOn: CalendarDate?
        }

        private final class Checked: Equatable, Sendable {
            let facts: Facts
            init(_ facts: Facts) { self.facts = facts }
            static func == (lhs: Checked, rhs: Checked) -> Bool { lhs.facts == rhs.facts }
        }
    }

    /// The projection of a contract just registered.
    init(registration: Registration) {
        reference = registration.reference
        title = registration.title
        buyerDepartment = registration.buyerDepartment
        category = registration.category
        estimatedValue = registration.estimatedValue
        startDate = registration.startDate
        endDate = registration.endDate
        areasServed = registration.areasServed
        identifiers = registration.identifiers
        policyId = registration.policyId
        stage = registration.existingSupplier == nil ? .registered : .awarded
        supplier = registration.existingSupplier
        migrated = registration.migrated
        earlyTermination = false
        datesNotGiven = []
        lines = []
        deliveries = []
        returnedQuarters = []
        version = 0
        position = 0
    }

    /// Since when the contract runs with its supplier, for its KPIs: the award's day, or for a
    /// running contract registered with its supplier, its term's start; `nil` before award.
    public var kpisRunFrom: CalendarDate? { award?.date ?? (supplier != nil ? startDate : nil) }

    /// Each KPI whose assessment is overdue on `day`, with why.
    public func kpiAssessmentsOverdue(on day: CalendarDate) -> [(kpi: KPIRecord, why: String)] {
        // What the closure needs, read first: a closure that reads `self` copies all of it, a
        // retain of each of its strings and arrays, for every contract of a reconciliation.
        guard !kpis.isEmpty else { return [] }
        let runningFrom = kpisRunFrom, closedOn = closedOn
        return kpis.compactMap { kpi in kpi.overdue(runningFrom: runningFrom, closedOn: closedOn, on: day).map { (kpi, $0) } }
    }

    public var currentTotal: Money { lines.reduce(Money.zero) { $0 + ($1.current?.value ?? .zero) } }
    public var originalTotal: Money { lines.reduce(Money.zero) { $0 + ($1.original?.value ?? .zero) } }

    /// Folds one recorded event of this contract's stream.
    /// - Parameter figures: false to leave the delivered figures (``deliveries``,
    ///   ``returnedQuarters``) as they are: a fold of the commitments in force takes them from
    ///   the whole fold, as the limit never changes them (``CommitmentsInForceFold``).
    public mutating func apply(_ event: ContractEvent, envelope: EventFacts, figures: Bool = true) {
        version = envelope.streamVersion
        position = envelope.position
        let date = envelope.effectiveDate
        switch event {
        case .registered(let registration):
            self = ContractProjection(registration: registration)
            version = envelope.streamVersion
            position = envelope.position
            if registration.migrated { migrationReason = envelope.reason }
        case .thresholdAssessed(let a):
            assessment = Assessment(policyVersion: a.policyVersion, outcome: a.outcome, threshold: a.threshold, statutoryDutyApplies: a.statutoryDutyApplies, assessedOn: date)
            advance(to: .assessed)
        case .exemptionRequested(let request):
            exemption = Exemption(status: .requested, businessCase: request.businessCase, decidedByRole: nil, decidedOn: nil, reason: envelope.reason)
        case .exemptionDecided(let decision):
            exemption = Exemption(status: decision.granted ? .granted : .refused, businessCase: decision.businessCase, decidedByRole: decision.decidedByRole, decidedOn: date, reason: envelope.reason)
        case .weightingDecided(let w):
            weighting = Weighting(percent: w.percent, basis: w.basis, policyMinimumPercent: w.policyMinimumPercent, overrideReason: w.overrideReason, exemptionApplied: w.exemptionApplied)
            advance(to: .weighted)
        case .bidsEvaluated:
            advance(to: .evaluated)
        case .awarded(let award):
            supplier = award.supplier
            self.award = Award(date: award.awardDate, value: award.value)
            advance(to: .awarded)
        case .awardCorrected(let correction):
            award = Award(date: correction.awardDate, value: correction.value)
        case .pledgeRecorded(let pledge):
            supplier = supplier ?? pledge.supplier
            commitmentCatalog = "\(pledge.catalogId)@\(pledge.catalogVersion)"
            pledgedOn = date
            commitmentsChangedOn = max(commitmentsChangedOn ?? date, date)
            lines = pledge.lines.map { CommitmentLine(measure: $0.measure, unit: $0.unit, original: Figure($0), current: Figure($0)) }
            advance(to: .pledged)
        case .deliveryReported, .deliveryCorrected, .deliveryQueried, .queryAnswered, .deliveryValidated, .deliveryRejected:
            if figures { fold(figuresOf: event, envelope: envelope) }
        case .commitmentsRefreshed(let refresh):
            commitmentCatalog = "\(refresh.catalogId)@\(refresh.catalogVersion)"
            commitmentsChangedOn = max(commitmentsChangedOn ?? date, date)
            let current = Dictionary(uniqueKeysWithValues: refresh.lines.map { ($0.measure, $0) })
            for index in lines.indices {
                lines[index].current = current[lines[index].measure].map(Figure.init)
                if let line = current[lines[index].measure] { lines[index].unit = line.unit }
            }
            for line in refresh.lines where !lines.contains(where: { $0.measure == line.measure }) {
                lines.append(CommitmentLine(measure: line.measure, unit: line.unit, original: nil, current: Figure(line)))
            }
        case .closed(let closure):
            closedOn = closure.closedOn
            closureReason = envelope.reason
            earlyTermination = closure.earlyTermination
            stage = .closed
        case .evidenceErased(let erasure):
            erasedEvidence[erasure.sha256] = envelope.position
        case .kpisAgreed(let agreed):
            kpis += agreed.kpis.map { KPIRecord(id: $0.id, name: $0.name, description: $0.description, target: $0.target, measures: $0.measures, agreedOn: date) }
        case .kpiExemptionRecorded(let record):
            kpiExemption = record.basis.rawValue
        case .kpiAssessed(let assessment):
            if let index = kpis.firstIndex(where: { $0.id == assessment.kpi }) {
                kpis[index].assessments.append(.init(
                    periodStart: assessment.periodStart, periodEnd: assessment.periodEnd, rating: assessment.rating.rawValue, assessedOn: date, reason: envelope.reason))
            }
        case .reportingArranged(let arrangement):
            contractManager = arrangement.contractManager ?? contractManager
            contractManagerEmail = arrangement.contractManagerEmail ?? contractManagerEmail
            returnDueDays = arrangement.returnDueDays ?? returnDueDays
        }
        if envelope.effectiveDateDefaulted {
            let quarter: FinancialQuarter?
            switch event {
            case .deliveryReported(let report): quarter = report.quarter
            case .deliveryCorrected(let correction): quarter = correction.quarter
            case .deliveryQueried(let query): quarter = query.quarter
            case .queryAnswered(let answer): quarter = answer.quarter
            case .deliveryValidated(let decision), .deliveryRejected(let decision): quarter = decision.quarter
            default: quarter = nil
            }
            datesNotGiven.append(DateNotGiven(eventType: event.type, quarter: quarter, effectiveDate: date))
        }
    }

    /// Folds a return, a correction, or a check of their figures into the delivered figures.
    private mutating func fold(figuresOf event: ContractEvent, envelope: EventFacts) {
        switch event {
        case .deliveryReported(let report):
            if !returnedQuarters.contains(report.quarter) { returnedQuarters.append(report.quarter) }
            // Each line read in place, field by field, through a pointer: through the array's
            // subscript, or a buffer's, each line was copied whole (a retain and a release of
            // each of its strings) before its fields were.
            report.lines.withUnsafeBufferPointer { lines in
                for index in lines.indices { record(lines.baseAddress! + index, quarter: report.quarter, source: envelope.eventId, corrected: false) }
            }
        case .deliveryCorrected(let correction):
            correction.lines.withUnsafeBufferPointer { lines in
                for index in lines.indices { record(lines.baseAddress! + index, quarter: correction.quarter, source: envelope.eventId, corrected: true) }
            }
        case .deliveryQueried(let query):
            check(query.quarter, [query.measure]) {
                $0.status = .queried
                $0.question = query.text
                $0.answer = nil
            }
        case .queryAnswered(let answer):
            check(answer.quarter, [answer.measure]) {
                $0.status = .answered
                $0.answer = answer.text
            }
        case .deliveryValidated(let decision), .deliveryRejected(let decision):
            let status: ValidationStatus = event.type == "DeliveryValidated" ? .validated : .rejected
            check(decision.quarter, decision.figures.map(\.measure)) {
                $0.decide(status, reason: envelope.reason, on: envelope.effectiveDate)
            }
        default:
            break
        }
    }

    /// Changes the figures of `quarter` named by `measures`, where the contract has them.
    private mutating func check(_ quarter: FinancialQuarter, _ measures: [String], _ change: (inout DeliveredFigure) -> Void) {
        // By key first, as ``record(_:quarter:source:corrected:)`` finds a figure: a check names
        // a few measures of a quarter's twenty or so figures, and comparing each code with each
        // as strings cost more than the rest of folding the check.
        let keys = measures.map { Self.figureKey(quarter, $0) }
        for index in figureIndices(of: quarter)
        where keys.indices.contains(where: { Self.mayMatch(keys[$0], figureKeys[index]) && measures[$0] == deliveries[index].measure }) {
            change(&deliveries[index])
        }
    }

    /// The places of `quarter`'s figures in ``deliveries``, in order: read from the first of
    /// them only until all of them are found.
    private func figureIndices(of quarter: FinancialQuarter) -> [Int] {
        guard let known = quarterFigures.last(where: { $0.quarter == quarter }) else { return [] }
        var found: [Int] = []
        found.reserveCapacity(Int(known.count))
        let quarterKey = Self.quarterKey(quarter)
        var index = Int(known.first)
        while found.count < known.count, index < figureKeys.endIndex {
            if figureKeys[index] & Self.quarterBits == quarterKey { found.append(index) }
            index += 1
        }
        return found
    }

    /// The delivered figures and returned quarters of `other`, a fold of the same contract with
    /// other commitments (``Snapshot/inForce(on:replays:)``).
    mutating func takeDeliveries(of other: borrowing ContractProjection) {
        deliveries = other.deliveries
        figureKeys = other.figureKeys
        quarterFigures = other.quarterFigures
        returnedQuarters = other.returnedQuarters
    }

    /// No delivered figures or returned quarters: a fold of the commitments in force keeps none of its own.
    mutating func clearDeliveries() {
        deliveries = []
        figureKeys = []
        quarterFigures = []
        returnedQuarters = []
    }

    /// Counts the figure just added at the end of ``deliveries``, of `quarter`.
    private mutating func counted(_ quarter: FinancialQuarter) {
        if let place = quarterFigures.lastIndex(where: { $0.quarter == quarter }) {
            quarterFigures[place].count += 1
        } else {
            quarterFigures.append(QuarterFigures(quarter: quarter, first: Int32(deliveries.count - 1), count: 1))
        }
    }

    private mutating func advance(to next: Stage) {
        if stage < next { stage = next }
    }

    private static let quarterBits: UInt64 = 0xFFFF << 48, codeBits: UInt64 = ~quarterBits

    /// `quarter`'s place among quarters, in the top 16 bits of a figure's key.
    @inline(__always)
    private static func quarterKey(_ quarter: FinancialQuarter) -> UInt64 { UInt64(quarter.startYear * 4 + quarter.number - 1) << 48 }

    /// A quarter (its place among quarters, in the top 16 bits) and a digest of a measure code's
    /// bytes (FNV-1a, 48 bits, never 0) when all of them are ASCII, else 0. Two ASCII codes are
    /// the same text exactly when their bytes are, so figures whose digests differ, both
    /// non-zero, are of other measures. A code with another character, which the commands
    /// refuse but a log could hold, is compared as text, as `==` does.
    @inline(__always)
    private static func figureKey(_ quarter: FinancialQuarter, _ measure: String) -> UInt64 {
        // Over the bytes in place (a small string's copied out to the stack): through the
        // view's iterator, a code of four bytes cost 200 instructions.
        let code: UInt64 = measure.utf8.withContiguousStorageIfAvailable { bytes -> UInt64 in
            var digest: UInt64 = 0xCBF2_9CE4_8422_2325, bits: UInt8 = 0
            for byte in bytes {
                digest = (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                bits |= byte
            }
            return bits < 0x80 ? (digest & codeBits) | 1 : 0
        } ?? 0
        return quarterKey(quarter) | code
    }

    /// Whether the figures of two keys of the same quarter may be of the same measure: their
    /// codes' digests are the same, or either code is not ASCII (then compared as text).
    @inline(__always)
    private static func mayMatch(_ key: UInt64, _ other: UInt64) -> Bool { key == other || key & codeBits == 0 || other & codeBits == 0 }

    /// A return's figure for a quarter and measure replaces any earlier one (a correction's does).
    private mutating func record(_ line: UnsafePointer<DeliveryLine>, quarter: FinancialQuarter, source: EventID, corrected: Bool) {
        // Only among the quarter's own figures (``quarterFigures``): a quarter and measure has
        // one figure at most.
        var found: Int?
        let key = Self.figureKey(quarter, line.pointee.measure)
        if let known = quarterFigures.last(where: { $0.quarter == quarter }) {
            found = figureKeys.withUnsafeBufferPointer { keys in
                var index = Int(known.first), left = known.count
                while left > 0, index < keys.endIndex {
                    let other = keys[index]
                    if other & Self.quarterBits == key & Self.quarterBits {
                        // Of its quarter: the same code, or one to compare as text.
                        if Self.mayMatch(key, other), deliveries[index].measure == line.pointee.measure {
                            return index
                        }
                        left -= 1
                    }
                    index += 1
                }
                return nil
            }
        }
        guard let index = found else {
            // Made in the call that stores it: made by a local function and then stored, it
            // was copied once more, and the first copy destroyed.
            deliveries.append(DeliveredFigure(
                quarter: quarter, measure: line.pointee.measure, quantity: line.pointee.quantity, evidence: line.pointee.evidence,
                pledged: line.pointee.pledged, source: source, corrected: corrected, evidenceFiles: line.pointee.evidenceFiles))
            figureKeys.append(key)
            counted(quarter)
            return
        }
        // A question still open stays open (the correction is part of the answer); any other
        // corrected figure is submitted to be checked again.
        let queried = deliveries[index].status == .queried
        let question = queried ? deliveries[index].question : nil
        deliveries[index].replace(by: line, source: source, corrected: corrected)
        figureKeys[index] = key
        if queried {
            deliveries[index].status = .queried
            deliveries[index].question = question
        }
    }
}

extension ContractProjection.Figure {
    init(_ line: PricedLine) {
        self.init(quantity: line.quantity, proxy: line.proxy, value: line.value)
    }
}

/// Which of a contract's events a fold takes, by their effective dates (the log's order and
/// the recording time are untouched: a limit only leaves events out).
public enum EffectiveLimit: Sendable, Equatable {
    /// Every event: the stored projections.
    case none
    /// The pledge and the review refreshes only if effective on or before the day: the
    /// commitments in force then (docs/rules.md). Other events all count, but for a fold of how
    /// things stood on `effectiveOn` (`--on`), which leaves out every event effective later.
    case commitmentsInForce(on: CalendarDate, effectiveOn: CalendarDate? = nil)
    /// Only events effective on or before the day: how each contract stood that day.
    case effective(on: CalendarDate)

    func admits(_ event: ContractEvent, effectiveDate: CalendarDate) -> Bool {
        switch self {
        case .none: return true
        case .effective(let day): return effectiveDate <= day
        case .commitmentsInForce(let day, let effectiveOn):
            if let effectiveOn, effectiveDate > effectiveOn { return false }
            switch event {
            case .pledgeRecorded, .commitmentsRefreshed: return effectiveDate <= day
            default: return true
            }
        }
    }
}

/// Folds contract events into projections, keyed by contract reference.
public struct ContractFold: Sendable {
    /// The projections in the order first registered, and where each one is by reference. An
    /// event changes its contract's projection in place in the array: through a dictionary's
    /// subscript each whole projection was moved out and back for every event, a fifth of a fold.
    private var projections: [ContractProjection] = []
    private var indexes: [String: Int] = [:]
    /// The last contract folded and where it is: a contract's events often come together, and
    /// then need no lookup at all.
    private var lastContract: (reference: String, index: Int?) = ("", nil)
    /// The events this fold takes (all, for a read at the head).
    public let limit: EffectiveLimit
    /// Whether delivered figures are folded (see ``ContractProjection/apply(_:envelope:figures:)``).
    let foldsFigures: Bool

    public init(limit: EffectiveLimit = .none) { self.init(limit: limit, foldsFigures: true) }

    init(limit: EffectiveLimit, foldsFigures: Bool) {
        self.limit = limit
        self.foldsFigures = foldsFigures
    }

    /// The contract registered under `reference`, as folded so far.
    public func contract(_ reference: String) -> ContractProjection? { indexes[reference].map { projections[$0] } }

    /// Starts a contract from a projection folded elsewhere (``CommitmentsInForceFold``).
    mutating func seed(_ projection: ContractProjection) { put(projection, as: projection.reference) }

    /// The contracts folded, in order of reference: a snapshot's order.
    public var sortedContracts: [ContractProjection] { indexes.sorted { $0.key < $1.key }.map { projections[$0.value] } }

    /// Puts `projection` in the place of the contract `reference`, or a new place; answers where.
    /// - Parameter reference: the stream's contract, which a registration's own reference is not
    ///   checked to equal: the stream decides where a contract's events go.
    @discardableResult
    private mutating func put(_ projection: ContractProjection, as reference: String) -> Int {
        if let index = indexes[reference] {
            projections[index] = projection
            return index
        }
        projections.append(projection)
        indexes[reference] = projections.count - 1
        return projections.count - 1
    }

    /// The contract reference of a stream, or `nil` for other streams.
    public static func contractReference(ofStream stream: String) -> String? {
        // By bytes: this runs for every event folded.
        ContractEvent.reference(ofStream: stream)
    }

    /// Folds `envelope` if it is a contract event; returns the reference it touched.
    /// - Throws: ``InputError`` when a stored payload no longer reads.
    /// - Parameter decided: the event already typed, when the caller has it.
    @discardableResult
    public mutating func apply(_ envelope: RecordedEvent, decided: ContractEvent? = nil) throws -> String? {
        guard Self.contractReference(ofStream: envelope.streamId) != nil, let event = try decided ?? ContractEvent(type: envelope.eventType, payload: envelope.payload) else { return nil }
        return apply(event, facts: EventFacts(envelope))
    }

    /// Folds a contract event already decoded, with what its envelope says (``DecodedLog``'s
    /// form: no JSON kept); returns the reference it touched.
    @discardableResult
    public mutating func apply(_ event: ContractEvent, facts: EventFacts) -> String? {
        let reference = facts.contract
        if reference != lastContract.reference || lastContract.reference.isEmpty { lastContract = (reference, indexes[reference]) }
        if limit != .none, !limit.admits(event, effectiveDate: facts.effectiveDate) { return nil }
        if case .registered(let registration) = event {
            lastContract.index = put(ContractProjection(registration: registration), as: reference)
        } else if lastContract.index == nil {
            // Seeded since this contract was last looked up.
            lastContract.index = indexes[reference]
        }
        guard let index = lastContract.index else { return reference }
        projections[index].apply(event, envelope: facts, figures: foldsFigures)
        return reference
    }

}

/// What a fold takes from an event's envelope besides the typed event. Small and free of JSON,
/// so that events decoded on other threads (``DecodedLog``) are handed over without the parsed
/// envelope, whose many small allocations would otherwise be freed on the folding thread.
public struct EventFacts: Sendable, Equatable {
    public let position: UInt64
    /// The contract's reference, from its stream's name. A reference of up to 15 bytes is held
    /// inline in the `String`: no allocation, and no reference count between the thread that
    /// decodes an event and the one that folds it (the stream's name was both, for every event).
    public let contract: String
    public var streamId: String { ContractEvent.stream(contract: contract) }
    public let streamVersion: UInt64
    public let eventId: EventID
    public let effectiveDate: CalendarDate
    public let reason: String?
    /// The payload says the effective date was not given (the recording day stood in for it).
    public let effectiveDateDefaulted: Bool
    /// `nil` when the event was decoded for a fold that does not check the chain (``DecodedLog/forEach(store:from:through:width:chunk:chained:_:)``).
    public let previousHash: ChainHash?
    public let hash: ChainHash

    /// The facts of a contract's event (`envelope`'s stream is a contract's).
    public init(_ envelope: RecordedEvent) {
        guard let contract = ContractEvent.reference(ofStream: envelope.streamId) else {
            preconditionFailure("the facts of a contract's event: \(envelope.streamId) is not a contract's stream")
        }
        position = envelope.position
        self.contract = contract
        streamVersion = envelope.streamVersion
        eventId = envelope.eventId
        effectiveDate = envelope.event.effectiveDate
        reason = envelope.event.reason
        effectiveDateDefaulted = ContractEvent.effectiveDateDefaulted(in: envelope.payload) == true
        previousHash = envelope.previousHash
        hash = envelope.hash
    }

    /// What the layout walk read of a stored envelope (``DecodedLog``'s way), with the contract
    /// its stream is of and what its payload says of the effective date.
    init(_ fields: EnvelopeFields, contract: String, hash: ChainHash, effectiveDateDefaulted: Bool) {
        position = fields.position
        self.contract = contract
        streamVersion = fields.streamVersion
        eventId = fields.eventId
        effectiveDate = fields.effectiveDate
        reason = fields.reason
        self.effectiveDateDefaulted = effectiveDateDefaulted
        previousHash = fields.previousHash
        self.hash = hash
    }
}
