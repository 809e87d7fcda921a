import Foundation
import LedgerValues
import SocialValue
import Testing

/// The JSON form of commands where plausibility needs it: whether an effective date was given,
/// a correction named by its quarter, a contract registered as migrated; and "did you mean".
@Suite("Command forms")
struct CommandFormTests {
    static let today = CalendarDate("2026-11-22")!
    static let actor = #""actor": {"id": "a.patel", "role": "Contract Manager"}"#

    static func contractCommand(_ text: String) throws -> ContractCommand {
        guard case .contract(let command) = try LedgerCommand.parse(try JSONValue(parsing: text), today: today) else {
            throw InputError(path: "", problem: "not a contract command")
        }
        return command
    }

    @Test("a command without an effective date takes the recording day, and its events say so")
    func effectiveDateDefaulted() throws {
        let pledge = #"{"command": "pledge.record", "contract": "C-1", \#(Self.actor), "catalog": "portal-003", "lines": [{"measure": "NT1", "quantity": "2"}]}"#
        let undated = try Self.contractCommand(pledge)
        #expect(undated.effectiveDate == Self.today)
        #expect(!undated.effectiveDateGiven)
        let dated = try Self.contractCommand(pledge.replacingOccurrences(of: #""catalog""#, with: #""effectiveDate": "2025-03-14", "catalog""#))
        #expect(dated.effectiveDate == CalendarDate("2025-03-14"))
        #expect(dated.effectiveDateGiven)

        let event = ContractEvent.closed(try #require(try Self.closure()))
        let recordedUndated = event.payload(decidedOn: undated)
        #expect(recordedUndated["effectiveDateDefaulted"] == .bool(true))
        #expect(ContractEvent.effectiveDateDefaulted(in: recordedUndated) == true)
        #expect(ContractEvent.effectiveDateDefaulted(in: event.payload(decidedOn: dated)) == false)
        #expect(ContractEvent.effectiveDateDefaulted(in: event.payload) == nil, "an event recorded before svledger said")
        // The flag is the envelope's business, not the event's: the payload reads back as the same event.
        #expect(try ContractEvent(type: event.type, payload: recordedUndated) == event)
    }

    static func closure() throws -> Closure? {
        var scenario = try Scenario.pledged()
        try scenario.run(.close, on: "2028-03-31")
        return scenario.state.closure
    }

    @Test("a correction names its return by event id, or by quarter (and measure), never both")
    func correctionForms() throws {
        let base = #"{"command": "delivery.correct", "contract": "C-1", \#(Self.actor), "reason": "r", "lines": [{"measure": "NT1", "quantity": "2", "evidence": "E"}]"#
        let byQuarter = try Self.contractCommand(base + #", "quarter": "2025-26-Q1", "measure": "NT1"}"#)
        #expect(byQuarter.action == .correctQuarter(
            quarter: FinancialQuarter("2025-26-Q1")!, measure: "NT1",
            lines: [QuantityLine(measure: "NT1", quantity: ExactDecimal(2), evidence: "E")]))
        let id = EventID.generate()
        let byId = try Self.contractCommand(base + #", "correctsEventId": "\#(id)"}"#)
        #expect(byId.action == .correctDelivery(corrects: id, lines: [QuantityLine(measure: "NT1", quantity: ExactDecimal(2), evidence: "E")]))

        for (tail, path) in [
            (#", "quarter": "2025-26-Q1", "correctsEventId": "\#(id)"}"#, "quarter"),
            (#", "measure": "NT1"}"#, "measure"),
            ("}", "correctsEventId"),
        ] {
            #expect(throws: InputError.self) { try Self.contractCommand(base + tail) }
            do { _ = try Self.contractCommand(base + tail) } catch let error as InputError { #expect(error.path == path, "\(tail)") }
        }
    }

    @Test("an award correction gives a value, a date or both; neither is refused, naming valueGBP")
    func awardCorrectionForm() throws {
        let base = #"{"command": "award.correct", "contract": "C-1", \#(Self.actor), "reason": "r""#
        #expect(try Self.contractCommand(base + #", "valueGBP": "£109,320"}"#).action == .correctAward(value: Money(pence: 10_932_000), date: nil))
        #expect(try Self.contractCommand(base + #", "awardDate": "2025-03-12"}"#).action == .correctAward(value: nil, date: CalendarDate("2025-03-12")))
        do {
            _ = try Self.contractCommand(base + "}")
            Issue.record("a correction of nothing was read")
        } catch let error as InputError {
            #expect(error.path == "valueGBP")
        }
        do {
            _ = try Self.contractCommand(base + #", "valueGBP": "1", "supplier": "Other Ltd"}"#)
            Issue.record("a supplier was read")
        } catch let error as InputError {
            #expect(error.path == "supplier", "the supplier is not corrected")
        }
    }

    @Test("a registration may say the contract is migrated; without the field it is not")
    func migratedField() throws {
        let register = #"{"command": "contract.register", "contract": "C-1", \#(Self.actor), "reason": "r", "title": "T", "buyerDepartment": "D", "category": "works", "estimatedWholeLifeValueGBP": "100", "startDate": "2023-06-01", "endDate": "2027-05-31", "areasServed": ["P"], "policyId": "lancashire-2024-28", "existingSupplier": "S""#
        guard case .register(let migrated) = try Self.contractCommand(register + #", "migrated": true}"#).action,
            case .register(let plain) = try Self.contractCommand(register + "}").action
        else { Issue.record("not a registration"); return }
        #expect(migrated.migrated)
        #expect(!plain.migrated)
        let event = ContractEvent.registered(migrated)
        #expect(event.payload["migrated"] == .bool(true))
        #expect(try ContractEvent(type: event.type, payload: event.payload) == event)
    }

    @Test("did you mean: the closest name within a slip, ignoring case; nothing when none is close", arguments: [
        ("LCC-2025-41", ["LCC-2025-014", "LCC-2025-041", "LEI-2025-007"], "LCC-2025-041"),
        ("contract-LCC-001", ["contract/LCC-001", "policy/lancashire-2024-28"], "contract/LCC-001"),
        ("nt1", ["NT1", "NT10", "NT1c"], "NT1"),
        ("NT100", ["NT1", "NT10", "NT10a"], "NT10"),
        ("ROADS", ["LCC-2025-014", "LEI-2025-007"], nil),
        ("X", [], nil),
    ] as [(String, [String], String?)])
    func suggestion(name: String, candidates: [String], expected: String?) {
        #expect(Suggestion.closest(to: name, among: candidates) == expected)
    }
}
