import EventStore
import Ledger
import Projections
import SyntheticData
import Testing
import TestSupport

@Suite("Contract fold")
struct ContractFoldTests {
    let directory = TemporaryDirectory("svledger-contract-fold")

    @Test("a contract is filed under its stream's reference, whatever its registration states, and later events find it after another stream's")
    func filedUnderItsStream() throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 300, eventsPerContract: 30)
        var registrations: [RecordedEvent] = [], seconds: [String: RecordedEvent] = [:]
        try ledger.store.read { reader in
            try reader.forEachEvent(from: 1, through: try reader.head().position) { event in
                guard event.streamId.hasPrefix("contract/") else { return true }
                if event.eventType == "ContractRegistered" {
                    registrations.append(event)
                } else if seconds[event.streamId] == nil {
                    seconds[event.streamId] = event
                }
                return true
            }
        }
        let first = try #require(registrations.first), other = try #require(registrations.dropFirst().first)
        let second = try #require(seconds[first.streamId])
        // The first contract's events moved to a stream of another name: its registration still
        // states the old reference.
        func moved(_ event: RecordedEvent) -> RecordedEvent {
            RecordedEvent(
                position: event.position, streamId: "contract/ELSEWHERE", streamVersion: event.streamVersion, recordedAt: event.recordedAt,
                previousHash: event.previousHash, hash: event.hash, event: event.event)
        }
        var fold = ContractFold()
        try fold.apply(moved(first))
        try fold.apply(other)
        try fold.apply(moved(second))
        let filed = try #require(fold.contract("ELSEWHERE"))
        #expect(filed.version == second.streamVersion)
        #expect(fold.contract(String(first.streamId.dropFirst("contract/".count))) == nil)
        #expect(fold.sortedContracts.count == 2)
    }
}
