import EventStore
import LedgerValues
import Foundation
@testable import Ledger
import SocialValue
import Testing
import TestSupport

@Suite("Ledger: commands against the store")
struct LedgerTests {
    static let today = CalendarDate("2026-11-22")!

    func command(_ json: String) throws -> LedgerCommand {
        try LedgerCommand.parse(try JSONValue(parsing: json), today: Self.today, builtin: BuiltinReference.document)
    }

    func setUp(_ directory: TemporaryDirectory) throws -> Ledger {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        _ = try ledger.execute([
            try command(#"{"command": "policy.adopt", "builtin": "lancashire-2024-28", "actor": {"id": "r.shah", "role": "Head of Procurement"}}"#),
            try command(#"{"command": "catalog.publish", "builtin": "portal-003", "actor": {"id": "r.shah", "role": "Head of Procurement"}}"#),
        ], today: Self.today)
        return ledger
    }

    let register = #"{"command": "contract.register", "contract": "C-1", "actor": {"id": "a", "role": "Procurement Officer"}, "effectiveDate": "2025-02-03", "title": "Waste collection", "buyerDepartment": "Environment", "category": "services", "estimatedWholeLifeValueGBP": "£2,400,000", "startDate": "2025-04-01", "endDate": "2027-03-31", "areasServed": ["Chorley"], "policyId": "lancashire-2024-28"}"#
    let assess = #"{"command": "threshold.assess", "contract": "C-1", "actor": {"id": "a", "role": "Procurement Officer"}, "effectiveDate": "2025-02-03"}"#
    let lowWeighting = #"{"command": "weighting.decide", "contract": "C-1", "actor": {"id": "a", "role": "Procurement Officer"}, "percent": "9.99", "basis": "policy-minimum"}"#

    @Test("a batch whose last command is refused records nothing, and says which command failed")
    func batchIsAllOrNothing() throws {
        let directory = TemporaryDirectory()
        let ledger = try setUp(directory)
        let before = try ledger.store.head()
        let error = #expect(throws: CommandFailure.self) {
            try ledger.execute([try command(register), try command(assess), try command(lowWeighting)], today: Self.today)
        }
        #expect(error?.index == 3)
        #expect(error?.error.rule == .weightingBelowMinimum)
        #expect(try ledger.store.head() == before)
        #expect(try ledger.contractState("C-1").version == 0)
    }

    @Test("commands in one batch see the ones before them, and land in one transaction")
    func batchSeesItself() throws {
        let directory = TemporaryDirectory()
        let ledger = try setUp(directory)
        let outcome = try ledger.execute([try command(register), try command(assess)], today: Self.today)
        #expect(outcome.recorded.map(\.eventType) == ["ContractRegistered", "ThresholdAssessed"])
        #expect(Set(outcome.recorded.map(\.event.correlationId)).count == 1, "one correlation id per batch")
        let (state, version) = try ledger.contractState("C-1")
        #expect(version == 2)
        #expect(state.inScope)
        _ = try ledger.store.verify()
    }

    @Test("state remembered between commands is not trusted once another writer has moved the stream on")
    func rememberedStateFollowsOtherWriters() throws {
        let directory = TemporaryDirectory()
        let first = try setUp(directory)
        _ = try first.execute([try command(register), try command(assess)], today: Self.today)
        #expect(try first.contractState("C-1").version == 2)
        // A second writer on the same ledger (as another process would be) records a decision.
        let second = try Ledger(store: first.store)
        let weighting = #"{"command": "weighting.decide", "contract": "C-1", "actor": {"id": "a", "role": "Procurement Officer"}, "percent": "10", "basis": "policy-minimum"}"#
        _ = try second.execute([try command(weighting)], today: Self.today)
        // The first sees it. Deciding on its remembered state (version 2, no weighting) would
        // accept a second weighting and then fail on the expected version instead.
        #expect(try first.contractState("C-1").version == 3)
        let refusal = #expect(throws: CommandFailure.self) {
            try first.execute([try command(weighting.replacingOccurrences(of: "\"10\"", with: "\"12\""))], today: Self.today)
        }
        #expect(refusal?.error.rule == .lifecycleOrder)
        // A command from the first after the second's is decided on the second's state, and
        // the fold of the log holds both.
        let bids = #"{"command": "bids.evaluate", "contract": "C-1", "actor": {"id": "a", "role": "Procurement Officer"}, "effectiveDate": "2025-03-03", "catalog": "portal-003", "bidders": [{"bidder": "North Roads Ltd", "socialValueScore": "8.5", "lines": [{"measure": "NT1", "quantity": 24, "qualitativeScore": "4"}]}]}"#
        _ = try first.execute([try command(bids)], today: Self.today)
        #expect(try first.snapshot().contract("C-1")?.weighting != nil)
        // Both writers agree on the contract.
        #expect(try second.contractState("C-1").state == first.contractState("C-1").state)
        #expect(try second.contractState("C-1").version == first.contractState("C-1").version)
    }

    @Test("decision states folded from the log elsewhere are remembered, equal a replay, and a command is decided on them")
    func rememberedStates() throws {
        let directory = TemporaryDirectory()
        let ledger = try setUp(directory)
        _ = try ledger.execute([try command(register), try command(assess)], today: Self.today)
        var states = ContractStates()
        try ledger.store.read { reader in
            try reader.forEachEvent { event in
                if let reference = ContractEvent.reference(ofStream: event.streamId), let typed = try ContractEvent(type: event.eventType, payload: event.payload) {
                    states.evolve(reference, typed, eventId: event.eventId, effectiveDate: event.event.effectiveDate, version: event.streamVersion, position: event.position)
                }
                return true
            }
        }
        #expect(states.byContract["C-1"]?.tip.version == 2)
        let fresh = try Ledger(store: ledger.store)
        fresh.remember(states)
        #expect(try fresh.contractState("C-1").state == ledger.contractState("C-1").state)
        let weighting = #"{"command": "weighting.decide", "contract": "C-1", "actor": {"id": "a", "role": "Procurement Officer"}, "percent": "10", "basis": "policy-minimum"}"#
        #expect(try fresh.execute([try command(weighting)], today: Self.today).recorded.count == 1)
        #expect(try fresh.contractState("C-1").version == 3)
    }

    @Test("the state a command is decided on is handed over by the cache, and remembered again after a commit and after a refusal")
    func decisionStateComesBack() throws {
        let directory = TemporaryDirectory()
        let ledger = try setUp(directory)
        _ = try ledger.execute([try command(register), try command(assess)], today: Self.today)
        func remembered() throws -> ContractState? {
            let tip = try ledger.store.read { try $0.streamTip(ContractEvent.stream(contract: "C-1")) }
            return ledger.decisions.contract("C-1", at: try #require(tip))
        }
        let committed = try #require(try remembered())
        // A refused command leaves the state it was decided on, unchanged, for the next one.
        #expect(throws: CommandFailure.self) { try ledger.execute([try command(lowWeighting)], today: Self.today) }
        #expect(try remembered() == committed)
        #expect(try ledger.store.read { try Ledger.contractState($0, "C-1") }.state == committed, "what is remembered is what a replay gives")
    }

    @Test("reference data and contract state read as of an earlier position")
    func asOfPosition() throws {
        let directory = TemporaryDirectory()
        let ledger = try setUp(directory)
        _ = try ledger.execute([try command(register)], today: Self.today)
        _ = try ledger.execute([try command(assess)], today: Self.today)
        #expect(try ledger.referenceData(through: 1).catalogs.isEmpty)
        #expect(try ledger.referenceData(through: 2).catalogs.count == 1)
        #expect(try ledger.contractState("C-1", through: 3).state.assessment == nil)
        #expect(try ledger.contractState("C-1", through: 4).state.assessment != nil)
    }

    @Test("a command's JSON is checked field by field, naming the path")
    func inputErrors() {
        let cases: [(String, String)] = [
            (#"{"command": "pledge.record", "contract": "C-1", "actor": {"id": "a", "role": "r"}, "catalog": "portal-003", "lines": [{"measure": "NT1", "quantity": "-5"}]}"#, #"lines[0].quantity: "-5" must not be negative"#),
            (#"{"command": "pledge.recorded", "actor": {"id": "a", "role": "r"}}"#, "is not a command"),
            (#"{"command": "contract.close", "contract": "C-1", "actor": {"id": "a", "role": "r"}, "colour": "red"}"#, "colour: is not a known field"),
            (#"{"command": "delivery.report", "contract": "C-1", "actor": {"id": "a", "role": "r"}, "quarter": "2025-Q1", "lines": []}"#, "is not a quarter like 2025-26-Q1"),
            (#"{"command": "contract.close", "contract": "C-1", "actor": {"id": "a"}}"#, "actor.role: is required"),
            (#"{"command": "policy.adopt", "builtin": "portal-003", "actor": {"id": "a", "role": "r"}}"#, #"no shipped policy is called "portal-003""#),
            (#"{"command": "catalog.publish", "builtin": "portal-003", "effectiveDate": "2025-01-01", "actor": {"id": "a", "role": "r"}}"#, "takes effect on the date its own document gives"),
        ]
        for (json, expected) in cases {
            let error = #expect(throws: InputError.self) { _ = try command(json) }
            #expect(error?.description.contains(expected) == true, "\(String(describing: error)) should contain \(expected)")
        }
    }
}
