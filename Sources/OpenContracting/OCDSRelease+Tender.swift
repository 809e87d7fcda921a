import LedgerValues
import SocialValue

/// Tender-stage releases: the social value weighting and the evaluation of the bids.
extension OCDSReleaseMaker {
    /// The weighting as the award criteria of the contract's one lot: a quality criterion whose
    /// number is the exact percentage of the score given to social value.
    static func weighted(_ weighting: WeightingDecision, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let basis: String
        switch weighting.basis {
        case .policyMinimum: basis = "the policy minimum of \(weighting.policyMinimumPercent)%"
        case .matrix: basis = "the policy's weighting matrix"
        case .boardOverride: basis = "a board override\(weighting.overrideReason.map { " (\($0))" } ?? "")"
        }
        let criterion = OCDSValue.object(
            ("type", .string("quality")), ("name", .string("Social value")),
            ("numbers", .array([.object(("number", .number(weighting.percent)), ("weight", .string("percentageExact")))])))
        state.weighted = true
        content.tender = .object(
            ("id", .string(state.reference)), ("hasSustainability", .bool(true)), ("sustainability", sustainability(state)),
            ("lots", .array([.object(
                ("id", .string("1")),
                ("awardCriteria", .object(
                    ("weightingDescription", .string("Social value weighted at \(weighting.percent)% on \(basis)\(weighting.exemptionApplied ? ", an exemption applied" : "").")),
                    ("criteria", .array([criterion])))))])))
        return content
    }

    /// Who bid: the tenderers and their number. Their social value scores stay in the ledger.
    static func evaluated(_ evaluation: BidEvaluation, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        state.bidders = evaluation.bidders.map(\.name)
        let tenderers = evaluation.bidders.map { OCDSParty.organisation($0.name, roles: ["tenderer"]) }
        content.parties = tenderers
        content.tender = .object(
            ("id", .string(state.reference)), ("numberOfTenderers", .number(ExactDecimal(tenderers.count))),
            ("tenderers", tenderers.isEmpty ? nil : .array(tenderers.map(\.reference))))
        return content
    }

    /// The award, its supplier, and the contract it gives (its term from the registration).
    static func awarded(_ award: Award, state: OCDSContractState) -> OCDSReleaseContent {
        state.supplier = award.supplier
        state.supplierDetails = award.supplierDetails
        var content = awardContent(date: award.awardDate, value: award.value, state: state)
        content.contracts = [contract(
            state, ("status", .string("active")),
            ("period", .object(("startDate", .day(state.startDate)), ("endDate", .endOfDay(state.endDate)))),
            ("agreedMetrics", state.kpisBeforeAward.isEmpty ? nil : .array(metrics(state.kpisBeforeAward))),
            ("noAgreedMetricsRationale", state.kpiExemption.map { .string("A \($0 == .lightTouch ? "light-touch" : $0.rawValue) contract, which the Procurement Act 2023 exempts from key performance indicators") }))]
        return content
    }

    /// An `awardUpdate`: the award again, whole, with its corrected value and date, so that a
    /// reader that takes each release's award as it stands reads the correction; the amendment
    /// that says what changed is added with the day it took effect (OCDSEventDates).
    static func awardCorrected(_ correction: AwardCorrection, state: OCDSContractState) -> OCDSReleaseContent {
        awardContent(date: correction.awardDate, value: correction.value, state: state)
    }

    private static func awardContent(date: CalendarDate, value: Money, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let supplier = state.supplierParty(state.supplier ?? "")
        content.parties = [supplier]
        content.awards = [.object(
            ("id", .string(awardID(state))), ("date", .day(date)), ("status", .string("active")),
            ("value", .gbp(value)), ("suppliers", .array([supplier.reference])))]
        return content
    }
}
