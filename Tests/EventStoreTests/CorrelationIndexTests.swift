import EventStore
import Foundation
import LedgerValues
import LMDB
import Testing
import TestSupport

/// The `correlations` index: written with the events, so a request's events are found by its
/// correlation id however far back; made from the log for a ledger written before it; and
/// checked by `verify`, which names a missing or stray entry.
@Suite("Correlation index")
struct CorrelationIndexTests {
    static func event(_ correlation: EventID?, _ index: Int) -> ProposedEvent {
        ProposedEvent(
            eventType: "NoteRecorded", effectiveDate: CalendarDate("2025-04-01")!, actor: Fixtures.officer,
            correlationId: correlation, payload: ["index": .integer(Int64(index))])
    }

    /// A ledger of 30 events: request A's two at positions 1 and 30, request B's at 2, and 26 without a correlation id.
    func ledger(_ directory: TemporaryDirectory) throws -> (store: EventStore, a: EventID, b: EventID) {
        let store = try Fixtures.store(in: directory)
        let a = EventID.generate(), b = EventID.generate()
        try store.append([Self.event(a, 0)], to: "notes")
        try store.append([Self.event(b, 1)], to: "other")
        for index in 2..<29 { try store.append([Self.event(nil, index)], to: "notes") }
        try store.append([Self.event(a, 29)], to: "notes")
        return (store, a, b)
    }

    @Test("a request's events are found by its correlation id, in log order, however many came after")
    func lookUp() throws {
        let directory = TemporaryDirectory()
        let (store, a, b) = try ledger(directory)
        let found = try store.read { reader in
            (try reader.positions(correlatedBy: a), try reader.positions(correlatedBy: b), try reader.positions(correlatedBy: EventID.generate()),
             try reader.events(correlatedBy: a).map(\.position))
        }
        #expect(found.0 == [1, 30])
        #expect(found.1 == [2])
        #expect(found.2 == [])
        #expect(found.3 == [1, 30])
        #expect(try store.verify().eventCount == 30)
    }

    @Test("a ledger without the index gets it, made from the log, when opened for writing; read-only, the log is read instead")
    func madeForOlderLedgers() throws {
        let directory = TemporaryDirectory()
        let (path, a) = try { () throws -> (String, EventID) in
            let (store, a, _) = try ledger(directory)
            try store.environment.write { txn in try txn.drop(try txn.openDatabase("correlations")) }
            return (store.environment.path, a)
        }()
        // One open per process: each store is let go before the next is opened.
        try {
            let readOnly = try EventStore(path: path, mode: .readOnly)
            #expect(try readOnly.read { try $0.positions(correlatedBy: a) } == [1, 30])
        }()
        let reopened = try EventStore(path: path, mode: .readWrite)
        #expect(try reopened.read { try $0.positions(correlatedBy: a) } == [1, 30])
        #expect(try reopened.verify().eventCount == 30)
    }

    @Test("verify names an event whose entry is missing, and the lowest position a stray entry points at")
    func verifyChecksIt() throws {
        let directory = TemporaryDirectory()
        let (store, a, b) = try ledger(directory)
        func key(_ id: EventID, _ position: UInt64) -> [UInt8] { id.bytes + withUnsafeBytes(of: position.bigEndian) { Array($0) } }
        let correlations = try store.environment.write { try $0.openDatabase("correlations") }
        try store.environment.write { txn in _ = try txn.delete(correlations, key: key(a, 30)) }
        let missing = #expect(throws: VerificationFailure.self) { try store.verify() }
        #expect(missing?.position == 30)
        #expect(missing?.problem.contains("correlation index entry") == true, "\(missing?.problem ?? "")")

        try store.environment.write { txn in
            try txn.put(correlations, key: key(a, 30), value: Array(key(a, 30).suffix(8)))
            try txn.put(correlations, key: key(b, 7), value: Array(key(b, 7).suffix(8)))     // event 7 has no correlation id
        }
        let stray = #expect(throws: VerificationFailure.self) { try store.verify() }
        #expect(stray?.position == 7)
        #expect(stray?.problem.contains("holds 4 entries for 3 events") == true, "\(stray?.problem ?? "")")
    }
}
