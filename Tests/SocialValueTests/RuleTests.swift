import LedgerValues
import LedgerValues
import SocialValue
import Testing

/// Every rule of `decide`, each shown to accept and to refuse at its boundary.
@Suite("Contract rules")
struct RuleTests {
    // MARK: - Threshold

    @Test("Lancashire 2024-28: £99,999.99 is below, £100,000.00 itself and above are in scope", arguments: [
        ("99999.99", ThresholdAssessment.Outcome.below), ("100000.00", .above), ("100000.01", .above),
    ])
    func lancashireThreshold(value: String, outcome: ThresholdAssessment.Outcome) throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(value: value)))
        let events = try scenario.run(.assessThreshold)
        guard case .thresholdAssessed(let assessment) = events.first else { Issue.record("no assessment"); return }
        #expect(assessment.outcome == outcome)
        #expect(assessment.policyId == "lancashire-2024-28")
        #expect(assessment.policyVersion == "1")
        #expect(assessment.threshold == Money(pence: 10_000_000))
    }

    @Test("Leicestershire 2022: £50,000 or more is in scope", arguments: [("49999.99", false), ("50000.00", true)])
    func leicestershireThreshold(value: String, inScope: Bool) throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(value: value, policy: "leicestershire-2022")))
        try scenario.run(.assessThreshold)
        #expect(scenario.state.inScope == inScope)
    }

    // The statutory thresholds are inclusive: reg. 5 of the Public Contracts Regulations 2015
    // ("equal to or greater than") and Schedule 1 of the Procurement Act 2023 ("not less than").
    static let statutoryBoundaries = [
        ("2025-06-01", "214903.99", false), ("2025-06-01", "214904.00", true), ("2025-06-01", "214904.01", true),
        ("2026-02-01", "207719.99", false), ("2026-02-01", "207720.00", true), ("2026-02-01", "207720.01", true),
    ]

    @Test("the Lancashire draft applies at or above the statutory threshold in force, not a penny below", arguments: statutoryBoundaries)
    func draftScopeIsInclusive(date: String, value: String, inScope: Bool) throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(value: value, policy: "lancashire-draft")), on: date)
        let events = try scenario.run(.assessThreshold, on: date)
        #expect(scenario.state.inScope == inScope, "\(value) on \(date)")
        guard case .thresholdAssessed(let assessment) = events.first else { Issue.record("no assessment"); return }
        #expect(assessment.inclusive)
        #expect(assessment.outcome == (inScope ? .above : .below))
        #expect(assessment.threshold == assessment.statutoryThreshold)
        #expect(assessment.statutoryDutyApplies == inScope, "a services contract at or above the statutory threshold carries the Act's duty")
    }

    @Test("the statutory duty applies to services at or above the statutory threshold, under a policy with a threshold of its own", arguments: statutoryBoundaries)
    func statutoryDutyIsInclusive(date: String, value: String, applies: Bool) throws {
        for policy in ["lancashire-2024-28", "leicestershire-2022"] {
            var services = Scenario()
            try services.run(.register(Scenario.registration(value: value, policy: policy)), on: date)
            guard case .thresholdAssessed(let assessment) = try services.run(.assessThreshold, on: date).first else { Issue.record("no assessment"); return }
            #expect(assessment.outcome == .above, "\(policy)'s own threshold is lower")
            #expect(assessment.statutoryDutyApplies == applies, "\(policy): \(value) on \(date)")

            var works = Scenario()
            try works.run(.register(Scenario.registration(value: value, policy: policy, category: .works)), on: date)
            guard case .thresholdAssessed(let worksAssessment) = try works.run(.assessThreshold, on: date).first else { Issue.record("no assessment"); return }
            #expect(!worksAssessment.statutoryDutyApplies, "the duty is for services only")
        }
    }

    // MARK: - Weighting

    @Test("a weighting of 9.99% is refused under a 10% minimum; 10% is accepted")
    func weightingMinimum() throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration()))
        try scenario.run(.assessThreshold)
        #expect(scenario.refusal(.decideWeighting(percent: try ValueParsing.percent("9.99"), basis: .policyMinimum, answers: nil, overrideReason: nil)) == .weightingBelowMinimum)
        #expect(scenario.refusal(.decideWeighting(percent: ExactDecimal(10), basis: .policyMinimum, answers: nil, overrideReason: nil)) == nil)
    }

    @Test("a granted exemption or a recorded override lets a weighting fall below the minimum")
    func weightingBelowMinimumAllowed() throws {
        var exempted = Scenario()
        try exempted.run(.register(Scenario.registration()))
        try exempted.run(.assessThreshold)
        try exempted.run(.requestExemption(businessCase: "BC-1"))
        try exempted.run(.decideExemption(granted: true, businessCase: "BC-1"), by: Scenario.head)
        #expect(exempted.refusal(.decideWeighting(percent: ExactDecimal(5), basis: .policyMinimum, answers: nil, overrideReason: nil)) == nil)
        #expect(exempted.state.weighting?.exemptionApplied == true)

        var overridden = Scenario()
        try overridden.run(.register(Scenario.registration()))
        try overridden.run(.assessThreshold)
        #expect(overridden.refusal(.decideWeighting(percent: ExactDecimal(5), basis: .boardOverride, answers: nil, overrideReason: nil)) == .reasonRequired)
        #expect(overridden.refusal(.decideWeighting(percent: ExactDecimal(5), basis: .boardOverride, answers: nil, overrideReason: "Specialist market")) == nil)
        #expect(overridden.state.weighting?.overrideReason == "Specialist market")
    }

    @Test("a contract below threshold asked for a weighting is refused")
    func belowThresholdWeighting() throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(value: "99999.99")))
        try scenario.run(.assessThreshold)
        #expect(scenario.refusal(.decideWeighting(percent: ExactDecimal(10), basis: .policyMinimum, answers: nil, overrideReason: nil)) == .belowThresholdWeighting)
    }

    @Test("the draft's matrix: the weighting must match the answers, unless overridden", arguments: [
        ("significant", 3, "highest", 10, true), ("significant", 3, "highest", 5, false),
        ("some", 2, "less-significant", 5, true), ("some", 2, "less-significant", 10, false),
        ("significant", 2, "less-significant", 5, true), ("some", 1, "highest", 5, false), ("none", 4, "highest", 5, false),
    ])
    func matrix(impact: String, objectives: Int, area: String, percent: Int, accepted: Bool) throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(value: "500000.00", policy: "lancashire-draft")), on: "2025-06-01")
        try scenario.run(.assessThreshold, on: "2025-06-01")
        let answers = MatrixAnswers(impact: impact, objectivesMet: objectives, areaNeeds: area)
        let rule = scenario.refusal(.decideWeighting(percent: ExactDecimal(percent), basis: .matrix, answers: answers, overrideReason: nil))
        #expect(rule == (accepted ? nil : .weightingContradictsMatrix))
        if !accepted {
            #expect(scenario.refusal(.decideWeighting(percent: ExactDecimal(percent), basis: .boardOverride, answers: answers, overrideReason: "Board minute 14/25")) == nil)
        }
    }

    // MARK: - Exemption

    @Test("an exemption decided by a role the policy does not name is refused", arguments: [
        ("Head of Procurement", nil as DomainError.Rule?), ("Procurement Officer", .exemptionAuthority), ("Cabinet Member", .exemptionAuthority),
    ])
    func exemptionAuthority(role: String, rule: DomainError.Rule?) throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration()))
        try scenario.run(.assessThreshold)
        try scenario.run(.requestExemption(businessCase: "BC-9"))
        #expect(scenario.refusal(.decideExemption(granted: true, businessCase: "BC-9"), by: ActorIdentity(id: "x", role: role)) == rule)
    }

    @Test("the draft names the Procurement Board as the body that decides exemptions")
    func draftExemptionAuthority() throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(value: "500000.00", policy: "lancashire-draft")), on: "2025-06-01")
        try scenario.run(.assessThreshold, on: "2025-06-01")
        try scenario.run(.requestExemption(businessCase: "BC-2"))
        #expect(scenario.refusal(.decideExemption(granted: false, businessCase: "BC-2"), by: Scenario.head) == .exemptionAuthority)
        #expect(scenario.refusal(.decideExemption(granted: false, businessCase: "BC-2"), by: ActorIdentity(id: "board", role: "Procurement Board")) == nil)
        #expect(scenario.state.exemptionGranted == false)
    }

    // MARK: - Lifecycle order

    @Test("actions out of lifecycle order are refused")
    func lifecycleOrder() throws {
        var scenario = Scenario()
        #expect(scenario.refusal(.assessThreshold) == .unknownContract)
        try scenario.run(.register(Scenario.registration()))
        #expect(scenario.refusal(.register(Scenario.registration())) == .contractExists)
        #expect(scenario.refusal(.award(supplier: "X", date: CalendarDate("2025-03-01")!, value: Money(pence: 1))) == .lifecycleOrder)
        try scenario.run(.assessThreshold)
        #expect(scenario.refusal(.award(supplier: "X", date: CalendarDate("2025-03-01")!, value: Money(pence: 1))) == .lifecycleOrder, "in scope: no award before the weighting")
        #expect(scenario.refusal(.recordPledge(catalog: "portal-003", lines: Scenario.lines([("NT1", "1")]), statedValues: [:])) == .lifecycleOrder)
        #expect(scenario.refusal(.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("NT1", "1")], evidence: "E"), attributionConfirmed: true)) == .lifecycleOrder, "delivery before award")
        #expect(scenario.refusal(.close) == .lifecycleOrder)
    }

    @Test("a below-threshold contract may be awarded without a weighting")
    func belowThresholdAward() throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(value: "40000.00")))
        try scenario.run(.assessThreshold)
        #expect(scenario.refusal(.award(supplier: "Small Co", date: CalendarDate("2025-03-01")!, value: Money(pence: 4_000_000))) == nil)
    }

    @Test("an award's value or date is corrected with a reason: the supplier stays, the old figures are kept, and a change of nothing is refused")
    func awardCorrection() throws {
        var scenario = try Scenario.awarded()
        let recorded = try #require(scenario.state.award)
        let value = Money(pence: 10_932_000)
        #expect(scenario.refusal(.correctAward(value: value, date: nil), reason: nil) == .reasonRequired)
        #expect(scenario.refusal(.correctAward(value: recorded.value, date: recorded.awardDate)) == .invalidInput, "changes nothing")
        let events = try scenario.run(.correctAward(value: value, date: nil))
        guard case .awardCorrected(let correction) = events.first else { Issue.record("\(events)"); return }
        #expect(correction.previousValue == recorded.value && correction.previousAwardDate == recorded.awardDate)
        #expect(correction.value == value && correction.awardDate == recorded.awardDate, "the date not given stays")
        #expect(scenario.state.award?.value == value && scenario.state.award?.supplier == recorded.supplier)
        #expect(scenario.state.awardCorrections == [correction])
        // Replaying the events gives the same award.
        #expect(EventSummary.describe(type: events[0].type, payload: events[0].payload) == "award corrected: value \(recorded.value) → \(value)")
    }

    @Test("only an awarded contract's award is corrected: not before award, not a running contract's, not after closure")
    func awardCorrectionNeedsAnAward() throws {
        var assessed = Scenario()
        try assessed.run(.register(Scenario.registration(value: "40000.00")))
        try assessed.run(.assessThreshold)
        #expect(assessed.refusal(.correctAward(value: Money(pence: 1), date: nil)) == .lifecycleOrder)
        var running = Scenario()
        try running.run(.register(Scenario.registration(existingSupplier: "Care Partners")))
        #expect(running.refusalError(.correctAward(value: Money(pence: 1), date: nil))?.message.contains("has no award to correct") == true)
        var closed = try Scenario.pledged()
        try closed.run(.close, on: "2028-04-30")
        #expect(closed.refusal(.correctAward(value: Money(pence: 1), date: nil)) == .closedContract)
    }

    @Test("a corrected award date may not leave a recorded return before the award", arguments: [
        ("2025-06-30", DomainError.Rule?.none), ("2025-07-01", DomainError.Rule?.some(.quarterBeforeAward)), ("2025-03-01", DomainError.Rule?.none),
    ])
    func awardDateCorrection(day: String, rule: DomainError.Rule?) throws {
        var scenario = try Scenario.pledged()
        try scenario.run(.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("NT1", "3")], evidence: "HR-1"), attributionConfirmed: true), by: Scenario.supplier)
        #expect(scenario.refusal(.correctAward(value: nil, date: CalendarDate(day)!)) == rule, "\(day)")
    }

    @Test("a return line's evidence file must be a SHA-256, within 25 MiB, of a kind svledger keeps, with a plain name", arguments: [
        EvidenceFile(sha256: "ABC", size: 10, mediaType: "application/pdf", name: "a.pdf"),
        EvidenceFile(sha256: String(repeating: "a", count: 64), size: EvidenceFile.maximumSize + 1, mediaType: "application/pdf", name: "a.pdf"),
        EvidenceFile(sha256: String(repeating: "a", count: 64), size: 10, mediaType: "text/html", name: "a.html"),
        EvidenceFile(sha256: String(repeating: "a", count: 64), size: 10, mediaType: "application/pdf", name: "hr/a.pdf"),
    ])
    func evidenceFileRules(file: EvidenceFile) throws {
        var scenario = try Scenario.pledged()
        let line = QuantityLine(measure: "NT1", quantity: ExactDecimal(3), evidence: "HR-1", evidenceFiles: [file])
        let action = ContractAction.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: [line], attributionConfirmed: true)
        #expect(scenario.refusal(action, by: Scenario.supplier) == .evidenceFile)
        let fine = EvidenceFile(sha256: String(repeating: "a", count: 64), size: 10, mediaType: "application/pdf", name: "starters.pdf")
        let accepted = ContractAction.reportDelivery(
            quarter: FinancialQuarter("2025-26-Q1")!, lines: [QuantityLine(measure: "NT1", quantity: ExactDecimal(3), evidence: "HR-1", evidenceFiles: [fine])],
            attributionConfirmed: true)
        #expect(scenario.refusal(accepted, by: Scenario.supplier) == nil, "the rules of the file itself; its bytes are the ledger's to check")
    }

    @Test("a line carries each file once and at most 12; a file the contract keeps is cited as it was first")
    func evidenceCitations() throws {
        var scenario = try Scenario.pledged()
        let file = EvidenceFile(sha256: String(repeating: "d", count: 64), size: 10, mediaType: "application/pdf", name: "rota.pdf")
        func report(_ quarter: String, _ files: [EvidenceFile]) -> ContractAction {
            .reportDelivery(quarter: FinancialQuarter(quarter)!, lines: [QuantityLine(measure: "NT1", quantity: ExactDecimal(1), evidence: "E", evidenceFiles: files)], attributionConfirmed: true)
        }
        #expect(scenario.refusal(report("2025-26-Q1", [file, file]), by: Scenario.supplier) == .evidenceFile, "the same file twice")
        let many = (0..<13).map { EvidenceFile(sha256: String(format: "%064x", $0), size: 10, mediaType: "application/pdf", name: "p\($0).pdf") }
        #expect(scenario.refusal(report("2025-26-Q1", many), by: Scenario.supplier) == .evidenceFile, "13 files on a line")
        #expect(scenario.refusal(report("2025-26-Q1", [file]), by: Scenario.supplier) == nil)
        let other = EvidenceFile(sha256: file.sha256, size: 11, mediaType: "application/pdf", name: "rota.pdf")
        #expect(scenario.refusalError(report("2025-26-Q2", [other]), by: Scenario.supplier)?.message.contains("already keeps") == true)
        #expect(scenario.refusal(report("2025-26-Q2", [file]), by: Scenario.supplier) == nil, "cited again as it was")
    }

    @Test("an evidence file may be erased after closure, by an administrator only, and only one the contract cites")
    func erasureAfterClosure() throws {
        var scenario = try Scenario.pledged()
        let file = EvidenceFile(sha256: String(repeating: "b", count: 64), size: 10, mediaType: "application/pdf", name: "payslip.pdf")
        try scenario.run(.reportDelivery(
            quarter: FinancialQuarter("2025-26-Q1")!, lines: [QuantityLine(measure: "NT1", quantity: ExactDecimal(3), evidence: "HR-1", evidenceFiles: [file])],
            attributionConfirmed: true), by: Scenario.supplier)
        try scenario.run(.close, on: "2028-04-30")
        let admin = ActorIdentity(id: "d.okoro", role: "Administrator")
        #expect(scenario.refusal(.eraseEvidence(sha256: String(repeating: "c", count: 64)), by: admin) == .evidenceFile, "not cited")
        #expect(scenario.refusal(.eraseEvidence(sha256: file.sha256), by: Scenario.head) == .erasureAuthority)
        #expect(scenario.refusal(.eraseEvidence(sha256: file.sha256), by: admin) == nil)
        #expect(scenario.state.erasedEvidence == [file.sha256])
        #expect(scenario.refusal(.eraseEvidence(sha256: file.sha256), by: admin) == .evidenceFile, "already erased")
    }

    @Test("after closure only a correction is accepted")
    func afterClosure() throws {
        var scenario = try Scenario.pledged()
        try scenario.run(.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("NT1", "3")], evidence: "HR-1"), attributionConfirmed: true), by: Scenario.supplier)
        let returnId = scenario.eventIds.last!
        try scenario.run(.close, on: "2028-04-30")
        #expect(scenario.refusal(.reportDelivery(quarter: FinancialQuarter("2025-26-Q2")!, lines: Scenario.lines([("NT1", "3")], evidence: "HR-2"), attributionConfirmed: true)) == .closedContract)
        #expect(scenario.refusal(.refreshCommitments(revise: Scenario.lines([("NT1", "20")]), add: [], withdraw: [], catalog: nil)) == .closedContract)
        #expect(scenario.refusal(.close) == .closedContract)
        // A second closure says so, not that only a correction may follow.
        #expect(scenario.refusalError(.close)?.message == "contract \(scenario.contract) is already closed, on 2028-04-30")
        #expect(scenario.refusal(.correctDelivery(corrects: returnId, lines: Scenario.lines([("NT1", "2")], evidence: "HR-1b")), reason: "Miscounted") == nil)
    }

    @Test("a running contract registered with its supplier may pledge without a tender")
    func existingContract() throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(existingSupplier: "Care Partners")))
        #expect(scenario.refusal(.recordPledge(catalog: "portal-003", lines: Scenario.lines([("NT1", "2")]), statedValues: [:])) == nil)
        #expect(scenario.state.pledge?.supplier == "Care Partners")
    }

    @Test("a term must lie in the days whose quarters can be named: 1 April 1001 to 31 March 9998, no day beyond", arguments: [
        ("1001-04-01", "9998-03-31", true), ("1001-03-31", "2026-03-31", false), ("2025-04-01", "9998-04-01", false), ("9999-04-01", "9999-12-31", false),
    ])
    func termInNamedDays(start: String, end: String, taken: Bool) throws {
        var scenario = Scenario()
        let refusal = scenario.refusal(.register(Scenario.registration(start: start, end: end)))
        #expect((refusal == nil) == taken, "\(start) to \(end): \(String(describing: refusal))")
        if !taken { #expect(refusal == .invalidInput) }
    }

    // MARK: - Delivery

    @Test("a quarter must overlap the term: the last quarter of a term ending 31 March is accepted, the next is not", arguments: [
        ("2024-25-Q4", DomainError.Rule?.some(.quarterOutsideTerm)), ("2025-26-Q1", nil), ("2025-26-Q4", nil), ("2026-27-Q1", .quarterOutsideTerm),
    ])
    func quarterInTerm(quarter: String, rule: DomainError.Rule?) throws {
        var scenario = try Scenario.pledged(start: "2025-04-01", end: "2026-03-31")
        let action = ContractAction.reportDelivery(quarter: FinancialQuarter(quarter)!, lines: Scenario.lines([("NT1", "1")], evidence: "E"), attributionConfirmed: true)
        #expect(scenario.refusal(action, by: Scenario.supplier) == rule)
    }

    @Test("a return is for a quarter that has ended: not the current one, not even on its last day", arguments: [
        ("2025-08-15", "2025-26-Q3", DomainError.Rule?.some(.quarterNotEnded)),  // not started
        ("2025-08-15", "2025-26-Q2", .quarterNotEnded),  // under way
        ("2025-09-30", "2025-26-Q2", .quarterNotEnded),  // its last day
        ("2025-10-01", "2025-26-Q2", nil),  // the day after it ends
        ("2025-08-15", "2025-26-Q1", nil),
    ])
    func quarterNotEnded(today: String, quarter: String, rule: DomainError.Rule?) throws {
        var scenario = try Scenario.pledged()
        scenario.today = CalendarDate(today)!
        let action = ContractAction.reportDelivery(quarter: FinancialQuarter(quarter)!, lines: Scenario.lines([("NT1", "1")], evidence: "E"), attributionConfirmed: true)
        #expect(scenario.refusal(action, on: today) == rule, "\(quarter) recorded on \(today)")
    }

    @Test("a return for a quarter that ended before the award is refused; the quarter of the award is not", arguments: [
        ("2024-25-Q3", DomainError.Rule?.some(.quarterBeforeAward)), ("2024-25-Q4", nil), ("2025-26-Q1", nil),
    ])
    func quarterBeforeAward(quarter: String, rule: DomainError.Rule?) throws {
        // Term from 2024-04-01; awarded on 2025-03-14, in 2024-25-Q4.
        var scenario = try Scenario.awarded(start: "2024-04-01")
        try scenario.run(.recordPledge(catalog: "portal-003@003.2", lines: Scenario.lines([("NT1", "24")]), statedValues: [:]))
        let action = ContractAction.reportDelivery(quarter: FinancialQuarter(quarter)!, lines: Scenario.lines([("NT1", "1")], evidence: "E"), attributionConfirmed: true)
        #expect(scenario.refusal(action, by: Scenario.supplier) == rule)
    }

    @Test("a running contract takes returns from its registration; registered as migrated, from its term start")
    func runningAndMigratedContracts() throws {
        let pledge = ContractAction.recordPledge(catalog: "portal-003", lines: Scenario.lines([("NT1", "2")]), statedValues: [:])
        func report(_ quarter: String) -> ContractAction {
            .reportDelivery(quarter: FinancialQuarter(quarter)!, lines: Scenario.lines([("NT1", "1")], evidence: "E"), attributionConfirmed: true)
        }
        // Running since 2023-06-01, taken on by the ledger on 2025-04-07.
        var running = Scenario()
        try running.run(.register(Scenario.registration(start: "2023-06-01", end: "2027-05-31", existingSupplier: "Care Partners")), on: "2025-04-07")
        try running.run(pledge, on: "2025-04-07")
        #expect(running.refusal(report("2024-25-Q4")) == .quarterBeforeAward, "ended 2025-03-31, before the registration")
        #expect(running.refusal(report("2025-26-Q1")) == nil)

        var migrated = Scenario()
        let registration = Scenario.registration(start: "2023-06-01", end: "2027-05-31", existingSupplier: "Care Partners", migrated: true)
        #expect(migrated.refusal(.register(registration), reason: nil, on: "2025-04-07") == .reasonRequired)
        #expect(migrated.refusal(.register(registration), reason: "Let in 2023; its returns are entered from the supplier's reports", on: "2025-04-07") == nil)
        try migrated.run(pledge, on: "2023-06-01")
        #expect(migrated.refusal(report("2022-23-Q4")) == .quarterOutsideTerm)
        #expect(migrated.refusal(report("2023-24-Q1")) == nil, "the term starts inside it")
        #expect(migrated.refusal(report("2024-25-Q4")) == nil)

        var tendered = Scenario()
        #expect(tendered.refusal(.register(Scenario.registration(migrated: true)), reason: "Started before the ledger") == .invalidInput, "a migrated contract is a running one")
    }

    @Test("closing before the end of the term is an early termination and needs a reason")
    func earlyTermination() throws {
        var early = try Scenario.pledged()
        #expect(early.refusal(.close, reason: nil, on: "2027-01-15") == .reasonRequired)
        #expect(early.refusal(.close, reason: "  ", on: "2027-01-15") == .reasonRequired)
        #expect(early.refusal(.close, reason: "Supplier went into administration", on: "2027-01-15") == nil)
        #expect(early.state.closure?.closedOn == CalendarDate("2027-01-15"))
        #expect(early.state.closure?.earlyTermination == true)

        var onTime = try Scenario.pledged()
        #expect(onTime.refusal(.close, reason: nil, on: "2028-03-31") == nil, "the last day of the term is not early")
        #expect(onTime.state.closure?.earlyTermination == false)
    }

    @Test("a pledge or refresh may not take effect before the commitment recorded last")
    func commitmentEffectiveOrder() throws {
        var scenario = try Scenario.pledged()  // pledged effective 2025-02-03
        let refresh = { (quantity: String) in
            ContractAction.refreshCommitments(revise: Scenario.lines([("NT1", quantity)]), add: [], withdraw: [], catalog: nil)
        }
        #expect(scenario.refusal(refresh("20"), on: "2025-02-02") == .commitmentEffectiveOrder)
        #expect(scenario.refusal(refresh("20"), on: "2025-06-01") == nil)
        #expect(scenario.refusal(refresh("18"), on: "2025-05-31") == .commitmentEffectiveOrder, "before the refresh, though after the pledge")
        #expect(scenario.refusal(refresh("18"), on: "2025-06-01") == nil, "the same day is in order")
        #expect(scenario.state.commitmentEffectiveDate == CalendarDate("2025-06-01"))
    }

    @Test("a second return for the same quarter and measure is refused; another measure is fine")
    func secondReturn() throws {
        var scenario = try Scenario.pledged()
        let quarter = FinancialQuarter("2025-26-Q1")!
        #expect(scenario.refusal(.reportDelivery(quarter: quarter, lines: Scenario.lines([("NT1", "3")], evidence: "A"), attributionConfirmed: true)) == nil)
        #expect(scenario.refusal(.reportDelivery(quarter: quarter, lines: Scenario.lines([("NT1", "4")], evidence: "B"), attributionConfirmed: true)) == .secondReturn)
        #expect(scenario.refusal(.reportDelivery(quarter: quarter, lines: Scenario.lines([("NT10", "12")], evidence: "C"), attributionConfirmed: true)) == nil)
    }

    @Test("a return without the supplier's attribution confirmation is refused")
    func attribution() throws {
        var scenario = try Scenario.pledged()
        #expect(scenario.refusal(.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("NT1", "3")], evidence: "A"), attributionConfirmed: false)) == .attributionNotConfirmed)
    }

    @Test("an unknown measure code is refused in a pledge and in a return")
    func unknownMeasure() throws {
        var awarded = try Scenario.awarded()
        #expect(awarded.refusal(.recordPledge(catalog: "portal-003", lines: Scenario.lines([("NT1", "2"), ("NT999", "1")]), statedValues: [:])) == .unknownMeasure)
        var pledged = try Scenario.pledged()
        #expect(pledged.refusal(.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("XX1", "1")], evidence: "A"), attributionConfirmed: true)) == .unknownMeasure)
    }

    @Test("delivery against a measure never pledged is accepted and marked unpledged")
    func unpledgedDelivery() throws {
        var scenario = try Scenario.pledged()
        let events = try scenario.run(.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("NT1", "3"), ("NT29", "40")], evidence: "A"), attributionConfirmed: true))
        guard case .deliveryReported(let report) = events.first else { Issue.record("no return"); return }
        #expect(report.lines.map(\.pledged) == [true, false])
    }

    @Test("a correction may name its return by quarter and measure; none, or several, is refused")
    func correctionByQuarter() throws {
        var scenario = try Scenario.pledged()
        let q1 = FinancialQuarter("2025-26-Q1")!, q2 = FinancialQuarter("2025-26-Q2")!
        try scenario.run(.reportDelivery(quarter: q1, lines: Scenario.lines([("NT1", "3"), ("NT10", "12")], evidence: "A"), attributionConfirmed: true))
        let q1Return = scenario.eventIds.last!
        try scenario.run(.reportDelivery(quarter: q2, lines: Scenario.lines([("NT1", "2")], evidence: "B"), attributionConfirmed: true))
        let q2NT1 = scenario.eventIds.last!
        try scenario.run(.reportDelivery(quarter: q2, lines: Scenario.lines([("NT10", "9")], evidence: "C"), attributionConfirmed: true))
        let q2NT10 = scenario.eventIds.last!

        let events = try scenario.run(.correctQuarter(quarter: q1, measure: nil, lines: Scenario.lines([("NT1", "2")], evidence: "A2")), reason: "Miscounted")
        guard case .deliveryCorrected(let correction) = events.first else { Issue.record("no correction"); return }
        #expect(correction.corrects == q1Return)
        #expect(correction.quarter == q1)

        let none = scenario.refusalError(.correctQuarter(quarter: FinancialQuarter("2025-26-Q3")!, measure: nil, lines: Scenario.lines([("NT1", "2")], evidence: "D")))
        #expect(none?.rule == .correctionReference)
        #expect(none?.message.contains("has no 2025-26-Q3 return for NT1") == true, "\(String(describing: none))")

        let several = scenario.refusalError(.correctQuarter(quarter: q2, measure: nil, lines: Scenario.lines([("NT1", "1"), ("NT10", "8")], evidence: "E")))
        #expect(several?.rule == .correctionReference)
        #expect(several?.message.contains("\(q2NT1)") == true && several?.message.contains("\(q2NT10)") == true, "\(String(describing: several))")

        let named = try scenario.run(.correctQuarter(quarter: q2, measure: "NT10", lines: Scenario.lines([("NT10", "8")], evidence: "C2")), reason: "Typo")
        guard case .deliveryCorrected(let second) = named.first else { Issue.record("no correction"); return }
        #expect(second.corrects == q2NT10)
        #expect(scenario.refusal(.correctQuarter(quarter: q2, measure: "NT10", lines: Scenario.lines([("NT10", "8")], evidence: "C3")), reason: nil) == .reasonRequired)
    }

    @Test("an unknown measure names the closest code in the catalog")
    func unknownMeasureSuggestion() throws {
        var scenario = try Scenario.awarded()
        let error = scenario.refusalError(.recordPledge(catalog: "portal-003", lines: Scenario.lines([("NT100", "2")]), statedValues: [:]))
        #expect(error?.rule == .unknownMeasure)
        #expect(error?.message == "measure NT100 is not in catalog portal-003@003.2")
        #expect(error?.suggestion == "NT10", "the suggestion is a field of the error, worded when it is said")
        #expect(error?.text == "measure NT100 is not in catalog portal-003@003.2 (did you mean NT10?)")
        let far = scenario.refusalError(.recordPledge(catalog: "portal-003", lines: Scenario.lines([("WATER-1", "2")]), statedValues: [:]))
        #expect(far?.message == "measure WATER-1 is not in catalog portal-003@003.2" && far?.suggestion == nil, "nothing close: no suggestion")
    }

    @Test("a correction must reference a return of this contract, and say why")
    func correctionReference() throws {
        var scenario = try Scenario.pledged()
        try scenario.run(.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("NT1", "3")], evidence: "A"), attributionConfirmed: true))
        let returnId = scenario.eventIds.last!
        let pledgeId = scenario.eventIds[scenario.eventIds.count - 2]
        #expect(scenario.refusal(.correctDelivery(corrects: EventID.generate(), lines: Scenario.lines([("NT1", "2")], evidence: "A2"))) == .correctionReference)
        #expect(scenario.refusal(.correctDelivery(corrects: pledgeId, lines: Scenario.lines([("NT1", "2")], evidence: "A2"))) == .correctionReference, "a pledge is not a return")
        #expect(scenario.refusal(.correctDelivery(corrects: returnId, lines: Scenario.lines([("NT1", "2")], evidence: "A2")), reason: nil) == .reasonRequired)
        #expect(scenario.refusal(.correctDelivery(corrects: returnId, lines: Scenario.lines([("NT1", "2")], evidence: "A2")), reason: "Double-counted a starter") == nil)
    }

    // MARK: - Commitments

    @Test("a review refresh revises, adds and withdraws lines, and keeps the original pledge")
    func refresh() throws {
        var scenario = try Scenario.pledged()
        #expect(scenario.refusal(.refreshCommitments(revise: Scenario.lines([("NT29", "5")]), add: [], withdraw: [], catalog: nil)) == .refreshLine)
        #expect(scenario.refusal(.refreshCommitments(revise: [], add: Scenario.lines([("NT1", "5")]), withdraw: [], catalog: nil)) == .refreshLine)
        #expect(scenario.refusal(.refreshCommitments(revise: [], add: [], withdraw: ["NT4"], catalog: nil)) == .refreshLine)
        #expect(scenario.refusal(.refreshCommitments(revise: Scenario.lines([("NT1", "20")]), add: [], withdraw: [], catalog: nil), reason: nil) == .reasonRequired)
        try scenario.run(.refreshCommitments(revise: Scenario.lines([("NT1", "20")]), add: Scenario.lines([("NT29", "32")]), withdraw: ["NT10"], catalog: nil), reason: "Annual review")
        let current = try #require(scenario.state.commitment)
        #expect(current.lines.map(\.measure) == ["NT1", "NT29"])
        // 20 × 30782 = 615,640.00 and 32 × 16.09 = 514.88
        #expect(current.total == Money(pence: 61_564_000 + 51_488))
        #expect(scenario.state.pledge?.lines.map(\.measure) == ["NT1", "NT10"], "the original pledge stays")
    }

    @Test("a line whose value would pass £10^15 is refused, not a crash")
    func hugeValues() throws {
        var scenario = try Scenario.awarded()
        let huge = [QuantityLine(measure: "NT1", quantity: try ValueParsing.quantity("999999999999999"))]
        #expect(scenario.refusal(.recordPledge(catalog: "portal-003", lines: huge, statedValues: [:])) == .invalidInput)
        let large = [QuantityLine(measure: "NT1", quantity: try ValueParsing.quantity("1000000000"))]
        #expect(scenario.refusal(.recordPledge(catalog: "portal-003", lines: large, statedValues: [:])) == nil)
        #expect(scenario.state.pledge?.total.plain == "30782000000000.00")
    }

    @Test("a bid's social value score must lie within the weighting")
    func bidScore() throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration()))
        try scenario.run(.assessThreshold)
        try scenario.run(.decideWeighting(percent: ExactDecimal(10), basis: .policyMinimum, answers: nil, overrideReason: nil))
        let offer = { (score: String) in
            ContractAction.BidderOffer(name: "North Roads Ltd", lines: [QuantityLine(measure: "NT1", quantity: ExactDecimal(24), qualitativeScore: ExactDecimal(4))], socialValueScore: try! ValueParsing.decimal(score))
        }
        #expect(scenario.refusal(.evaluateBids(catalog: "portal-003", bidders: [offer("10.01")])) == .scoreAboveWeighting)
        #expect(scenario.refusal(.evaluateBids(catalog: "portal-003", bidders: [offer("10")])) == nil)
        #expect(scenario.state.evaluation?.bidders.first?.offerTotal == Money(pence: 73_876_800))
    }
}
