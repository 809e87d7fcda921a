import LedgerValues
import SocialValue

/// Where a release keeps the day its event took effect. A release's `date` is when it was
/// made, as the standard says: the time its event was recorded. The day the event took effect
/// (a decision's date, a return's date) is a fact of the contracting process, so it goes in
/// the field the standard has for it, one per kind of event:
///
/// | event | field |
/// |---|---|
/// | registration, threshold assessment, exemption request and decision | `planning.milestones[]`, met that day |
/// | weighting, bid evaluation | `tender.milestones[]`, met that day |
/// | award | `awards[].date` (the award's date) |
/// | award correction | `awards[].amendments[]`, its `date` |
/// | pledge | `contracts[].milestones[]` `commitments`, met that day |
/// | review refresh | `contracts[].amendments[]`, its `date` |
/// | quarterly return; correction | `contracts[].implementation.milestones[]` `return-<quarter>`: met that day; a correction, modified that day |
/// | closure | `contracts[].milestones[]` `closure`, met the day closed |
///
/// The import reads them back (``day(of:)``) from svledger's own exports.
enum OCDSEventDates {
    /// `content` with the day `event` took effect put where its kind keeps it.
    /// - Parameter eventId: names a review's amendment, so that two reviews on one day stay two.
    static func attach(_ day: CalendarDate, of event: ContractEvent, eventId: EventID, to content: inout OCDSReleaseContent) {
        func planning(_ id: String, _ title: String, _ type: String) {
            content.planning = adding(milestone(id, title, type, met: day), to: content.planning)
        }
        func tender(_ id: String, _ title: String, _ type: String) {
            content.tender = adding(milestone(id, title, type, met: day), to: content.tender)
        }
        switch event {
        case .registered: planning("registration", "Registered in the ledger", "preProcurement")
        case .thresholdAssessed: planning("threshold-assessment", "Social value threshold assessed", "assessment")
        case .exemptionRequested: planning("exemption-request", "Exemption from the social value requirements requested", "approval")
        case .exemptionDecided: planning("exemption-decision", "Exemption from the social value requirements decided", "approval")
        case .weightingDecided: tender("weighting", "Social value weighting decided", "approval")
        case .bidsEvaluated: tender("evaluation", "Bids evaluated", "assessment")
        case .awarded, .closed:
            break  // the award's date; the closure's milestone (OCDSRelease+Contract.swift)
        case .evidenceErased, .deliveryQueried, .queryAnswered, .deliveryValidated, .deliveryRejected, .reportingArranged, .kpisAgreed, .kpiExemptionRecorded, .kpiAssessed:
            break  // never published: evidence files and the check of returns are the council's working material
        case .awardCorrected(let correction):
            var changes: [String] = []
            if correction.value != correction.previousValue { changes.append("value \(correction.previousValue.formatted) corrected to \(correction.value.formatted)") }
            if correction.awardDate != correction.previousAwardDate { changes.append("award date \(correction.previousAwardDate) corrected to \(correction.awardDate)") }
            let amendment = OCDSValue.object(
                ("id", .string("award-correction-\(eventId)")), ("date", .day(day)),
                ("rationale", .string("The award's value or date was corrected")), ("description", .string(changes.joined(separator: "; "))))
            content.awards = content.awards.isEmpty ? [] : [adding(amendment, under: "amendments", to: content.awards[0])] + content.awards.dropFirst()
        case .pledgeRecorded:
            content.contracts = contracts(content.contracts) {
                adding(milestone("commitments", "Social value commitments recorded", "approval", met: day), to: $0)
            }
        case .commitmentsRefreshed:
            // The reason given is the audit trail's, not the published contract's (docs/open-contracting.md).
            let amendment = OCDSValue.object(
                ("id", .string("review-\(eventId)")), ("date", .day(day)),
                ("rationale", .string("The supplier's social value commitments were refreshed at a review")))
            content.contracts = contracts(content.contracts) { adding(amendment, under: "amendments", to: $0) }
        case .deliveryReported(let report):
            content.contracts = contracts(content.contracts) {
                implementationMilestone(milestone(returnMilestone(report.quarter), "Return for \(report.quarter)", "reporting", met: day), in: $0)
            }
        case .deliveryCorrected(let correction):
            let corrected = OCDSValue.object(("id", .string(returnMilestone(correction.quarter))), ("dateModified", .day(day)))
            content.contracts = contracts(content.contracts) { implementationMilestone(corrected, in: $0) }
        }
    }

    /// The day a release of svledger's own export says its event took effect; `nil` when it
    /// says none (the release's `date` is then all there is).
    static func day(of release: OCDSValue) -> CalendarDate? {
        let contract = release["contracts"]?.arrayValue?.first
        let dated: [OCDSValue?] = [
            release["planning"]?["milestones"]?.arrayValue?.first?["dateMet"],
            release["tender"]?["milestones"]?.arrayValue?.first?["dateMet"],
            contract?["amendments"]?.arrayValue?.first?["date"],
            contract?["implementation"]?["milestones"]?.arrayValue?.first.map { $0["dateModified"] ?? $0["dateMet"] } ?? nil,
            contract?["milestones"]?.arrayValue?.first?["dateMet"],
            release["awards"]?.arrayValue?.first?["amendments"]?.arrayValue?.first?["date"],
            release["awards"]?.arrayValue?.first?["date"],
        ]
        return dated.lazy.compactMap { $0?.stringValue.flatMap(OCDSDates.day) }.first
    }

    /// `release` without the fields an import reads only from svledger's own export: those that
    /// date its event (``day(of:)``, and the closure's milestone) and the procuring entity (the
    /// buying department). What is left is checked for fields svledger does not map; another
    /// publisher's are all checked.
    static func withoutEventDates(_ release: OCDSValue) -> OCDSValue {
        func removing(_ keys: Set<String>, from value: OCDSValue?) -> OCDSValue? {
            value?.members.map { .object($0.filter { !keys.contains($0.key) }) }
        }
        guard var members = release.members else { return release }
        for index in members.indices {
            switch members[index].key {
            case "planning":
                members[index].value = removing(["milestones"], from: members[index].value) ?? members[index].value
            case "tender":
                members[index].value = removing(["milestones", "procuringEntity"], from: members[index].value) ?? members[index].value
            case "awards":
                guard var awards = members[index].value.arrayValue, !awards.isEmpty else { continue }
                awards[0] = removing(["amendments"], from: awards[0]) ?? awards[0]
                members[index].value = .array(awards)
            case "contracts":
                guard var contracts = members[index].value.arrayValue, let first = contracts.first, var fields = first.members else { continue }
                fields = fields.filter { $0.key != "milestones" && $0.key != "amendments" }
                if let at = fields.firstIndex(where: { $0.key == "implementation" }) {
                    fields[at].value = removing(["milestones"], from: fields[at].value) ?? fields[at].value
                }
                contracts[0] = .object(fields)
                members[index].value = .array(contracts)
            default:
                continue
            }
        }
        return .object(members)
    }

    static func returnMilestone(_ quarter: FinancialQuarter) -> String { "return-\(quarter)" }

    private static func milestone(_ id: String, _ title: String, _ type: String, met day: CalendarDate) -> OCDSValue {
        .object(("id", .string(id)), ("title", .string(title)), ("type", .string(type)), ("dateMet", .day(day)), ("status", .string("met")))
    }

    /// `section` (an object, or none yet) with `item` in its `key` array.
    private static func adding(_ item: OCDSValue, under key: String = "milestones", to section: OCDSValue?) -> OCDSValue {
        var members = section?.members ?? []
        members.append(OCDSValue.Member(key, .array([item])))
        return .object(members)
    }

    private static func implementationMilestone(_ item: OCDSValue, in contract: OCDSValue) -> OCDSValue {
        var members = contract.members ?? []
        if let index = members.firstIndex(where: { $0.key == "implementation" }) {
            members[index] = OCDSValue.Member("implementation", adding(item, to: members[index].value))
        } else {
            members.append(OCDSValue.Member("implementation", adding(item, to: nil)))
        }
        return .object(members)
    }

    /// The release's one contract, changed by `change`.
    private static func contracts(_ contracts: [OCDSValue], _ change: (OCDSValue) -> OCDSValue) -> [OCDSValue] {
        contracts.isEmpty ? contracts : [change(contracts[0])] + contracts.dropFirst()
    }
}
