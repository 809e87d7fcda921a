import SocialValue

/// Planning-stage releases: the registration, the threshold assessment and an exemption.
extension OCDSReleaseMaker {
    static func registered(_ registration: Registration, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        content.parties = [state.buyer] + (state.procuringEntity.map { [$0] } ?? [])
        // One supplier's contract under a framework: a call-off of the framework's process.
        if let framework = registration.identifiers.first(where: { $0.scheme == ContractIdentifier.framework }) {
            content.relatedProcesses = [.object(
                ("id", .string("framework")), ("relationship", .array([.string("framework")])), ("scheme", .string("ocid")),
                ("identifier", .string(framework.id)))]
        }
        content.buyer = state.buyer.reference
        // Areas served are places, not postal addresses: each becomes an address's region.
        let addresses = registration.areasServed.map { OCDSValue.object(("region", .string($0))) }
        content.tender = .object(
            ("id", .string(registration.reference)), ("title", .string(registration.title)),
            ("procuringEntity", state.procuringEntity?.reference),
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

    /// The assessment decides only whether the council's social value requirements apply
    /// (`hasSustainability`). How they are pursued is claimed when it is decided: the award
    /// criteria by the weighting, the contract's performance conditions by the pledge
    /// (``OCDSMetricFigures``, `sustainability(_:)`); no goal is claimed, since svledger does not
    /// classify its measures by the codelist's goals.
    static func assessed(_ assessment: ThresholdAssessment, state: OCDSContractState) -> OCDSReleaseContent {
        var content = OCDSReleaseContent()
        content.tender = .object(("id", .string(state.reference)), ("hasSustainability", .bool(assessment.outcome == .above)))
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
        // Granted, the requirements no longer apply: the assessment's claim is withdrawn.
        if decision.granted { content.tender = .object(("id", .string(state.reference)), ("hasSustainability", .bool(false))) }
        return content
    }
}

extension OCDSReleaseMaker {
    /// What the contracting process has decided so far about pursuing social value, as the
    /// sustainability extension's strategies: the award criteria once a weighting is decided,
    /// and the contract's performance conditions once the supplier's commitments are recorded.
    static func sustainability(_ state: OCDSContractState) -> OCDSValue? {
        var strategies: [String] = []
        var said: [String] = []
        if state.weighted {
            strategies.append("awardCriteria")
            said.append("social value is weighted in the award criteria")
        }
        if state.pledgedOn != nil {
            strategies.append("contractPerformanceConditions")
            said.append("the supplier's social value commitments (TOMs measures) are conditions of the contract, reported quarterly")
        }
        guard !strategies.isEmpty else { return nil }
        return .array([.object(
            ("description", .string(said.joined(separator: "; ").prefix(1).uppercased() + said.joined(separator: "; ").dropFirst() + ".")),
            ("strategies", .array(strategies.map(OCDSValue.string))))])
    }
}
