import EventStore
import Ledger
import LedgerValues
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

@Suite("A correction finds its figure")
struct CorrectionMatchTests {
    let directory = TemporaryDirectory("svledger-correction-match")

    /// The fold passes by a figure whose measure code's bytes differ (its projection keeps a
    /// digest of them beside the figures) and compares codes as text only when one of them is
    /// not ASCII, where two spellings can be one text: a log holding such a code is folded as
    /// `==` says.
    @Test("a correction replaces its own measure's figure, found by bytes, and by text when a code is not ASCII")
    func correctionsFindTheirFigure() throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 120, eventsPerContract: 30)
        var stream: [RecordedEvent] = []
        try ledger.store.read { reader in
            try reader.forEachEvent(from: 1, through: try reader.head().position) { event in
                if stream.isEmpty ? event.eventType == "ContractRegistered" : event.streamId == stream[0].streamId { stream.append(event) }
                return true
            }
        }
        let firstReturn = try #require(stream.firstIndex { $0.eventType == "DeliveryReported" })
        var fold = ContractFold()
        for event in stream[...firstReturn] { try fold.apply(event) }
        let report = stream[firstReturn]
        var position = report.position, version = report.streamVersion
        func next(_ type: String, _ payload: JSONValue) -> RecordedEvent {
            position += 1_000_000
            version += 1
            var event = report.event
            event.eventId = .generate()
            event.eventType = type
            event.payload = payload
            return RecordedEvent(
                position: position, streamId: report.streamId, streamVersion: version, recordedAt: report.recordedAt,
                previousHash: report.hash, hash: report.hash, event: event)
        }
        func line(_ measure: String, _ quantity: String) -> JSONValue {
            ["evidence": .string("EV"), "measure": .string(measure), "pledged": .bool(true), "quantity": .string(quantity)]
        }
        let quarter = "2040-41-Q1"
        var returned = try #require(report.payload.objectValue)
        returned["quarter"] = .string(quarter)
        // "NT1" and "NT10" share their first bytes; "\u{212A}9" (a Kelvin sign) is the text "K9".
        returned["lines"] = .array([line("NT1", "1"), line("NT10", "2"), line("\u{212A}9", "3")])
        let lateReturn = next("DeliveryReported", .object(returned))
        try fold.apply(lateReturn)
        let corrected: JSONValue = [
            "correctsEventId": .string(lateReturn.eventId.description), "effectiveDateDefaulted": .bool(false), "quarter": .string(quarter),
            "lines": .array([line("NT10", "20"), line("K9", "30")]),
        ]
        try fold.apply(next("DeliveryCorrected", corrected))
        let reference = String(report.streamId.dropFirst("contract/".count))
        let figures = try #require(fold.contract(reference)).deliveries.filter { $0.quarter.description == quarter }
        #expect(figures.map { "\($0.measure) \($0.quantity) \($0.corrected)" } == ["NT1 1 false", "NT10 20 true", "K9 30 true"])
    }
}
