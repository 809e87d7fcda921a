import LedgerValues
import LedgerValues
import SocialValue
import Testing

/// Builds commands and runs them through decide/evolve with no storage at all.
struct Scenario {
    var reference: ReferenceData
    var today = CalendarDate("2026-11-22")!
    var state = ContractState()
    var events: [ContractEvent] = []
    var eventIds: [EventID] = []
    var effectiveDates: [CalendarDate] = []
    let contract: String

    static let procurement = ActorIdentity(id: "a.patel", role: "Procurement Officer")
    static let head = ActorIdentity(id: "r.shah", role: "Head of Procurement")
    static let supplier = ActorIdentity(id: "p.okafor", role: "Supplier Social Value Lead")

    /// Reference data with every shipped policy and catalog adopted.
    static let shipped: ReferenceData = {
        var data = ReferenceData()
        for name in ["lancashire-2024-28", "lancashire-draft", "leicestershire-2022"] {
            try! data.evolve(eventType: ReferenceData.policyAdopted, payload: ["policy": BuiltinReference.document(.policies, name)!])
        }
        for name in ["portal-003", "lancashire-toms-2024"] {
            try! data.evolve(eventType: ReferenceData.catalogPublished, payload: ["catalog": BuiltinReference.document(.catalogs, name)!])
        }
        return data
    }()

    init(contract: String = "C-1", reference: ReferenceData = Scenario.shipped) {
        self.contract = contract
        self.reference = reference
    }

    /// A command effective on `date`; by default 2025-02-03, or for a return, ten days after its quarter ends (its check, twenty).
    func command(_ action: ContractAction, by actor: ActorIdentity = procurement, reason: String? = "testing", on date: String? = nil) -> ContractCommand {
        ContractCommand(contract: contract, actor: actor, reason: reason, effectiveDate: Self.date(date, for: action), action: action)
    }

    static func date(_ given: String?, for action: ContractAction) -> CalendarDate {
        if let given { return CalendarDate(given)! }
        if case .reportDelivery(let quarter, _, _) = action { return quarter.lastDay.adding(days: 10) }
        // The check of a return comes after it: twenty days after its quarter.
        switch action {
        case .queryDelivery(let quarter, _, _), .answerQuery(let quarter, _, _, _), .decideValidation(let quarter, _, _): return quarter.lastDay.adding(days: 20)
        default: break
        }
        return CalendarDate("2025-02-03")!
    }

    /// Decides and, when accepted, folds the events in.
    @discardableResult
    mutating func run(_ action: ContractAction, by actor: ActorIdentity = procurement, reason: String? = "testing", on date: String? = nil) throws(DomainError) -> [ContractEvent] {
        let command = command(action, by: actor, reason: reason, on: date)
        let decided = try decide(command, state: state, context: DecisionContext(reference: reference, today: today))
        for event in decided {
            let id = EventID.generate()
            state.evolve(event, eventId: id, effectiveDate: command.effectiveDate)
            events.append(event)
            eventIds.append(id)
            effectiveDates.append(command.effectiveDate)
        }
        return decided
    }

    /// The refusal's rule, or `nil` if the action was accepted (and then folded in).
    mutating func refusal(_ action: ContractAction, by actor: ActorIdentity = procurement, reason: String? = "testing", on date: String? = nil) -> DomainError.Rule? {
        do {
            try run(action, by: actor, reason: reason, on: date)
            return nil
        } catch {
            return error.rule
        }
    }

    /// The refusal itself, or `nil` if the action was accepted (and then folded in).
    mutating func refusalError(_ action: ContractAction, by actor: ActorIdentity = procurement, reason: String? = "testing", on date: String? = nil) -> DomainError? {
        do {
            try run(action, by: actor, reason: reason, on: date)
            return nil
        } catch {
            return error
        }
    }

    static func registration(
        _ reference: String = "C-1", value: String = "4250000.00", policy: String = "lancashire-2024-28",
        category: ContractCategory = .services, start: String = "2025-04-01", end: String = "2028-03-31", existingSupplier: String? = nil,
        migrated: Bool = false
    ) -> Registration {
        Registration(
            reference: reference, title: "Highway resurfacing", buyerDepartment: "Highways", category: category,
            estimatedValue: try! ValueParsing.money(value), startDate: CalendarDate(start)!, endDate: CalendarDate(end)!,
            areasServed: ["Preston"], policyId: policy, existingSupplier: existingSupplier, migrated: migrated)
    }

    static func lines(_ pairs: [(String, String)], evidence: String? = nil) -> [QuantityLine] {
        pairs.map { QuantityLine(measure: $0.0, quantity: try! ValueParsing.quantity($0.1), evidence: evidence) }
    }

    /// Registered, assessed, weighted at 10% and awarded under Lancashire 2024-28.
    static func awarded(value: String = "4250000.00", start: String = "2025-04-01", end: String = "2028-03-31") throws -> Scenario {
        var scenario = Scenario()
        try scenario.run(.register(registration(value: value, start: start, end: end)))
        try scenario.run(.assessThreshold)
        try scenario.run(.decideWeighting(percent: ExactDecimal(10), basis: .policyMinimum, answers: nil, overrideReason: nil))
        try scenario.run(.award(supplier: "North Roads Ltd", date: CalendarDate("2025-03-14")!, value: Money(pence: 418_000_000)), by: head)
        return scenario
    }

    /// As ``awarded(value:start:end:)``, with a pledge of NT1 24 and NT10 70 under portal-003.
    static func pledged(start: String = "2025-04-01", end: String = "2028-03-31") throws -> Scenario {
        var scenario = try awarded(start: start, end: end)
        try scenario.run(.recordPledge(catalog: "portal-003@003.2", lines: lines([("NT1", "24"), ("NT10", "70")]), statedValues: [:]))
        return scenario
    }
}
