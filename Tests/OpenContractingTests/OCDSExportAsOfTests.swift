import EventStore
import Foundation
import LedgerValues
import Testing
import TestSupport

/// `--as-of D` exports exactly what a ledger holding only the events recorded by the end of
/// D exports: the same bytes, down to the publisher's head.
@Suite struct OCDSExportAsOfTests {
    /// The clock a copied ledger records by: set before each append, so every copied event keeps
    /// a chosen time.
    final class PinnedClock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Timestamp(millisecondsSinceEpoch: 0)
        var now: Timestamp {
            get { lock.withLock { time } }
            set { lock.withLock { time = newValue } }
        }
    }

    /// Copies `events` into a new ledger at `path`, each recorded at `recordedAt(index)`: the
    /// same envelopes, so the same chain hashes, as any other copy of the same events and times.
    static func copy(_ events: [RecordedEvent], to path: String, recordedAt: (Int) -> Timestamp) throws {
        let made = try CommandRunner.svledger(["init", "--ledger", path])
        try #require(made.status == 0, "\(made.stderr)")
        let clock = PinnedClock()
        let store = try EventStore(path: path, mode: .readWrite, clock: { clock.now })
        for (index, event) in events.enumerated() {
            clock.now = recordedAt(index)
            try store.append([event.event], to: event.streamId)
        }
    }

    @Test func asOfADayEqualsTheExportOfTheLedgerAsItWasThen() throws {
        let source = try OCDSLedger.lifecycle()
        let events = try EventStore(path: source.path, mode: .readOnly).read { reader in
            var all: [RecordedEvent] = []
            try reader.forEachEvent { all.append($0); return true }
            return all
        }
        // The first eight events (the policy, the catalog and T-1 up to its pledge) recorded on
        // 14 March 2025, the rest on 20 November 2025.
        let split = 8
        let march = Timestamp("2025-03-14T09:00:00.000Z")!, november = Timestamp("2025-11-20T09:00:00.000Z")!
        let time = { (index: Int) in
            Timestamp(millisecondsSinceEpoch: (index < split ? march : november).millisecondsSinceEpoch + Int64(index))
        }
        let directory = TemporaryDirectory("ocds-as-of")
        let whole = directory.child("whole"), then = directory.child("then")
        try Self.copy(events, to: whole, recordedAt: time)
        try Self.copy(Array(events.prefix(split)), to: then, recordedAt: time)

        for format in ["package", "records", "ndjson"] {
            let asOf = try CommandRunner.svledger(["export", "ocds", "--ledger", whole, "--format", format, "--as-of", "2025-03-14"])
            let earlier = try CommandRunner.svledger(["export", "ocds", "--ledger", then, "--format", format])
            try #require(asOf.status == 0 && earlier.status == 0, "\(asOf.stderr)\(earlier.stderr)")
            #expect(asOf.stdout == earlier.stdout, "\(format): --as-of differs from the ledger as it was")
            // And the day matters: the whole ledger's export holds more.
            let now = try CommandRunner.svledger(["export", "ocds", "--ledger", whole, "--format", format])
            #expect(now.stdout.count > asOf.stdout.count)
        }
        let package = try OCDSJSON.object(CommandRunner.svledger(["export", "ocds", "--ledger", then]).stdout)
        #expect((package["releases"] as? [Any])?.count == 6)
        #expect((package["uri"] as? String)?.hasPrefix("urn:svledger:ledger:8:") == true)
        #expect(package["publishedDate"] as? String == "2025-03-14T09:00:00.007Z")
    }
}
