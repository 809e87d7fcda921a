import LedgerValues
import LedgerValues
import SocialValue
import Testing

@Suite("Replay")
struct ReplayTests {
    /// Lancashire 2024-28 as shipped, with a new version, threshold and minimum, and date.
    static func revisedPolicy(version: String, threshold: String, minimum: String, from date: String) -> JSONValue {
        guard case .object(var document) = BuiltinReference.document(.policies, "lancashire-2024-28")!,
            case .object(var thresholdRule) = document["threshold"]!, case .object(var weighting) = document["weighting"]!
        else { fatalError("shipped policy changed shape") }
        thresholdRule["amountGBP"] = .string(threshold)
        weighting["minimumPercent"] = .string(minimum)
        document["threshold"] = .object(thresholdRule)
        document["weighting"] = .object(weighting)
        document["version"] = .string(version)
        document["effectiveDate"] = .string(date)
        return .object(document)
    }

    @Test("a replay under a policy superseded later still gives the original assessment and rules")
    func supersededPolicy() throws {
        var scenario = Scenario()
        try scenario.run(.register(Scenario.registration(value: "150000.00")), on: "2025-02-03")
        try scenario.run(.assessThreshold, on: "2025-02-03")

        // Version 2 raises the threshold to £200,000 and the minimum weighting to 15% from 2025-06-01.
        try scenario.reference.evolve(eventType: ReferenceData.policyAdopted, payload: ["policy": Self.revisedPolicy(version: "2", threshold: "200000.00", minimum: "15", from: "2025-06-01")])

        // The contract stays under the version that assessed it: 10% is still enough.
        #expect(scenario.refusal(.decideWeighting(percent: ExactDecimal(10), basis: .policyMinimum, answers: nil, overrideReason: nil), on: "2025-07-01") == nil)

        // A replay of the stored events, through their JSON payloads, gives the same state.
        var replayed = ContractState()
        for (index, event) in scenario.events.enumerated() {
            let decoded = try #require(try ContractEvent(type: event.type, payload: JSONValue(parsing: event.payload.canonicalText)))
            replayed.evolve(decoded, eventId: scenario.eventIds[index], effectiveDate: scenario.effectiveDates[index])
        }
        #expect(replayed == scenario.state)
        #expect(replayed.assessment?.policyVersion == "1")
        #expect(replayed.assessment?.outcome == .above)
        #expect(replayed.assessment?.threshold == Money(pence: 10_000_000))

        // A contract assessed after version 2 came into force is judged by it.
        var later = Scenario(contract: "C-2", reference: scenario.reference)
        try later.run(.register(Scenario.registration("C-2", value: "150000.00")), on: "2025-07-01")
        try later.run(.assessThreshold, on: "2025-07-01")
        #expect(later.state.assessment?.policyVersion == "2")
        #expect(later.state.assessment?.outcome == .below)
    }

    @Test("re-adopting a policy version with other content is refused; a new version is not")
    func policyVersions() throws {
        let data = Scenario.shipped
        let changed = try Policy(document: Self.revisedPolicy(version: "1", threshold: "1.00", minimum: "10", from: "2024-02-08"))
        #expect(throws: DomainError.self) { try data.adopt(changed) }
        let next = try Policy(document: Self.revisedPolicy(version: "2", threshold: "1.00", minimum: "10", from: "2027-01-01"))
        #expect(try data.adopt(next).stream == "policy/lancashire-2024-28")
    }

    @Test("every event type survives its JSON payload unchanged")
    func payloadRoundTrip() throws {
        var scenario = try Scenario.pledged()
        try scenario.run(.reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("NT1", "3"), ("NT29", "8")], evidence: "HR-1"), attributionConfirmed: true))
        try scenario.run(.correctDelivery(corrects: scenario.eventIds.last!, lines: Scenario.lines([("NT1", "2.5")], evidence: "HR-1b")), reason: "Part-time starter")
        try scenario.run(.refreshCommitments(revise: Scenario.lines([("NT1", "20")]), add: [], withdraw: ["NT10"], catalog: "lancashire-toms"), reason: "Re-price")
        try scenario.run(.close, on: "2028-04-01")
        for event in scenario.events {
            let decoded = try ContractEvent(type: event.type, payload: JSONValue(parsing: event.payload.canonicalText))
            #expect(decoded == event, "\(event.type)")
        }
        #expect(Set(scenario.events.map(\.type)).count == 9)
    }
}
