import LedgerValues
import Testing
@testable import SocialValue

/// The council's check of returns (docs/validation.md): submitted → queried → answered →
/// validated or rejected, who may take each step, and what a correction does to it.
@Suite("Rules: the check of returns")
struct ValidationRuleTests {
    static let manager = ActorIdentity(id: "j.owusu", role: "Contract Manager")
    static let q1 = FinancialQuarter("2025-26-Q1")!

    /// A pledged contract with a Q1 return of NT1 3 and NT10 8.
    static func reported() throws -> Scenario {
        var scenario = try Scenario.pledged()
        try scenario.run(
            .reportDelivery(quarter: q1, lines: Scenario.lines([("NT1", "3"), ("NT10", "8")], evidence: "HR-1"), attributionConfirmed: true),
            by: Scenario.supplier)
        return scenario
    }

    static func status(_ scenario: Scenario, _ measure: String) -> ValidationStatus? {
        scenario.state.figures[FigureKey(quarter: q1, measure: measure)]?.status
    }

    @Test("a figure goes submitted, queried, answered, validated, each step by its own role")
    func wholeCheck() throws {
        var scenario = try Self.reported()
        #expect(Self.status(scenario, "NT1") == .submitted)
        let query = ContractAction.queryDelivery(quarter: Self.q1, measure: "NT1", question: "Which payroll?")
        #expect(scenario.refusal(query, by: Scenario.supplier) == .validationAuthority, "a supplier does not query its own figure")
        #expect(scenario.refusal(query, by: Scenario.procurement) == nil)
        #expect(Self.status(scenario, "NT1") == .queried)
        #expect(scenario.refusal(query, by: Scenario.procurement) == .validationState, "already queried")

        let validate = ContractAction.decideValidation(quarter: Self.q1, measures: ["NT1"], validated: true)
        #expect(scenario.refusal(validate, by: Self.manager) == .validationState, "not while a question is open")

        let answer = ContractAction.answerQuery(quarter: Self.q1, measure: "NT1", answer: "Payroll extract HR-1", lines: [])
        #expect(scenario.refusal(answer, by: Scenario.procurement) == .validationAuthority, "the officer does not answer its own question")
        #expect(scenario.refusal(answer, by: Scenario.supplier) == nil)
        #expect(Self.status(scenario, "NT1") == .answered)
        #expect(scenario.refusal(answer, by: Scenario.supplier) == .validationState, "nothing left to answer")

        #expect(scenario.refusal(validate, by: Scenario.head) == .validationAuthority, "a Contract Manager decides")
        #expect(scenario.refusal(validate, by: Self.manager, reason: nil) == .reasonRequired)
        #expect(scenario.refusal(validate, by: Self.manager, reason: "Payroll checked") == nil)
        #expect(Self.status(scenario, "NT1") == .validated)
        #expect(Self.status(scenario, "NT10") == .submitted, "only the figure named")
        guard case .deliveryValidated(let decision) = scenario.events.last else { Issue.record("no DeliveryValidated"); return }
        #expect(decision.figures == [.init(measure: "NT1", quantity: ExactDecimal(3))], "the quantity checked is recorded")
        #expect(scenario.refusal(validate, by: Self.manager) == .validationState, "validated once")
        #expect(scenario.refusal(query, by: Scenario.procurement) == .validationState, "a validated figure is corrected, not queried")
    }

    @Test("a correction submits a checked figure again, but leaves an open question open")
    func correctionResubmits() throws {
        var scenario = try Self.reported()
        try scenario.run(.decideValidation(quarter: Self.q1, measures: [], validated: true), by: Self.manager)
        #expect(Self.status(scenario, "NT1") == .validated)
        try scenario.run(.correctQuarter(quarter: Self.q1, measure: "NT1", lines: Scenario.lines([("NT1", "2")], evidence: "HR-1b")), by: Scenario.supplier)
        #expect(Self.status(scenario, "NT1") == .submitted)
        #expect(scenario.state.figures[FigureKey(quarter: Self.q1, measure: "NT1")]?.quantity == ExactDecimal(2))
        #expect(Self.status(scenario, "NT10") == .validated, "the other figure keeps its validation")

        try scenario.run(.queryDelivery(quarter: Self.q1, measure: "NT1", question: "Why two?"), by: Self.manager)
        try scenario.run(.correctQuarter(quarter: Self.q1, measure: "NT1", lines: Scenario.lines([("NT1", "1")], evidence: "HR-1c")), by: Scenario.supplier)
        #expect(Self.status(scenario, "NT1") == .queried, "the question still stands until answered")
    }

    @Test("an answer may put the figure right: a correction, then the answer, and only of the measure queried")
    func answerWithCorrection() throws {
        var scenario = try Self.reported()
        try scenario.run(.queryDelivery(quarter: Self.q1, measure: "NT10", question: "Eight weeks?"), by: Self.manager)
        let wrongMeasure = ContractAction.answerQuery(quarter: Self.q1, measure: "NT10", answer: "Fixed", lines: Scenario.lines([("NT1", "2")], evidence: "E"))
        #expect(scenario.refusal(wrongMeasure, by: Scenario.supplier) == .invalidInput)
        let events = try scenario.run(
            .answerQuery(quarter: Self.q1, measure: "NT10", answer: "Six, not eight", lines: Scenario.lines([("NT10", "6")], evidence: "APP-2")),
            by: Scenario.supplier, reason: nil)
        #expect(events.map(\.type) == ["DeliveryCorrected", "QueryAnswered"], "no reason needed: the answer says why")
        #expect(Self.status(scenario, "NT10") == .answered)
        #expect(scenario.state.figures[FigureKey(quarter: Self.q1, measure: "NT10")]?.quantity == ExactDecimal(6))
    }

    @Test("rejection may follow a query; a whole quarter's decision takes the figures it may, and says when there are none")
    func rejectionAndWholeQuarter() throws {
        var scenario = try Self.reported()
        try scenario.run(.queryDelivery(quarter: Self.q1, measure: "NT1", question: "Which payroll?"), by: Self.manager)
        let events = try scenario.run(.decideValidation(quarter: Self.q1, measures: [], validated: true), by: Self.manager)
        guard case .deliveryValidated(let decision)? = events.first else { Issue.record("no DeliveryValidated"); return }
        #expect(decision.figures.map(\.measure) == ["NT10"], "the queried figure is left for its answer")
        #expect(scenario.refusal(.decideValidation(quarter: Self.q1, measures: ["NT1"], validated: false), by: Self.manager) == nil, "rejected while queried")
        #expect(Self.status(scenario, "NT1") == .rejected)
        #expect(scenario.refusal(.decideValidation(quarter: Self.q1, measures: [], validated: true), by: Self.manager) == .validationState, "nothing left")
        #expect(scenario.refusal(.decideValidation(quarter: FinancialQuarter("2025-26-Q2")!, measures: [], validated: true), by: Self.manager) == .unknownFigure)
        #expect(scenario.refusal(.queryDelivery(quarter: Self.q1, measure: "NT18", question: "?"), by: Self.manager) == .unknownFigure)
        #expect(scenario.refusal(.decideValidation(quarter: Self.q1, measures: ["NT1", "NT1"], validated: false), by: Self.manager) == .duplicateMeasure)
    }

    @Test("the check of returns goes on after closure")
    func afterClosure() throws {
        var scenario = try Self.reported()
        try scenario.run(.close, on: "2028-04-30")
        #expect(scenario.refusal(.queryDelivery(quarter: Self.q1, measure: "NT1", question: "Which payroll?"), by: Self.manager) == nil)
        #expect(scenario.refusal(.answerQuery(quarter: Self.q1, measure: "NT1", answer: "HR-1", lines: []), by: Scenario.supplier) == nil)
        #expect(scenario.refusal(.decideValidation(quarter: Self.q1, measures: [], validated: true), by: Self.manager) == nil)
    }

    @Test("each event of the check reads back as recorded")
    func eventsRoundTrip() throws {
        var scenario = try Self.reported()
        try scenario.run(.queryDelivery(quarter: Self.q1, measure: "NT1", question: "Which payroll?"), by: Self.manager)
        try scenario.run(.answerQuery(quarter: Self.q1, measure: "NT1", answer: "HR-1", lines: []), by: Scenario.supplier)
        try scenario.run(.decideValidation(quarter: Self.q1, measures: ["NT1"], validated: true), by: Self.manager)
        try scenario.run(.decideValidation(quarter: Self.q1, measures: ["NT10"], validated: false), by: Self.manager)
        for event in scenario.events.suffix(4) {
            #expect(try ContractEvent(type: event.type, payload: event.payload) == event, "\(event.type)")
        }
    }

    @Test("a step of the check never takes effect before the figure it checks; a whole-quarter decision leaves such a figure out")
    func effectiveOrder() throws {
        var scenario = try Self.reported()   // the return is effective ten days after Q1 ends: 2025-07-10
        #expect(scenario.refusal(.queryDelivery(quarter: Self.q1, measure: "NT1", question: "?"), by: Self.manager, on: "2025-07-09") == .validationEffectiveOrder)
        #expect(scenario.refusal(.decideValidation(quarter: Self.q1, measures: ["NT1"], validated: true), by: Self.manager, on: "2025-07-01") == .validationEffectiveOrder)
        try scenario.run(.correctQuarter(quarter: Self.q1, measure: "NT1", lines: Scenario.lines([("NT1", "2")], evidence: "HR-1b")), by: Scenario.supplier, on: "2025-08-01")
        let events = try scenario.run(.decideValidation(quarter: Self.q1, measures: [], validated: true), by: Self.manager, on: "2025-07-20")
        guard case .deliveryValidated(let decision)? = events.first else { Issue.record("no DeliveryValidated"); return }
        #expect(decision.figures.map(\.measure) == ["NT10"], "NT1 was corrected effective 2025-08-01, after the decision's day")
        #expect(scenario.refusal(.decideValidation(quarter: Self.q1, measures: ["NT1"], validated: true), by: Self.manager, on: "2025-08-01") == nil)
    }

    @Test("an answer may correct a figure that a correction added to the quarter")
    func answerOnCorrectedFigure() throws {
        var scenario = try Self.reported()
        try scenario.run(.correctQuarter(quarter: Self.q1, measure: "NT1", lines: Scenario.lines([("NT1", "3"), ("NT18", "500")], evidence: "HR-1b")), by: Scenario.supplier, on: "2025-08-01")
        try scenario.run(.queryDelivery(quarter: Self.q1, measure: "NT18", question: "Which invoices?"), by: Self.manager, on: "2025-08-02")
        let events = try scenario.run(
            .answerQuery(quarter: Self.q1, measure: "NT18", answer: "Only 400", lines: Scenario.lines([("NT18", "400")], evidence: "INV-1")),
            by: Scenario.supplier, on: "2025-08-03")
        #expect(events.map(\.type) == ["DeliveryCorrected", "QueryAnswered"])
        #expect(scenario.state.figures[FigureKey(quarter: Self.q1, measure: "NT18")]?.quantity == ExactDecimal(400))
    }
}
