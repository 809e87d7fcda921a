import EventStore
import LedgerValues
import Foundation
import Ledger
import SyntheticData
import Projections
import SocialValue
import Synchronization
import Testing
import TestSupport

/// A clock the test moves by hand, so that recorded times (and so "as of" dates) are known.
final class TestClock: Sendable {
    private let now = Mutex<Int64>(Timestamp("2026-01-05T09:00:00.000Z")!.millisecondsSinceEpoch)
    func read() -> Timestamp { Timestamp(millisecondsSinceEpoch: now.withLock { $0 }) }
    func set(_ day: String) { now.withLock { $0 = Timestamp("\(day)T09:00:00.000Z")!.millisecondsSinceEpoch } }
}

@Suite("Projections")
struct ProjectionTests {
    static let today = CalendarDate("2026-11-22")!
    let directory = TemporaryDirectory("svledger-projections")
    let clock = TestClock()

    func makeLedger() throws -> Ledger {
        let clock = self.clock
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create, clock: { clock.read() }))
        _ = try ledger.execute([
            .adoptPolicy(try Policy(document: BuiltinReference.document(.policies, "lancashire-2024-28")!), actor: Actors.head, reason: nil),
            .publishCatalog(try Catalog(document: BuiltinReference.document(.catalogs, "portal-003")!), actor: Actors.head, reason: nil),
        ], today: Self.today)
        return ledger
    }

    enum Actors {
        static let officer = ActorIdentity(id: "a.patel", role: "Procurement Officer")
        static let head = ActorIdentity(id: "r.shah", role: "Head of Procurement")
        static let supplier = ActorIdentity(id: "p.okafor", role: "Supplier")
    }

    func run(_ ledger: Ledger, _ contract: String, _ action: ContractAction, by actor: ActorIdentity = Actors.officer, on date: String = "2025-03-01", reason: String? = "test") throws -> Ledger.Outcome {
        try ledger.execute([.contract(ContractCommand(contract: contract, actor: actor, reason: reason, effectiveDate: CalendarDate(date)!, action: action))], today: Self.today)
    }

    static func lines(_ pairs: [(String, String)], evidence: String? = nil) -> [QuantityLine] {
        pairs.map { QuantityLine(measure: $0.0, quantity: try! ValueParsing.quantity($0.1), evidence: evidence) }
    }

    /// The hand-worked contract: a one-year term, a pledge of NT1 4 FTE, NT10 52 weeks and the
    /// record-only NT68 100%, four quarterly returns, a correction of Q3 and a refresh of NT1.
    /// Returns the positions just before the refresh and before the correction.
    /// A library contract for the year 2025-26 (£900,000), tendered at 10%, awarded to Hartley
    /// Build Ltd and pledged: NT1 4 FTE, NT10 52 weeks, record-only NT68 100%.
    func pledgedLibrary(_ ledger: Ledger, _ c: String, title: String) throws {
        _ = try run(ledger, c, .register(Registration(
            reference: c, title: title, buyerDepartment: "Property", category: .works, estimatedValue: Money(pence: 90_000_000),
            startDate: CalendarDate("2025-04-01")!, endDate: CalendarDate("2026-03-31")!, areasServed: ["Chorley"],
            policyId: "lancashire-2024-28", existingSupplier: nil)), on: "2025-02-01")
        _ = try run(ledger, c, .assessThreshold, on: "2025-02-01")
        _ = try run(ledger, c, .decideWeighting(percent: ExactDecimal(10), basis: .policyMinimum, answers: nil, overrideReason: nil))
        _ = try run(ledger, c, .award(supplier: "Hartley Build Ltd", date: CalendarDate("2025-03-20")!, value: Money(pence: 88_000_000)), by: Actors.head)
        _ = try run(ledger, c, .recordPledge(catalog: "portal-003@003.2", lines: Self.lines([("NT1", "4"), ("NT10", "52"), ("NT68", "100")]), statedValues: [:]), on: "2025-03-20")
    }

    @discardableResult
    func handWorkedContract(_ ledger: Ledger) throws -> (beforeRefresh: UInt64, beforeCorrection: UInt64) {
        let c = "HW-1"
        try pledgedLibrary(ledger, c, title: "Library refurbishment")
        clock.set("2026-01-20")
        // NT1 (FTE) and NT68 (%) are levels: each return says what was held that quarter.
        for (quarter, nt1, nt10) in [("2025-26-Q1", "4", "13"), ("2025-26-Q2", "4", "13"), ("2025-26-Q3", "3", "10")] {
            _ = try run(ledger, c, .reportDelivery(quarter: FinancialQuarter(quarter)!, lines: Self.lines([("NT1", nt1), ("NT10", nt10), ("NT68", "100")], evidence: "EV-\(quarter)"), attributionConfirmed: true), by: Actors.supplier)
        }
        let q3 = try ledger.snapshot().contract(c)!.deliveries.first { $0.quarter.description == "2025-26-Q3" }!.source
        clock.set("2026-02-10")
        let beforeRefresh = try ledger.store.head().position
        _ = try run(ledger, c, .refreshCommitments(revise: Self.lines([("NT1", "3")]), add: [], withdraw: [], catalog: nil), on: "2026-01-10", reason: "Two posts filled by the council's own scheme")
        clock.set("2026-02-20")
        let beforeCorrection = try ledger.store.head().position
        _ = try run(ledger, c, .correctDelivery(corrects: q3, lines: Self.lines([("NT10", "13")], evidence: "EV-Q3-rev")), by: Actors.supplier, reason: "Three apprentice weeks were left out")
        clock.set("2026-04-15")
        _ = try run(ledger, c, .reportDelivery(quarter: FinancialQuarter("2025-26-Q4")!, lines: Self.lines([("NT1", "2"), ("NT10", "13"), ("NT68", "100")], evidence: "EV-Q4"), attributionConfirmed: true), by: Actors.supplier)
        return (beforeRefresh, beforeCorrection)
    }

    @Test("reconciliation of the hand-worked contract, to the penny")
    func handWorkedReconciliation() throws {
        let ledger = try makeLedger()
        try handWorkedContract(ledger)
        let snapshot = try ledger.snapshot()

        // Year end, 2025-26-Q4: the whole term has elapsed (365 of 365 days), so expected = current.
        // NT1 is a level per year (FTE employed): returns of 4, 4, 3 and 2 FTE held in the four quarters
        // deliver (4 + 4 + 3 + 2) × ¼ = 3.25 FTE-years, never 13. Current 3 × £30,782 = £92,346.00;
        // delivered 3.25 × £30,782 = £100,041.50, capped at the £92,346.00 expected.
        // NT10: current 52 × £224.07 = £11,651.64; delivered 13 + 13 + 13 (Q3 corrected from 10) + 13 = 52 weeks = £11,651.64.
        // NT68 is record-only and a level over the term: 100% held in each quarter delivers 100 ×
        // 91/365 + 100 × 92/365 × 2 + 100 × 90/365 = 24.9315 + 25.2055 + 25.2055 + 24.6575 = 100, no £.
        // Pledged £123,128.00 + £11,651.64 = £134,779.64; current £103,997.64; delivered £111,693.14;
        // variance +£7,695.50; capped £103,997.64, rated good.
        let year = Reconciliation.compute(snapshot, period: FinancialQuarter("2025-26-Q4")!, contract: "HW-1")
        let contract = try #require(year.contracts.first)
        #expect(contract.amounts.original.plain == "134779.64")
        #expect(contract.amounts.current.plain == "103997.64")
        #expect(contract.amounts.delivered.plain == "111693.14")
        #expect(contract.amounts.expected.plain == "103997.64")
        #expect(contract.amounts.variance.plain == "7695.50")
        #expect(contract.amounts.capped.plain == "103997.64")
        #expect(contract.lines.first { $0.measure == "NT1" }?.deliveredQuantity == ExactDecimal(units: 325, scale: 2))
        #expect(contract.lines.first { $0.measure == "NT1" }?.byQuarter[FinancialQuarter("2025-26-Q3")!] == ExactDecimal(units: 75, scale: 2))
        #expect(contract.amounts.rating == .good)
        let nt68 = try #require(contract.lines.first { $0.measure == "NT68" })
        #expect(nt68.recordOnly)
        #expect(nt68.deliveredQuantity == ExactDecimal(100))
        #expect(nt68.amounts.delivered == .zero)
        #expect(contract.lateReturns.isEmpty)

        // Half year, 2025-26-Q2 (reporting date 2025-09-30): 183 of 365 days elapsed.
        // NT1 expected: £92,346.00 × 183 / 365 = £46,299.5014 → £46,299.50; delivered (4 + 4) × ¼ = 2 FTE-years × £30,782 = £61,564.00.
        // NT10 expected: £11,651.64 × 183 / 365 = £5,841.7811 → £5,841.78; delivered 26 × £224.07 = £5,825.82.
        // Totals: delivered £67,389.82, expected £52,141.28, variance +£15,248.54; capped £46,299.50 +
        // £5,825.82 = £52,125.32 (NT1's over-delivery does not make up for NT10's shortfall).
        let half = Reconciliation.compute(snapshot, period: FinancialQuarter("2025-26-Q2")!, contract: "HW-1").contracts[0]
        #expect(half.elapsedDays == 183)
        #expect(half.lines.first { $0.measure == "NT1" }?.amounts.expected.plain == "46299.50")
        #expect(half.lines.first { $0.measure == "NT10" }?.amounts.expected.plain == "5841.78")
        #expect(half.lines.first { $0.measure == "NT10" }?.amounts.delivered.plain == "5825.82")
        #expect(half.lines.first { $0.measure == "NT1" }?.expectedQuantity.description == "1.5041")
        #expect(half.amounts.delivered.plain == "67389.82")
        #expect(half.amounts.expected.plain == "52141.28")
        #expect(half.amounts.variance.plain == "15248.54")
        #expect(half.amounts.capped.plain == "52125.32")
    }

    @Test("a reconciliation without exceptions has the same lines, amounts and order, and no late return")
    func withoutExceptions() throws {
        let ledger = try makeLedger()
        try handWorkedContract(ledger)
        // A second contract whose only return, for Q1, leaves out NT68: Q1 is late by measure, Q2 and Q3 whole.
        try pledgedLibrary(ledger, "LATE-1", title: "Depot roof")
        _ = try run(ledger, "LATE-1", .reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Self.lines([("NT1", "4"), ("NT10", "13")], evidence: "E"), attributionConfirmed: true), by: Actors.supplier)
        let snapshot = try ledger.snapshot()
        let period = try #require(FinancialQuarter("2025-26-Q4"))
        let whole = Reconciliation.compute(snapshot, period: period)
        let late = try #require(whole.contracts.first { $0.reference == "LATE-1" })
        #expect(late.lateReturns.map(\.description) == ["2025-26-Q2", "2025-26-Q3"])
        #expect(late.incompleteReturns.map(\.measures) == [["NT68"]])

        let lines = Reconciliation.compute(snapshot, period: period, rollUp: false, exceptions: false)
        #expect(lines.contracts.map(\.reference) == whole.contracts.map(\.reference))
        #expect(lines.contracts.map(\.lines) == whole.contracts.map(\.lines))
        #expect(lines.contracts.map(\.amounts) == whole.contracts.map(\.amounts))
        #expect(lines.contracts.map(\.unpledged) == whole.contracts.map(\.unpledged))
        #expect(lines.portfolio == whole.portfolio)
        #expect(lines.contracts.allSatisfy { $0.lateReturns.isEmpty && $0.incompleteReturns.isEmpty && $0.kpiAssessmentsOverdue.isEmpty })
        #expect(lines.kpiAssessmentsOverdue.isEmpty)
    }

    @Test("a quarter's figure is found wherever it is among later quarters': a correction replaces it, a query and a validation reach it")
    func figuresFoundAcrossQuarters() throws {
        let ledger = try makeLedger()
        let c = "HW-2"
        try pledgedLibrary(ledger, c, title: "Library roof")
        clock.set("2026-01-20")
        let q1 = FinancialQuarter("2025-26-Q1")!, q2 = FinancialQuarter("2025-26-Q2")!
        // Q1's figures come before Q2's: corrections of Q1 after Q2's return must find them
        // there, and replace them (the last of them twice), not add to them.
        _ = try run(ledger, c, .reportDelivery(quarter: q1, lines: Self.lines([("NT1", "4"), ("NT10", "13"), ("NT68", "70")], evidence: "EV-Q1"), attributionConfirmed: true), by: Actors.supplier)
        _ = try run(ledger, c, .reportDelivery(quarter: q2, lines: Self.lines([("NT1", "4"), ("NT10", "12"), ("NT68", "90")], evidence: "EV-Q2"), attributionConfirmed: true), by: Actors.supplier)
        _ = try run(ledger, c, .correctQuarter(quarter: q1, measure: nil, lines: Self.lines([("NT68", "80")], evidence: "EV-Q1-a")), by: Actors.supplier)
        _ = try run(ledger, c, .correctQuarter(quarter: q1, measure: nil, lines: Self.lines([("NT68", "85"), ("NT1", "3")], evidence: "EV-Q1-b")), by: Actors.supplier)
        let manager = ActorIdentity(id: "c.manager", role: "Contract Manager")
        _ = try run(ledger, c, .queryDelivery(quarter: q1, measure: "NT68", question: "Which sites?"), by: manager)
        _ = try run(ledger, c, .decideValidation(quarter: q1, measures: ["NT10"], validated: true), by: manager)
        let deliveries = try #require(try ledger.snapshot().contract(c)).deliveries
        #expect(deliveries.map { "\($0.quarter) \($0.measure) \($0.quantity) \($0.status.rawValue)" } == [
            "2025-26-Q1 NT1 3 submitted", "2025-26-Q1 NT10 13 validated", "2025-26-Q1 NT68 85 queried", "2025-26-Q2 NT1 4 submitted",
            "2025-26-Q2 NT10 12 submitted", "2025-26-Q2 NT68 90 submitted",
        ])
        // A fold limited to the commitments in force keeps the same figures, found the same way.
        let inForce = try ledger.snapshot().limited(.commitmentsInForce(on: CalendarDate("2025-09-30")!), store: ledger.store)
        #expect(try #require(inForce.contract(c)).deliveries == deliveries)
    }

    @Test("a line that delivered more than twice its expected quantity to date is flagged for an evidence check")
    func overDelivery() throws {
        let ledger = try makeLedger()
        try handWorkedContract(ledger)
        let snapshot = try ledger.snapshot()
        // 2025-26-Q1 (reporting date 2025-06-30): 91 of 365 days. NT1 (pledged 4): expected
        // 4 × 91 / 365 = 0.9973 FTE-years, delivered a level of 4 for a quarter, 1: no flag. NT68
        // (record-only, 100): expected 24.9315, delivered 100 × 91/365 = 24.9315: no flag.
        let q1 = try #require(Reconciliation.compute(snapshot, period: FinancialQuarter("2025-26-Q1")!, contract: "HW-1").contracts.first)
        #expect(q1.lines.allSatisfy { !$0.overDelivered && $0.evidenceCheck == nil })

        // A second contract with the same term and pledge whose Q1 return says 8 FTE, 2 FTE-years:
        // 2 > 2 × 0.9973 = 1.9945, so NT1 is flagged; NT10's 26 weeks > 2 × 12.9644 too; NT68's 100% is not.
        let c = "HW-2"
        try pledgedLibrary(ledger, c, title: "Second library")
        _ = try run(ledger, c, .reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Self.lines([("NT1", "8"), ("NT10", "26"), ("NT68", "100")], evidence: "EV"), attributionConfirmed: true), by: Actors.supplier, on: "2025-07-10")
        let flagged = try #require(Reconciliation.compute(try ledger.snapshot(), period: FinancialQuarter("2025-26-Q1")!, contract: c).contracts.first)
        #expect(flagged.lines.map(\.overDelivered) == [true, true, false])
        #expect(flagged.lines[0].evidenceCheck == "delivered 2 is more than twice the 0.9973 expected to date")
        // Later in the year the same delivery is no longer far ahead of what was expected.
        let later = try #require(Reconciliation.compute(try ledger.snapshot(), period: FinancialQuarter("2025-26-Q2")!, contract: c).contracts.first)
        #expect(later.lines.allSatisfy { !$0.overDelivered })
        // A withdrawn line expects nothing any more: its delivery is not flagged.
        _ = try run(ledger, c, .refreshCommitments(revise: [], add: [], withdraw: ["NT1"], catalog: nil), on: "2025-07-15")
        let withdrawn = try #require(Reconciliation.compute(try ledger.snapshot(), period: FinancialQuarter("2025-26-Q1")!, contract: c).contracts.first)
        #expect(withdrawn.lines[0].withdrawn)
        #expect(!withdrawn.lines[0].overDelivered)
    }

    @Test("the projection holds a migration, an early termination and the events whose effective date was not given")
    func plausibilityFields() throws {
        let ledger = try makeLedger()
        let c = "MIG-1"
        let command = { (action: ContractAction, date: String, given: Bool, reason: String?) in
            LedgerCommand.contract(ContractCommand(
                contract: c, actor: Actors.officer, reason: reason, effectiveDate: CalendarDate(date)!, effectiveDateGiven: given, action: action))
        }
        _ = try ledger.execute([
            command(.register(Registration(
                reference: c, title: "Grounds maintenance", buyerDepartment: "Property", category: .services, estimatedValue: Money(pence: 190_000_000),
                startDate: CalendarDate("2023-06-01")!, endDate: CalendarDate("2027-05-31")!, areasServed: ["South Ribble"],
                policyId: "lancashire-2024-28", existingSupplier: "GreenEdge", migrated: true)), "2025-04-07", true, "Let in 2023, before the ledger"),
            command(.recordPledge(catalog: "portal-003", lines: Self.lines([("NT1", "4")]), statedValues: [:]), "2026-11-22", false, nil),
            command(.reportDelivery(quarter: FinancialQuarter("2023-24-Q2")!, lines: Self.lines([("NT1", "1")], evidence: "E"), attributionConfirmed: true), "2026-11-22", false, nil),
            command(.close, "2026-11-22", false, "Supplier in administration"),
        ], today: Self.today)
        let p = try #require(try ledger.snapshot().contract(c))
        #expect(p.migrated)
        #expect(p.migrationReason == "Let in 2023, before the ledger")
        #expect(p.earlyTermination)
        #expect(p.closureReason == "Supplier in administration")
        #expect(p.datesNotGiven.map(\.label) == ["pledge", "2023-24-Q2 return", "closure"])
        #expect(p.datesNotGiven.allSatisfy { $0.effectiveDate == CalendarDate("2026-11-22") })
        let stored = try ledger.store.read { reader in try reader.event(at: try reader.head().position)! }
        #expect(stored.payload["effectiveDateDefaulted"] == .bool(true))
        #expect(stored.payload["earlyTermination"] == .bool(true))
    }

    @Test("as of a date or position before a refresh and a correction, neither shows")
    func asOf() throws {
        let ledger = try makeLedger()
        let (beforeRefresh, beforeCorrection) = try handWorkedContract(ledger)
        let nt1 = { (snapshot: Snapshot) in snapshot.contract("HW-1")!.lines.first { $0.measure == "NT1" }!.current!.quantity.description }
        let q3 = { (snapshot: Snapshot) in snapshot.contract("HW-1")!.deliveries.first { $0.quarter.description == "2025-26-Q3" && $0.measure == "NT10" }!.quantity.description }

        #expect(nt1(try ledger.snapshot(at: beforeRefresh)) == "4")
        #expect(nt1(try ledger.snapshot(at: beforeRefresh + 1)) == "3")
        #expect(q3(try ledger.snapshot(at: beforeCorrection)) == "10")
        #expect(q3(try ledger.snapshot(at: beforeCorrection + 1)) == "13")

        // By date: the refresh was recorded on 2026-02-10, the correction on 2026-02-20.
        let byDate = { (day: String) in try ledger.snapshot(at: try Snapshot.position(asOf: CalendarDate(day)!, store: ledger.store)) }
        #expect(nt1(try byDate("2026-02-09")) == "4")
        #expect(nt1(try byDate("2026-02-10")) == "3")
        #expect(q3(try byDate("2026-02-19")) == "10")
        #expect(q3(try byDate("2026-02-20")) == "13")
        #expect(try byDate("2026-01-04").contracts.isEmpty, "nothing of HW-1 was recorded before 2026-01-05")
        // The snapshot names the head it was read at, so an auditor can check it against the chain.
        let past = try ledger.snapshot(at: beforeRefresh)
        #expect(past.hash == (try ledger.store.read { try $0.event(at: beforeRefresh)!.hash }))
    }

    @Test("every state of a long random run of commands is reproduced by an as-of fold, and agrees with the independent reconciliation", arguments: [11, 29, 47] as [UInt64])
    func storedEqualsReplay(seed: UInt64) throws {
        let ledger = try makeLedger()
        var random = SyntheticPortfolio.Random(seed: seed)
        var recorded: [(UInt64, [ContractProjection])] = []
        var accepted = 0, refused = 0
        let references = (0..<6).map { "R-\($0)" }
        let quarters = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4", "2026-27-Q1"]
        for step in 0..<240 {
            let c = references.randomElement(using: &random)!
            let state = try ledger.contractState(c).state
            let action: ContractAction
            switch (state.stage, Int.random(in: 0..<10, using: &random)) {
            case (_, 0) where !state.exists || Bool.random(using: &random):
                action = .register(Registration(reference: c, title: "Random \(c)", buyerDepartment: "D", category: .services, estimatedValue: Money(pence: Int64.random(in: 5_000_000...50_000_000, using: &random)), startDate: CalendarDate("2025-04-01")!, endDate: CalendarDate("2027-03-31")!, areasServed: ["A"], policyId: "lancashire-2024-28", existingSupplier: nil))
            case (.registered, _): action = .assessThreshold
            case (.assessed, _) where state.inScope: action = .decideWeighting(percent: ExactDecimal(Int.random(in: 9...12, using: &random)), basis: .policyMinimum, answers: nil, overrideReason: nil)
            case (.assessed, _), (.weighted, _): action = .award(supplier: "S\(Int.random(in: 0..<3, using: &random))", date: CalendarDate("2025-03-01")!, value: Money(pence: 1_000_000))
            case (.awarded, _): action = .recordPledge(catalog: "portal-003", lines: Self.lines([("NT1", "\(Int.random(in: 1...9, using: &random))"), ("NT10", "52"), ("CBC5 RBC1", "1000")]), statedValues: [:])
            case (.pledged, let roll) where roll < 6:
                action = .reportDelivery(quarter: FinancialQuarter(quarters.randomElement(using: &random)!)!, lines: Self.lines([(["NT1", "NT10", "NT29"].randomElement(using: &random)!, "\(Int.random(in: 0...20, using: &random))")], evidence: "E\(step)"), attributionConfirmed: true)
            case (.pledged, let roll) where roll < 8:
                if let target = state.returns.keys.randomElement(using: &random) {
                    action = .correctDelivery(corrects: target, lines: Self.lines([("NT10", "\(Int.random(in: 0...20, using: &random))")], evidence: "C\(step)"))
                } else { action = .close }
            case (.pledged, 8): action = .refreshCommitments(revise: Self.lines([("NT1", "\(Int.random(in: 1...9, using: &random))")]), add: [], withdraw: [], catalog: nil)
            default: action = Bool.random(using: &random) ? .close : .assessThreshold
            }
            do {
                _ = try run(ledger, c, action, by: Actors.head, on: "2025-03-01")
                accepted += 1
            } catch is CommandFailure {
                refused += 1
            }
            if step % 20 == 19 {
                let snapshot = try ledger.snapshot()
                recorded.append((snapshot.position, snapshot.contracts))
                // A read of one contract folds its stream alone, and finds what the whole fold does.
                for reference in references {
                    let alone = try Snapshot.folded(store: ledger.store, contract: reference)
                    #expect(alone.contracts == snapshot.contracts.filter { $0.reference == reference }, "\(reference) at step \(step)")
                    #expect(alone.head == snapshot.head)
                }
            }
        }
        #expect(accepted >= 40, "the generator should make many valid commands (accepted \(accepted), refused \(refused))")
        #expect(refused > 0, "and some refused ones, which must change nothing")
        // Every earlier state is reproduced exactly by an as-of replay.
        for (position, contracts) in recorded {
            #expect(try ledger.snapshot(at: position).contracts == contracts, "as of position \(position)")
        }
        // The independent reconciliation (tools/reconcile_ledger.py, written from the docs)
        // gives the same figures file as `svledger figures`, byte for byte, at the head and
        // part-way through the run.
        let agree = try CommandRunner.run("/usr/bin/env", [
            "python3", CommandRunner.repositoryRoot + "/tools/check_figures_agree.py", CommandRunner.svledgerPath, directory.child("ledger"),
            "--periods", quarters.joined(separator: ","), "--at", recorded.prefix(3).map { String($0.0) }.joined(separator: ","),
            "--contracts", "R-0|R-3|R-9",
        ])
        #expect(agree.status == 0, "\(agree.stdout) \(agree.stderr)")
    }

    @Test("commitments in force on a day are the same whether each changed contract's stream is walked, the log is folded once more, or folded once with the snapshot")
    func commitmentsInForceBothPaths() throws {
        let ledger = try makeLedger()
        try SyntheticPortfolio.populate(ledger, events: 3_000, eventsPerContract: 60)
        let snapshot = try ledger.snapshot()
        var differed = 0
        for day in ["2024-06-30", "2025-03-31", "2025-09-30", "2026-03-31", "2026-12-31"].compactMap(CalendarDate.init) {
            // 0: never one pass (always stream by stream); a million: always one pass.
            let walked = try snapshot.limited(.commitmentsInForce(on: day), store: ledger.store, onePassFraction: 0)
            let folded = try snapshot.limited(.commitmentsInForce(on: day), store: ledger.store, onePassFraction: 1_000_000)
            #expect(walked.contracts == folded.contracts, "on \(day)")
            // And one pass that folds the snapshot and its commitments in force together.
            let together = try Snapshot.foldedWithCommitments(store: ledger.store, inForceOn: day)
            #expect(together.snapshot.contracts == snapshot.contracts, "on \(day)")
            #expect(together.inForce.contracts == walked.contracts, "on \(day)")
            if walked.contracts != snapshot.contracts { differed += 1 }
        }
        #expect(differed > 0, "no day changed what was in force: the test would not tell the paths apart")
    }
}

@Suite("Recently used")
struct RecentlyUsedTests {
    @Test("a full map forgets the entry used longest ago, and a key it holds replaces without forgetting")
    func leastRecentlyUsedGoes() {
        var map = RecentlyUsed<String, Int>(limit: 3)
        for (index, key) in ["a", "b", "c"].enumerated() { #expect(map.insert(index, for: key) == nil) }
        #expect(map.value("a") == 0)  // a is now the most recently used; b the least
        let forgotten = map.insert(3, for: "d")
        #expect(forgotten?.key == "b" && forgotten?.value == 1)
        #expect(map.value("b") == nil)
        #expect(map.insert(9, for: "c") == nil)
        #expect(map.count == 3 && map.value("c") == 9 && map.value("a") == 0 && map.value("d") == 3)
        // c, a, d used in that order: c goes next.
        #expect(map.insert(4, for: "e")?.key == "c")
    }
}
