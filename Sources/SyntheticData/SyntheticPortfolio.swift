import Ledger
import LedgerValues
import SocialValue

/// A realistic synthetic portfolio for tests and benchmarks, the same for the same seed:
/// contracts under the shipped policies, pledges of 10 to 20 measures, quarterly returns and
/// corrections, every event decided by the domain rules like any other command.
public struct SyntheticPortfolio {
    /// A small, fast, seeded generator (SplitMix64), so that runs are repeatable.
    public struct Random: RandomNumberGenerator {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let officer = ActorIdentity(id: "synthetic.officer", role: "Procurement Officer")
    static let head = ActorIdentity(id: "synthetic.head", role: "Head of Procurement")
    static let supplier = ActorIdentity(id: "synthetic.supplier", role: "Supplier Social Value Lead")
    static let quarters = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4", "2026-27-Q1", "2026-27-Q2"].map { FinancialQuarter($0)! }

    /// Appends about `events` events (never fewer) to `ledger`, one contract per transaction,
    /// numbering contracts from `firstContract` (a later call adds contracts after earlier ones).
    /// - Parameter progress: called after each contract with the events written so far.
    /// - Returns: the number of events written.
    @discardableResult
    public static func populate(
        _ ledger: Ledger, events target: Int, eventsPerContract: Int = 100, seed: UInt64 = 2025, firstContract: Int = 1,
        progress: ((Int) -> Void)? = nil
    ) throws -> Int {
        var random = Random(seed: seed)
        let today = CalendarDate("2026-11-22")!
        let policy = try Policy(document: BuiltinReference.document(.policies, "lancashire-2024-28")!)
        let validatedPolicy = try ratingValidatedDelivery(policy)
        let catalog = try Catalog(document: BuiltinReference.document(.catalogs, "portal-003")!)
        let existing = try ledger.referenceData()
        var setUp: [LedgerCommand] = []
        if existing.policy(policy.id, version: policy.version) == nil { setUp.append(.adoptPolicy(policy, actor: head, reason: "synthetic")) }
        if existing.policy(validatedPolicy.id, version: validatedPolicy.version) == nil {
            setUp.append(.adoptPolicy(validatedPolicy, actor: head, reason: "synthetic: ratings on validated delivery from 2026-27"))
        }
        if existing.catalog(catalog.id, version: catalog.version) == nil { setUp.append(.publishCatalog(catalog, actor: head, reason: "synthetic")) }
        var written = setUp.isEmpty ? 0 : try ledger.execute(setUp, today: today).recorded.count
        let priced = catalog.order.filter { !catalog.measures[$0]!.isRecordOnly }
        var index = firstContract - 1
        while written < target {
            index += 1
            let share = min(eventsPerContract, max(16, target - written))
            let (reference, commands) = contractCommands(number: index, measures: priced, random: &random)
            written += try ledger.execute(commands, today: today).recorded.count
            // The council's check of some returns, before the corrections, so that some
            // corrections submit a checked figure again. Its own generator: the contracts and
            // returns stay those of the same seed.
            var checking = Random(seed: seed ^ UInt64(index) &* 0x2545_F491_4F6C_DD1D)
            written += try ledger.execute(checkCommands(reference, commands: commands, random: &checking), today: today).recorded.count
            // Corrections reference returns by the ids the ledger gave them, so they come second.
            let returns = try ledger.contractState(reference).state.returns.values.sorted { $0.quarter < $1.quarter }
            var corrections: [LedgerCommand] = []
            while commands.count + corrections.count < share, let target = returns.randomElement(using: &random) {
                let lines = target.lines.shuffled(using: &random).prefix(random.int(in: 1...2)).map {
                    QuantityLine(measure: $0.measure, quantity: quantity(&random), evidence: "EV-\(target.quarter)-rev")
                }
                corrections.append(.contract(ContractCommand(
                    contract: reference, actor: supplier, reason: "synthetic correction", effectiveDate: target.quarter.lastDay.adding(days: 30),
                    action: .correctDelivery(corrects: target.eventId, lines: Array(lines)))))
            }
            if !corrections.isEmpty { written += try ledger.execute(corrections, today: today).recorded.count }
            progress?(written)
        }
        return written
    }

    static let manager = ActorIdentity(id: "synthetic.manager", role: "Contract Manager")

    /// The shipped policy again as a later version, from 2026-04-01, whose ratings rate
    /// validated delivery: periods before it rate claimed delivery, later ones validated.
    static func ratingValidatedDelivery(_ policy: Policy) throws -> Policy {
        guard case .object(var members) = policy.document else { return policy }
        members["version"] = .string(policy.version + "-validated")
        members["effectiveDate"] = .string("2026-04-01")
        members["ratedDelivery"] = .string("validated")
        return try Policy(document: .object(members))
    }

    /// Two returns validated whole; one figure queried, answered, then validated or rejected.
    static func checkCommands(_ reference: String, commands: [LedgerCommand], random: inout Random) -> [LedgerCommand] {
        let returns: [(FinancialQuarter, [String])] = commands.compactMap {
            guard case .contract(let command) = $0, case .reportDelivery(let quarter, let lines, _) = command.action else { return nil }
            return (quarter, lines.map(\.measure))
        }
        guard returns.count >= 3 else { return [] }
        func command(_ action: ContractAction, _ actor: ActorIdentity, _ quarter: FinancialQuarter, after days: Int, reason: String? = nil) -> LedgerCommand {
            .contract(ContractCommand(contract: reference, actor: actor, reason: reason, effectiveDate: quarter.lastDay.adding(days: days), action: action))
        }
        let chosen = Array(returns.shuffled(using: &random).prefix(3))
        var checks = chosen.prefix(2).map { quarter, _ in
            command(.decideValidation(quarter: quarter, measures: [], validated: true), manager, quarter, after: 20, reason: "synthetic: evidence checked")
        }
        let (quarter, measures) = chosen[2]
        let measure = measures.randomElement(using: &random)!
        checks += [
            command(.queryDelivery(quarter: quarter, measure: measure, question: "synthetic: which records?"), officer, quarter, after: 15),
            command(.answerQuery(quarter: quarter, measure: measure, answer: "synthetic: payroll extract", lines: []), supplier, quarter, after: 18),
            command(.decideValidation(quarter: quarter, measures: [measure], validated: Bool.random(using: &random)), manager, quarter, after: 20, reason: "synthetic decision"),
        ]
        return checks
    }

    static func quantity(_ random: inout Random) -> ExactDecimal { ExactDecimal(units: Int128(random.int(in: 1...4000)), scale: 1) }

    /// Commissioning, award, a pledge of 10 to 20 measures, six quarterly returns and a review.
    static func contractCommands(number: Int, measures: [String], random: inout Random) -> (String, [LedgerCommand]) {
        let reference = "SYN-\(String(number).leftPadded(6))"
        func command(_ action: ContractAction, _ actor: ActorIdentity = officer, on date: String, reason: String? = nil) -> LedgerCommand {
            .contract(ContractCommand(contract: reference, actor: actor, reason: reason, effectiveDate: CalendarDate(date)!, action: action))
        }
        let value = Money(pence: Int64.random(in: 15_000_000...2_000_000_000, using: &random))
        var commands: [LedgerCommand] = [
            command(.register(Registration(
                reference: reference, title: "Synthetic contract \(number)", buyerDepartment: ["Highways", "Adult Services", "Property", "Environment"].randomElement(using: &random)!,
                category: ContractCategory.allCases.randomElement(using: &random)!, estimatedValue: value,
                startDate: CalendarDate("2025-04-01")!, endDate: CalendarDate("2028-03-31")!, areasServed: ["Preston"],
                policyId: "lancashire-2024-28", existingSupplier: nil)), on: "2025-02-01"),
            command(.assessThreshold, on: "2025-02-01"),
            command(.decideWeighting(percent: ExactDecimal(Int.random(in: 10...20, using: &random)), basis: .policyMinimum, answers: nil, overrideReason: nil), on: "2025-02-10"),
            command(.award(supplier: "Supplier \(number % 97)", date: CalendarDate("2025-03-14")!, value: value), head, on: "2025-03-14"),
        ]
        let pledged = Array(measures.shuffled(using: &random).prefix(Int.random(in: 10...min(20, measures.count), using: &random)))
        commands.append(command(.recordPledge(catalog: "portal-003@003.2", lines: pledged.map { QuantityLine(measure: $0, quantity: quantity(&random)) }, statedValues: [:]), on: "2025-03-14"))
        for quarter in quarters {
            commands.append(command(.reportDelivery(quarter: quarter, lines: pledged.map { QuantityLine(measure: $0, quantity: quantity(&random), evidence: "EV-\(quarter)") }, attributionConfirmed: true), supplier, on: quarter.lastDay.adding(days: 10).description))
        }
        commands.append(command(.refreshCommitments(revise: [QuantityLine(measure: pledged.randomElement(using: &random)!, quantity: quantity(&random))], add: [], withdraw: [], catalog: nil), on: "2026-06-01", reason: "synthetic review"))
        return (reference, commands)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
