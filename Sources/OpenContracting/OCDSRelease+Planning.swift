import SocialValue

/// Planning-stage releases: the registration, the threshold assessment and an exemption.
extension OCDSReleaseMaker {
    static func registered(_ registration: Registration, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        content.parties = [state.buyer]
        content.buyer = state.buyer.reference
        // Areas served are places, not postal addresses: each becomes an address's region.
        let addresses = registration.areasServed.map { OCDSValue.object(("region", .string($0))) }
        content.tender = .object(
            ("id", .string(registration.reference)), ("title", .string(registration.title)),
            ("mainProcurementCategory", .string(registration.category.rawValue)),
            ("value", .gbp(registration.estimatedValue)),
            ("contractPeriod", .object(("startDate", .day(registration.startDate)), ("endDate", .endOfDay(registration.endDate)))),
            ("deliveryAddresses", addresses.isEmpty ? nil : .array(addresses)))
        // A contract already running when registered has its supplier: say who, as an award.
        if let supplier = registration.existingSupplier {
            let party = state.supplierParty(supplier)
            content.parties.append(party)
            content.awards = [.object(
                ("id", .string(awardID(state))), ("status", .string("active")), ("suppliers", .array([party.reference])))]
        }
        return content
    }

    /// Above the threshold, the Public Services (Social Value) Act's aims apply: economic,
    /// social and environmental well-being, pursued through the award criteria (the weighting)
    /// and the contract's performance conditions (the pledge's KPIs).
    static func assessed(_ assessment: ThresholdAssessment, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        let applies = assessment.outcome == .above
        let strategies = OCDSValue.array([.string("awardCriteria"), .string("contractPerformanceConditions")])
        content.tender = .object(
            ("id", .string(state.reference)), ("hasSustainability", .bool(applies)),
            ("sustainability", applies ? .array(["economic", "social", "environmental"].map {
                .object(("goal", .string($0)), ("strategies", strategies))
            }) : nil))
        let statutory = assessment.statutoryThreshold.map { "; statutory threshold \($0.formatted)" } ?? ""
        content.planning = .object(("rationale", .string(
            "Social value threshold assessment under policy \(assessment.policyId)@\(assessment.policyVersion): "
                + "\(assessment.measuredValue.formatted) measured against \(assessment.threshold.formatted) "
                + "(\(assessment.inclusive ? "inclusive" : "exclusive")), \(assessment.outcome.rawValue) the threshold; "
                + "category \(assessment.categoryCovered ? "covered" : "not covered"); "
                + "Public Services (Social Value) Act 2012 duty \(assessment.statutoryDutyApplies ? "applies" : "does not apply")\(statutory).")))
        return content
    }

    static func exemptionRequested(_ request: ExemptionRequest, state: OCDSContractState, reason: String?) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        content.planning = .object(("rationale", .string(
            "Exemption from the social value requirements requested, business case \(request.businessCase)\(reason.map { ": \($0)" } ?? ".")")))
        return content
    }

    static func exemptionDecided(_ decision: ExemptionDecision, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        content.planning = .object(("rationale", .string(
            "Exemption from the social value requirements \(decision.granted ? "granted" : "refused") by the \(decision.decidedByRole), business case \(decision.businessCase).")))
        return content
    }
}
