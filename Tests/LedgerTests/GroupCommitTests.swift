import EventStore
import LedgerValues
import Ledger
import SocialValue
import Testing
import TestSupport

@Suite("Ledger: group commit")
struct GroupCommitTests {
    let base = LedgerTests()

    @Test("requests decided in order, each all or none, the accepted ones in one transaction")
    func eachRequestKeepsItsOwnOutcome() throws {
        let directory = TemporaryDirectory()
        let ledger = try base.setUp(directory)
        let before = try ledger.store.head()
        let results = try ledger.executeGroup([
            Ledger.Request([try base.command(base.register)]),
            // Refused: a weighting below the minimum (and its assessment before it is undone with it).
            Ledger.Request([try base.command(base.assess), try base.command(base.lowWeighting)]),
            // Sees the first request's registration, not the refused request's assessment.
            Ledger.Request([try base.command(base.assess)]),
            // A stale If-Match: the stream is at 2 once the requests before it are decided.
            Ledger.Request([try base.command(base.lowWeighting)], expectedVersions: ["contract/C-1": 1]),
        ], today: LedgerTests.today)
        #expect(results.count == 4)
        let first = try results[0].get()
        #expect(first.recorded.map(\.eventType) == ["ContractRegistered"])
        guard case .failure(let refused as CommandFailure) = results[1] else { Issue.record("request 2 was not refused by a rule"); return }
        #expect(refused.index == 2 && refused.error.rule == .weightingBelowMinimum)
        let third = try results[2].get()
        #expect(third.recorded.map(\.eventType) == ["ThresholdAssessed"])
        #expect(third.recorded.map(\.streamVersion) == [2])
        guard case .failure(let conflict as EventStoreError) = results[3], case .wrongExpectedVersion = conflict else {
            Issue.record("request 4 was not a conflict: \(results[3])")
            return
        }
        // One transaction: consecutive positions, one head, a correlation id per request.
        #expect(first.recorded[0].position == before.position + 1 && third.recorded[0].position == before.position + 2)
        #expect(first.head == third.head)
        #expect(first.recorded[0].event.correlationId != third.recorded[0].event.correlationId)
        #expect(try ledger.contractState("C-1").version == 2)
        _ = try ledger.verifyAll()
    }

    @Test("a group of refusals writes nothing")
    func nothingAccepted() throws {
        let directory = TemporaryDirectory()
        let ledger = try base.setUp(directory)
        let before = try ledger.store.head()
        let results = try ledger.executeGroup([Ledger.Request([try base.command(base.assess)])], today: LedgerTests.today)
        #expect(throws: CommandFailure.self) { try results[0].get() }
        #expect(try ledger.store.head() == before)
    }
}
