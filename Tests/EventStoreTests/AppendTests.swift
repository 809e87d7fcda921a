import EventStore
import LedgerValues
import Foundation
import Testing
import TestSupport

@Suite("Appending")
struct AppendTests {
    @Test("events get consecutive positions and per-stream versions, and read back as written")
    func positionsAndVersions() throws {
        let directory = TemporaryDirectory()
        let store = try Fixtures.store(in: directory)
        let first = Fixtures.event("ContractRegistered", payload: ["value": "1108152.00"])
        try store.append([first], to: "contract-A", expecting: .noStream)
        try store.append([Fixtures.event()], to: "contract-B", expecting: .noStream)
        let result = try store.append([Fixtures.event(), Fixtures.event()], to: "contract-A", expecting: .exact(1))
        #expect(result.positions == [3, 4])
        let (stored, versionA, versionB, streamCount) = try store.read { reader in
            (try reader.event(at: 1), try reader.streamVersion("contract-A"), try reader.streamVersion("contract-B"),
             try reader.streamCount())
        }
        #expect(stored?.event == first)
        #expect(stored?.streamVersion == 1)
        #expect(versionA == 3)
        #expect(versionB == 1)
        #expect(streamCount == 2)
        #expect(try store.read { try $0.streamVersion("contract") } == 0, "a prefix of a stream id is another stream")
    }

    @Test("a wrong expected version is a conflict that writes nothing")
    func conflictWritesNothing() throws {
        let directory = TemporaryDirectory()
        let store = try Fixtures.store(in: directory)
        try store.append([Fixtures.event()], to: "contract-A", expecting: .noStream)
        let before = try Fixtures.fileBytes(store)
        for expected in [ExpectedVersion.noStream, .exact(2)] {
            let error = #expect(throws: EventStoreError.self) {
                try store.append([Fixtures.event()], to: "contract-A", expecting: expected)
            }
            #expect(error == .wrongExpectedVersion(stream: "contract-A", expected: expected, actual: 1))
        }
        #expect(throws: EventStoreError.self) { try store.append([Fixtures.event()], to: "contract-new", expecting: .exact(1)) }
        #expect(try Fixtures.fileBytes(store) == before)
        #expect(try store.head().position == 1)
    }

    @Test("retrying an append with the same ids and content returns the original positions and writes nothing")
    func idempotentRetry() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let store = try Fixtures.store(in: directory, clock: clock)
        let events = [Fixtures.event(), Fixtures.event()]
        let original = try store.append(events, to: "contract-A", expecting: .noStream)
        let before = try Fixtures.fileBytes(store)
        clock.set("2026-06-01T00:00:00.000Z")
        // The retry carries the original expectation, which no longer holds: it is still a retry.
        let retry = try store.append(events, to: "contract-A", expecting: .noStream)
        #expect(retry.positions == original.positions)
        #expect(retry.wasAlreadyRecorded)
        #expect(!original.wasAlreadyRecorded)
        #expect(try Fixtures.fileBytes(store) == before)
    }

    @Test("the same event id with different content is refused")
    func reusedIdRefused() throws {
        let directory = TemporaryDirectory()
        let store = try Fixtures.store(in: directory)
        let id = EventID.generate()
        try store.append([Fixtures.event(id: id)], to: "contract-A")
        let other = Fixtures.event(payload: ["text": "changed"], id: id)
        #expect(throws: EventStoreError.eventIdReused(id, position: 1)) { try store.append([other], to: "contract-A") }
        #expect(throws: EventStoreError.eventIdReused(id, position: 1)) { try store.append([Fixtures.event(id: id)], to: "contract-B") }
        let mixed = #expect(throws: EventStoreError.self) { try store.append([Fixtures.event(id: id), Fixtures.event()], to: "contract-A") }
        if case .partialRetry = mixed {} else { Issue.record("expected a partial-retry error, got \(String(describing: mixed))") }
        #expect(try store.head().position == 1)
    }

    @Test("a batch with one bad event writes none of it", arguments: ["bad stream", "bad event", "duplicate id", "conflict", "hook throws"])
    func batchIsAllOrNothing(fault: String) throws {
        struct HookRefused: Error {}
        let directory = TemporaryDirectory()
        let store = try Fixtures.store(in: directory)
        try store.append([Fixtures.event()], to: "contract-A")
        let before = try Fixtures.fileBytes(store)
        let repeated = Fixtures.event()
        var batch = [
            StreamAppend(streamId: "contract-B", events: [Fixtures.event(), Fixtures.event()]),
            StreamAppend(streamId: "contract-C", events: [Fixtures.event()]),
        ]
        var hook: ((LedgerReader, [RecordedEvent]) throws -> Void)?
        switch fault {
        case "bad stream": batch.append(StreamAppend(streamId: "", events: [Fixtures.event()]))
        case "bad event": batch.append(StreamAppend(streamId: "contract-D", events: [Fixtures.event("")]))
        case "duplicate id": batch.append(StreamAppend(streamId: "contract-D", events: [repeated, repeated]))
        case "conflict": batch.append(StreamAppend(streamId: "contract-A", expectedVersion: .noStream, events: [Fixtures.event()]))
        default: hook = { _, _ in throw HookRefused() }
        }
        #expect(throws: (any Error).self) { try store.append(batch, within: hook) }
        #expect(try Fixtures.fileBytes(store) == before)
        #expect(try store.read { try $0.eventCount() } == 1)
    }

    @Test("the hook sees the new events inside the same transaction")
    func hookSeesEvents() throws {
        let directory = TemporaryDirectory()
        let store = try Fixtures.store(in: directory)
        var seen: [UInt64] = []
        var countInside = 0
        try store.append([StreamAppend(streamId: "s", events: [Fixtures.event(), Fixtures.event()])]) { reader, events in
            seen = events.map(\.position)
            countInside = try reader.eventCount()
        }
        #expect(seen == [1, 2])
        #expect(countInside == 2)
    }

    @Test("many appends into a tiny map grow it and lose nothing")
    func mapGrowthThroughTheStore() throws {
        let directory = TemporaryDirectory()
        let store = try Fixtures.store(in: directory, mapSize: 64 * 1024)
        for batch in 0..<20 {
            let events = (0..<25).map { Fixtures.event(payload: ["batch": .integer(Int64(batch)), "index": .integer(Int64($0)), "pad": .string(String(repeating: "p", count: 300))]) }
            try store.append(events, to: "stream-\(batch % 3)")
        }
        #expect(store.environment.mapSize > 64 * 1024)
        let report = try store.verify()
        #expect(report.eventCount == 500)
        #expect(report.streamCount == 3)
    }

    @Test("recordedAt never goes backwards when the clock does, within the tolerance")
    func recordedAtIsMonotonic() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let store = try Fixtures.store(in: directory, clock: clock)
        clock.set("2026-05-01T10:00:00.000Z")
        try store.append([Fixtures.event()], to: "s")
        clock.set("2026-05-01T09:56:00.000Z")
        try store.append([Fixtures.event()], to: "s")
        let times = try store.read { reader in try [1, 2].map { try reader.event(at: $0)!.recordedAt.description } }
        #expect(times == ["2026-05-01T10:00:00.000Z", "2026-05-01T10:00:00.000Z"])
        _ = try store.verify()
    }

    @Test("a clock behind the ledger by more than the tolerance is refused, unless the ledger's time is accepted")
    func clockBehindLedger() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        do {
            let store = try Fixtures.store(in: directory, clock: clock)
            clock.set("2031-06-01T12:00:00.000Z")
            try store.append([Fixtures.event()], to: "s")
            clock.set("2026-11-27T12:00:00.000Z")
            #expect(throws: EventStoreError.clockBehindLedger(
                lastRecordedAt: Timestamp("2031-06-01T12:00:00.000Z")!, now: Timestamp("2026-11-27T12:00:00.000Z")!)) {
                try store.append([Fixtures.event()], to: "s")
            }
            #expect(try store.head().position == 1)
        }
        let accepting = try EventStore(path: directory.child("ledger"), clock: { clock.read() }, acceptLedgerTimeAhead: true)
        try accepting.append([Fixtures.event()], to: "s")
        #expect(try accepting.read { try $0.event(at: 2)?.recordedAt.description } == "2031-06-01T12:00:00.000Z")
    }

    @Test("a clock past year 9999 is refused before anything is written")
    func clockOutOfRange() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let store = try Fixtures.store(in: directory, clock: clock)
        clock.set(millisecondsSinceEpoch: 253_402_300_800_000)
        #expect(throws: EventStoreError.self) { try store.append([Fixtures.event()], to: "s") }
        #expect(try store.head().position == 0)
    }

    @Test("invalid stream ids are refused with a reason", arguments: ["", "tab\there", String(repeating: "x", count: 201)])
    func invalidStreamIds(stream: String) throws {
        let directory = TemporaryDirectory()
        let store = try Fixtures.store(in: directory)
        let error = #expect(throws: EventStoreError.self) { try store.append([Fixtures.event()], to: stream) }
        #expect(error?.description.contains("invalid stream id") == true)
    }

    @Test("opening a missing ledger or creating over an existing one is refused")
    func openModes() throws {
        let directory = TemporaryDirectory()
        #expect(throws: EventStoreError.self) { _ = try EventStore(path: directory.child("absent"), mode: .readOnly) }
        do { _ = try Fixtures.store(in: directory) }
        #expect(throws: EventStoreError.alreadyExists(path: directory.child("ledger"))) {
            _ = try EventStore(path: directory.child("ledger"), mode: .create)
        }
    }
}

@Suite("Reading")
struct ReadingTests {
    /// Six events over three streams, recorded a day apart from 2026-01-01.
    func sampleLedger(_ directory: TemporaryDirectory) throws -> EventStore {
        let clock = ManualClock()
        let store = try Fixtures.store(in: directory, clock: clock)
        for (day, stream) in ["a", "b", "a", "c", "a", "b"].enumerated() {
            clock.set("2026-01-0\(day + 1)T09:00:00.000Z")
            try store.append([Fixtures.event(payload: ["day": .integer(Int64(day + 1))])], to: stream)
        }
        return store
    }

    @Test("reading forward from a position, through a position, and stopping early")
    func forward() throws {
        let directory = TemporaryDirectory()
        let store = try sampleLedger(directory)
        let positions: ([UInt64], [UInt64], [UInt64]) = try store.read { reader in
            var all: [UInt64] = [], window: [UInt64] = [], firstTwo: [UInt64] = []
            try reader.forEachEvent { all.append($0.position); return true }
            try reader.forEachEvent(from: 2, through: 4) { window.append($0.position); return true }
            try reader.forEachEvent { firstTwo.append($0.position); return firstTwo.count < 2 }
            return (all, window, firstTwo)
        }
        #expect(positions.0 == [1, 2, 3, 4, 5, 6])
        #expect(positions.1 == [2, 3, 4])
        #expect(positions.2 == [1, 2])
    }

    @Test("reading one stream, from a version and up to a global position")
    func stream() throws {
        let directory = TemporaryDirectory()
        let store = try sampleLedger(directory)
        let (all, fromTwo, asOfFour) = try store.read { reader in
            var all: [UInt64] = [], fromTwo: [UInt64] = [], asOfFour: [UInt64] = []
            try reader.forEachEvent(inStream: "a") { all.append($0.position); return true }
            try reader.forEachEvent(inStream: "a", fromVersion: 2) { fromTwo.append($0.streamVersion); return true }
            try reader.forEachEvent(inStream: "a", through: 4) { asOfFour.append($0.position); return true }
            return (all, fromTwo, asOfFour)
        }
        #expect(all == [1, 3, 5])
        #expect(fromTwo == [2, 3])
        #expect(asOfFour == [1, 3])
    }

    @Test("the last position recorded by a time is found for times before, between and after events")
    func asOfTime() throws {
        let directory = TemporaryDirectory()
        let store = try sampleLedger(directory)
        let answers = try store.read { reader in
            try ["2025-12-31T00:00:00.000Z", "2026-01-01T09:00:00.000Z", "2026-01-03T23:59:59.999Z", "2027-01-01T00:00:00.000Z"]
                .map { try reader.lastPosition(recordedAtOrBefore: Timestamp($0)!) }
        }
        #expect(answers == [0, 1, 3, 6])
    }
}
