import EventStore
import LedgerValues
import Foundation
import Synchronization
import TestSupport

/// A clock the test moves by hand, so that `recordedAt` values are known.
final class ManualClock: Sendable {
    private let now = Mutex<Int64>(1_767_225_600_000)  // 2026-01-01T00:00:00.000Z

    func read() -> Timestamp { Timestamp(millisecondsSinceEpoch: now.withLock { $0 }) }
    func set(_ text: String) { now.withLock { $0 = Timestamp(text)!.millisecondsSinceEpoch } }
    func set(millisecondsSinceEpoch: Int64) { now.withLock { $0 = millisecondsSinceEpoch } }
}

enum Fixtures {
    static let officer = ActorIdentity(id: "jane.doe", role: "Contract Manager")

    static func event(
        _ type: String = "NoteRecorded", payload: JSONValue = ["text": "hello"], id: EventID = .generate()
    ) -> ProposedEvent {
        ProposedEvent(
            eventId: id, eventType: type, effectiveDate: CalendarDate("2025-04-01")!, actor: officer,
            reason: "testing", payload: payload)
    }

    /// A new ledger in its own temporary directory, with a manual clock.
    static func store(in directory: TemporaryDirectory, clock: ManualClock = ManualClock(), mapSize: Int = 1 << 30) throws -> EventStore {
        try EventStore(path: directory.child("ledger"), mode: .create, mapSize: mapSize, clock: { clock.read() })
    }

    /// The bytes of `data.mdb`, to prove a refused command changed nothing.
    static func fileBytes(_ store: EventStore) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: store.environment.path + "/data.mdb"))
    }
}
