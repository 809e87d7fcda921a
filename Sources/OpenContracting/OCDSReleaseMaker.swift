import EventStore
import LedgerValues
import SocialValue

/// Turns a contract's recorded events into OCDS releases, one per event, in the order of the
/// log. It keeps a small state per contract (``OCDSContractState``), so it can be fed the
/// whole log in one pass (a release package) or one contract's stream (a record): the same
/// event always gives the same release.
public struct OCDSReleaseMaker {
    /// What every release's `ocid` starts with, `<prefix>-<contract reference>`, when the
    /// caller chooses one; else the prefix the contract's council registered, else
    /// ``defaultOcidPrefix``.
    public let ocidPrefix: String?

    /// svledger's own prefix, for a council that has registered none: not a registered one.
    public static let defaultOcidPrefix = "ocds-svledger"
    let reference: ReferenceData
    private var contracts: [String: OCDSContractState] = [:]
    private var catalogs: [String: [String: MeasureFacts]] = [:]

    /// Only the contracts bought for this council (its name); every contract's when `nil`.
    public let council: String?

    /// - Parameter reference: the policies and catalogs as the ledger held them where the export
    ///   reads, for measure names, councils and their ocid prefixes.
    public init(ocidPrefix: String?, reference: ReferenceData, council: String? = nil) {
        self.ocidPrefix = ocidPrefix
        self.reference = reference
        self.council = council
    }

    /// The council a contract is bought for: the one its policy names (as described in the
    /// ledger, when it is), `nil` when the policy is not in the reference data; and the ocid
    /// prefix that council registered. Looked up once, at the contract's registration.
    func council(of registration: Registration, on date: CalendarDate) -> (name: String, ocidPrefix: String?)? {
        guard let named = (reference.policy(registration.policyId, on: date) ?? reference.policies[registration.policyId]?.last)?.council else { return nil }
        let described = reference.describedCouncils.first { $0.isNamed(named) }
        return (described?.name ?? named, described?.ocidPrefix)
    }

    /// A contract's ocid: the one it was imported under, else `<prefix>-<contract reference>`.
    public func ocid(of contract: String) -> String {
        let state = contracts[contract]
        if let kept = state?.ocid { return kept }
        return "\(ocidPrefix ?? state?.registeredPrefix ?? Self.defaultOcidPrefix)-\(contract)"
    }

    /// Whether some release made so far was named with ``defaultOcidPrefix``: its contract's
    /// council registered no prefix, and none was given.
    public private(set) var usedDefaultPrefix = false

    /// The release for `event`, or `nil` when it is not a contract event.
    /// - Throws: ``InputError`` when a stored payload no longer reads.
    public mutating func release(for event: RecordedEvent) throws -> OCDSValue? {
        // No release of its own: the award's contract says why it has no KPIs.
        if event.eventType == "KPIExemptionRecorded", let contract = ContractEvent.reference(ofStream: event.streamId),
            case .kpiExemptionRecorded(let record)? = try ContractEvent(type: event.eventType, payload: event.payload)
        {
            contracts[contract]?.kpiExemption = record.basis
            return nil
        }
        guard let contract = ContractEvent.reference(ofStream: event.streamId),
            var tag = OCDSReleaseTag.tag(forEventType: event.eventType),
            let decoded = try ContractEvent(type: event.eventType, payload: event.payload)
        else { return nil }
        if case .registered(let registration) = decoded {
            contracts[contract] = OCDSContractState(registration, council: council(of: registration, on: event.event.effectiveDate))
        }
        // A stream always starts with its registration; without one there is nothing to describe.
        guard let state = contracts[contract] else { return nil }
        if let council, state.council.map(Council.key) != Council.key(council) { return nil }
        if state.ocid == nil, ocidPrefix == nil, state.registeredPrefix == nil { usedDefaultPrefix = true }
        // KPIs agreed before award are the tender's targets; the award's contract agrees them.
        if case .kpisAgreed = decoded, state.supplier == nil { tag = "tender" }
        var content = content(of: decoded, recorded: event, state: state)
        OCDSEventDates.attach(event.event.effectiveDate, of: decoded, eventId: event.eventId, to: &content)
        return envelope(content, contract: contract, event: event, tag: tag)
    }

    private mutating func content(of event: ContractEvent, recorded: RecordedEvent, state: OCDSContractState) -> OCDSReleaseContent {
        let date = recorded.event.effectiveDate
        switch event {
        case .registered(let registration): return Self.registered(registration, state: state)
        case .thresholdAssessed(let assessment): return Self.assessed(assessment, state: state)
        case .exemptionRequested(let request): return Self.exemptionRequested(request, state: state, reason: recorded.event.reason)
        case .exemptionDecided(let decision): return Self.exemptionDecided(decision, state: state)
        case .weightingDecided(let weighting): return Self.weighted(weighting, state: state)
        case .bidsEvaluated(let evaluation): return Self.evaluated(evaluation, state: state)
        case .awarded(let award): return Self.awarded(award, state: state)
        case .awardCorrected(let correction): return Self.awardCorrected(correction, state: state)
        case .pledgeRecorded(let pledge): return pledged(pledge, on: date, state: state)
        case .commitmentsRefreshed(let refresh): return refreshed(refresh, on: date, state: state)
        case .deliveryReported(let report): return reported(report.quarter, report.lines, corrects: nil, state: state)
        case .deliveryCorrected(let correction): return reported(correction.quarter, correction.lines, corrects: correction.corrects, state: state)
        case .closed(let closure): return Self.closed(closure, state: state)
        case .kpisAgreed(let agreed): return Self.kpisAgreed(agreed, state: state)
        case .kpiAssessed(let assessment): return Self.kpiAssessed(assessment, eventId: recorded.eventId, reason: recorded.event.reason, state: state)
        case .evidenceErased, .deliveryQueried, .queryAnswered, .deliveryValidated, .deliveryRejected, .reportingArranged, .kpiExemptionRecorded:
            return OCDSReleaseContent()  // has no release tag: never reached
        }
    }

    /// The release's own fields, then the sections in the standard's order.
    private func envelope(_ content: OCDSReleaseContent, contract: String, event: RecordedEvent, tag: String) -> OCDSValue {
        var members: [OCDSValue.Member] = [
            .init("ocid", .string(ocid(of: contract))), .init("id", .string(event.eventId.description)),
            // When the release was made: its event's recording (the day it took effect is in
            // the field its kind keeps it in, OCDSEventDates).
            .init("date", .string(event.recordedAt.description)), .init("tag", .array([.string(tag)])),
            .init("initiationType", .string("tender")),
        ]
        if !content.parties.isEmpty { members.append(.init("parties", .array(content.parties.map(\.party)))) }
        if let buyer = content.buyer { members.append(.init("buyer", buyer)) }
        if !content.relatedProcesses.isEmpty { members.append(.init("relatedProcesses", .array(content.relatedProcesses))) }
        if let planning = content.planning { members.append(.init("planning", planning)) }
        if let tender = content.tender { members.append(.init("tender", tender)) }
        if !content.awards.isEmpty { members.append(.init("awards", .array(content.awards))) }
        if !content.contracts.isEmpty { members.append(.init("contracts", .array(content.contracts))) }
        return .object(members)
    }

    /// The name of a measure in the catalog a line was priced with (looked up once per catalog).
    mutating func measureName(_ code: String, catalog: String) -> String? {
        measure(code, catalog: catalog)?.name
    }

    /// Whether a measure's returns add up or state a level, in the catalog a line was priced with.
    mutating func accrual(of code: String, catalog: String) -> Accrual {
        measure(code, catalog: catalog)?.accrual ?? .addsUp
    }

    /// What a release says of a measure, kept per catalog: a return's release asks for every
    /// line, so the catalog's whole `Measure` is not copied out each time.
    struct MeasureFacts {
        let name: String
        let accrual: Accrual
    }

    private mutating func measure(_ code: String, catalog: String) -> MeasureFacts? {
        if let known = catalogs[catalog] { return known[code] }
        let facts = reference.catalog(reference: catalog).map { found in
            found.measures.mapValues { MeasureFacts(name: $0.description, accrual: $0.accrual) }
        } ?? [:]
        catalogs[catalog] = facts
        return facts[code]
    }

    /// The id every award of a contract takes: one award per contract.
    static func awardID(_ state: OCDSContractState) -> String { "\(state.reference)-award" }

    /// `contracts[0]`: its id and award, then what the event adds.
    static func contract(_ state: OCDSContractState, _ members: (String, OCDSValue?)...) -> OCDSValue {
        var all: [OCDSValue.Member] = [.init("id", .string(state.reference)), .init("awardID", .string(awardID(state)))]
        all += members.compactMap { key, value in value.map { OCDSValue.Member(key, $0) } }
        return .object(all)
    }
}
