import LedgerValues
import Testing
@testable import SocialValue

/// Procurement Act 2023 KPIs (docs/kpis.md): at least three before award above the policy's
/// KPI threshold unless the Act exempts the contract; assessments of a past period, with a
/// reason, not by the supplier; overdue after twelve months or at termination.
@Suite("Rules: KPIs")
struct KPIRuleTests {
    /// Lancashire's policy again, version 2 from 2025-01-01, with the Act's £5m KPI threshold.
    static func withThreshold() throws -> ReferenceData {
        var data = Scenario.shipped
        guard case .object(var policy) = BuiltinReference.document(.policies, "lancashire-2024-28")! else { fatalError() }
        policy["version"] = "2"
        policy["effectiveDate"] = "2025-01-01"
        policy["kpiThresholdGBP"] = "5000000"
        try data.evolve(eventType: ReferenceData.policyAdopted, payload: ["policy": .object(policy)])
        return data
    }

    static let kpis = [
        KPI(id: "KPI1", name: "Local jobs", description: "Local people employed", target: "20 FTE", measures: ["NT1"]),
        KPI(id: "KPI2", name: "On time", description: "Milestones met on the programme date", target: "95%"),
        KPI(id: "KPI3", name: "Complaints", description: "Complaints upheld", target: "Fewer than 5 a year"),
    ]

    static func weighted(value: String) throws -> Scenario {
        var scenario = Scenario(reference: try withThreshold())
        try scenario.run(.register(Scenario.registration(value: value)))
        try scenario.run(.assessThreshold)
        try scenario.run(.decideWeighting(percent: ExactDecimal(10), basis: .policyMinimum, answers: nil, overrideReason: nil))
        return scenario
    }

    static let award = ContractAction.award(supplier: "North Roads Ltd", date: CalendarDate("2025-03-14")!, value: Money(pence: 1_200_000_000))

    @Test("above the threshold, no award without three KPIs or an exemption; at or below it, none are needed")
    func kpisBeforeAward() throws {
        var scenario = try Self.weighted(value: "12000000")
        #expect(scenario.refusal(Self.award, by: Scenario.head, on: "2025-03-14") == .kpisRequired)
        #expect(scenario.refusal(.agreeKPIs(Array(Self.kpis.prefix(2)))) == nil)
        #expect(scenario.refusal(Self.award, by: Scenario.head, on: "2025-03-14") == .kpisRequired, "two are not enough")
        #expect(scenario.refusal(.agreeKPIs([Self.kpis[0]])) == .kpiDefinition, "an id agreed already")
        #expect(scenario.refusal(.agreeKPIs([Self.kpis[2]])) == nil)
        #expect(scenario.refusal(Self.award, by: Scenario.head, on: "2025-03-14") == nil)

        var framework = try Self.weighted(value: "12000000")
        #expect(framework.refusal(.exemptFromKPIs(.framework), reason: nil) == .reasonRequired)
        #expect(framework.refusal(.exemptFromKPIs(.framework), reason: "A framework agreement") == nil)
        #expect(framework.refusal(Self.award, by: Scenario.head, on: "2025-03-14") == nil)

        var small = try Self.weighted(value: "5000000")
        #expect(small.refusal(Self.award, by: Scenario.head, on: "2025-03-14") == nil, "at the threshold, not above it")
        var unregulated = try Scenario.awarded(value: "12000000")
        #expect(unregulated.state.award != nil, "a policy that states no KPI threshold asks for none")
    }

    @Test("an assessment: a KPI the contract has, a period past, a reason, and not by the supplier; after closure too")
    func assessments() throws {
        var scenario = try Self.weighted(value: "12000000")
        try scenario.run(.agreeKPIs(Self.kpis))
        let assess = { (kpi: String, to: String) in
            ContractAction.assessKPI(KPIAssessment(kpi: kpi, periodStart: CalendarDate("2025-04-01")!, periodEnd: CalendarDate(to)!, rating: .approachingTarget))
        }
        #expect(scenario.refusal(assess("KPI1", "2026-03-31"), on: "2026-04-10") == .lifecycleOrder, "before award")
        try scenario.run(Self.award, by: Scenario.head, on: "2025-03-14")
        #expect(scenario.refusal(assess("KPI9", "2026-03-31"), on: "2026-04-10") == .kpiDefinition)
        #expect(scenario.refusal(assess("KPI1", "2026-03-31"), on: "2026-03-30") == .invalidInput, "a period not yet over")
        #expect(scenario.refusal(assess("KPI1", "2026-03-31"), reason: nil, on: "2026-04-10") == .reasonRequired)
        #expect(scenario.refusal(assess("KPI1", "2026-03-31"), by: Scenario.supplier, on: "2026-04-10") == .validationAuthority)
        #expect(scenario.refusal(assess("KPI1", "2026-03-31"), on: "2026-04-10") == nil)
        #expect(scenario.state.kpiAssessments.map(\.rating) == [.approachingTarget])
        try scenario.run(.close, on: "2028-03-31")
        #expect(scenario.refusal(assess("KPI2", "2028-03-31"), on: "2028-04-15") == nil, "the assessment at termination")
    }

    @Test("overdue: twelve months after the last period assessed (or the award), and at termination", arguments: [
        (String?.none, "2026-03-14", String?.none, false), (nil, "2026-03-15", nil, true),
        ("2026-03-31", "2027-03-31", nil, false), ("2026-03-31", "2027-04-01", nil, true),
        ("2027-03-31", "2027-06-01", "2027-05-31", true), ("2027-05-31", "2027-06-01", "2027-05-31", false),
    ])
    func overdue(last: String?, day: String, closed: String?, overdue: Bool) {
        let why = KPISchedule.overdue(
            lastPeriodEnd: last.flatMap(CalendarDate.init), since: CalendarDate("2025-03-14")!, closedOn: closed.flatMap(CalendarDate.init), on: CalendarDate(day)!)
        #expect((why != nil) == overdue, "\(String(describing: why))")
    }

    @Test("a month later is the same day, or the month's last")
    func addingMonths() {
        #expect(CalendarDate("2025-01-31")!.adding(months: 1) == CalendarDate("2025-02-28")!)
        #expect(CalendarDate("2024-02-29")!.adding(months: 12) == CalendarDate("2025-02-28")!)
        #expect(CalendarDate("2025-11-15")!.adding(months: 3) == CalendarDate("2026-02-15")!)
    }

    @Test("an exemption before award only, once, and not once KPIs are agreed; a running contract has none to record")
    func exemptionRules() throws {
        var agreed = try Self.weighted(value: "12000000")
        try agreed.run(.agreeKPIs([Self.kpis[0]]))
        #expect(agreed.refusal(.exemptFromKPIs(.framework), reason: "x") == .lifecycleOrder, "KPIs agreed")
        var twice = try Self.weighted(value: "12000000")
        try twice.run(.exemptFromKPIs(.concession), reason: "A concession")
        #expect(twice.refusal(.exemptFromKPIs(.framework), reason: "x") == .lifecycleOrder, "already exempt")
        var running = Scenario(reference: try Self.withThreshold())
        try running.run(.register(Scenario.registration(value: "12000000", existingSupplier: "Care Partners")))
        #expect(running.refusal(.exemptFromKPIs(.framework), reason: "x") == .lifecycleOrder)
    }

    @Test("KPIs named twice in one command, a measure twice, a measure the priced catalog lacks, a period before the term")
    func definitionRules() throws {
        var scenario = try Scenario.pledged()
        let twice = scenario.refusalError(.agreeKPIs([Self.kpis[1], Self.kpis[1]]))
        #expect(twice?.rule == .kpiDefinition && twice?.message.contains("named twice") == true)
        #expect(scenario.refusal(.agreeKPIs([KPI(id: "K", name: "n", description: "d", target: "t", measures: ["NT1", "NT1"])])) == .duplicateMeasure)
        #expect(scenario.refusal(.agreeKPIs([KPI(id: "K", name: "n", description: "d", target: "t", measures: ["ZZ99"])])) == .unknownMeasure)
        #expect(scenario.refusal(.agreeKPIs([Self.kpis[0]])) == nil)
        let early = ContractAction.assessKPI(KPIAssessment(kpi: "KPI1", periodStart: CalendarDate("2024-01-01")!, periodEnd: CalendarDate("2024-12-31")!, rating: .good))
        #expect(scenario.refusal(early, on: "2026-04-10") == .invalidInput, "a period before the term starts")
    }

    @Test("the award rule reads the policy version the threshold assessment applied")
    func assessedPolicyVersion() throws {
        // Assessed under version 1 (no KPI threshold) before version 2 took effect: no KPIs asked.
        var scenario = Scenario(reference: try Self.withThreshold())
        try scenario.run(.register(Scenario.registration(value: "12000000")), on: "2024-12-01")
        try scenario.run(.assessThreshold, on: "2024-12-02")
        try scenario.run(.decideWeighting(percent: ExactDecimal(10), basis: .policyMinimum, answers: nil, overrideReason: nil), on: "2024-12-03")
        #expect(scenario.refusal(Self.award, by: Scenario.head, on: "2025-03-14") == nil)
    }
}
