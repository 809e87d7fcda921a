import EventStore
import Foundation
import LedgerValues
import LMDB
import Testing
import TestSupport

@Suite("Verification")
struct VerifyTests {
    /// A closed ledger of 8 events in two streams; returns its path and its head.
    func makeLedger(_ directory: TemporaryDirectory) throws -> (path: String, head: LedgerHead) {
        let store = try Fixtures.store(in: directory)
        for index in 0..<8 {
            try store.append([Fixtures.event(payload: ["index": .integer(Int64(index)), "note": "abcabc"])], to: index % 2 == 0 ? "even" : "odd")
        }
        return (store.environment.path, try store.head())
    }

    func verify(_ path: String, expecting head: ExpectedHead? = nil) throws -> VerificationFailure? {
        let store = try EventStore(path: path, mode: .readOnly)
        do {
            _ = try store.verify(expectedHead: head)
            return nil
        } catch let failure as VerificationFailure {
            return failure
        }
    }

    @Test("a good ledger verifies and reports its head")
    func goodLedger() throws {
        let directory = TemporaryDirectory()
        let (path, head) = try makeLedger(directory)
        let store = try EventStore(path: path, mode: .readOnly)
        let report = try store.verify(expectedHead: ExpectedHead(hash: head.hash))
        #expect(report == VerificationReport(eventCount: 8, streamCount: 2, head: head, expectedHead: head))
        #expect(report.expectedHeadFinding == "head matches the expected head at position 8")
    }

    @Test("an empty ledger verifies with the genesis head")
    func emptyLedger() throws {
        let directory = TemporaryDirectory()
        let store = try Fixtures.store(in: directory)
        #expect(try store.verify().head == .empty)
    }

    @Test("one changed byte in the stored hash or in the envelope is caught at its position", arguments: [3, 40, 120])
    func changedByte(offset: Int) throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        try LedgerTampering.changeByte(path, position: 5, offset: offset)
        let failure = try #require(try verify(path))
        #expect(failure.position == 5, "\(failure)")
    }

    @Test("an envelope rewritten in non-canonical form, with every hash recomputed, is caught at its position")
    func nonCanonicalEnvelope() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        // The last event gets a space after its opening brace: the same JSON value, and a
        // chain and head that agree with the new bytes, so only the canonical rule can object.
        try rewriteLastEnvelope(path) { canonical in [canonical[0], UInt8(ascii: " ")] + canonical[1...] }
        let failure = try #require(try verify(path))
        #expect(failure.position == 8)
        #expect(failure.problem.contains("canonical form"), "\(failure)")
    }

    @Test("a deleted event is caught as a gap at its position")
    func deletedEvent() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        try LedgerTampering.deleteEvent(path, position: 4)
        let failure = try #require(try verify(path))
        #expect(failure.position == 4)
        #expect(failure.problem.contains("missing"))
    }

    @Test("two swapped events are caught at the first of them")
    func swappedEvents() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        try LedgerTampering.swapEvents(path, 3, 6)
        let failure = try #require(try verify(path))
        #expect(failure.position == 3)
    }

    @Test("a truncated log is caught, naming where the log now ends")
    func truncatedLog() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        try LedgerTampering.truncate(path, keepingThrough: 6)
        let failure = try #require(try verify(path))
        #expect(failure.position == 7, "\(failure)")
    }

    /// The head the ledger had at `position`.
    func head(at position: UInt64, _ path: String) throws -> LedgerHead {
        let store = try EventStore(path: path, mode: .readOnly)
        return LedgerHead(position: position, hash: try #require(try store.read { try $0.event(at: position) }).hash)
    }

    func report(_ path: String, expecting head: ExpectedHead) throws -> VerificationReport {
        try EventStore(path: path, mode: .readOnly).verify(expectedHead: head)
    }

    @Test("a head written down earlier still holds after more events, found by its hash or given with its position")
    func expectedHeadAfterGrowth() throws {
        let directory = TemporaryDirectory()
        let (path, head) = try makeLedger(directory)
        let five = try self.head(at: 5, path)
        for expected in [ExpectedHead(hash: five.hash), ExpectedHead(position: 5, hash: five.hash)] {
            let report = try report(path, expecting: expected)
            #expect(report.expectedHead == five)
            #expect(report.head == head)
            #expect(report.expectedHeadFinding == "the ledger has grown from position 5 (hash still matches there) to 8")
        }
        // The genesis value is position 0's hash: the head of the empty ledger this one grew from.
        #expect(try report(path, expecting: ExpectedHead(hash: .genesis)).expectedHead == .empty)
        #expect(try report(path, expecting: ExpectedHead(position: 0, hash: .genesis)).expectedHead == .empty)
    }

    @Test("an expected head fails at its position when the hash there differs, past the end, or nowhere")
    func expectedHeadMismatch() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        let five = try head(at: 5, path)
        let wrongPosition = try #require(try verify(path, expecting: ExpectedHead(position: 4, hash: five.hash)))
        #expect(wrongPosition.position == 4)
        #expect(wrongPosition.problem.contains("differs from the expected \(five.hash.hex)"), "\(wrongPosition)")
        let pastTheEnd = try #require(try verify(path, expecting: ExpectedHead(position: 12, hash: five.hash)))
        #expect(pastTheEnd.position == 9, "the first missing position")
        #expect(pastTheEnd.problem.contains("the log ends at position 8"), "\(pastTheEnd)")
        let elsewhere = try #require(ChainHash(hex: String(repeating: "ab", count: 32)))
        let nowhere = try #require(try verify(path, expecting: ExpectedHead(hash: elsewhere)))
        #expect(nowhere.position == 8)
        #expect(nowhere.problem.contains("every position from 0 to 8"), "\(nowhere)")
        #expect(try verify(path, expecting: ExpectedHead(position: 1, hash: .genesis))?.position == 1)
    }

    @Test("an expected head's hash is checked after the ledger's own checks, which name their first failure")
    func expectedHeadAfterOtherChecks() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        let five = try head(at: 5, path)
        try LedgerTampering.changeByte(path, position: 7, offset: 40)
        // The head at 5 still holds, but the chain is broken at 7, and that is the failure.
        #expect(try verify(path, expecting: ExpectedHead(position: 5, hash: five.hash))?.position == 7)
    }

    @Test("an expected head is written HASH or POSITION:HASH; anything shorter or else is no head", arguments: [
        ("ab" + String(repeating: "0", count: 62), true), ("AB" + String(repeating: "0", count: 62), true),
        ("5:" + String(repeating: "c", count: 64), true), ("0:" + String(repeating: "0", count: 64), true),
        ("0000000000000005:" + String(repeating: "c", count: 64), true),
        ("abcdef012345", false), ("5:abcdef012345", false), ("", false), (":" + String(repeating: "c", count: 64), false),
        ("-5:" + String(repeating: "c", count: 64), false), ("+5:" + String(repeating: "c", count: 64), false),
        ("12345678901234567:" + String(repeating: "c", count: 64), false), ("5:" + String(repeating: "c", count: 64) + ":1", false),
        ("head 5 " + String(repeating: "c", count: 64), false), (String(repeating: "g", count: 64), false),
        (String(repeating: "c", count: 64) + " ", false),
    ])
    func expectedHeadForms(text: String, valid: Bool) {
        #expect((ExpectedHead(text) != nil) == valid)
    }

    // MARK: - Both verifiers on the same tampered ledger

    /// Runs `svledger`'s verifier and the independent Python one on `path`: both must fail
    /// and name `position` (Schemas/README.md §5), and each must mention `mentioning`.
    func expectBothFail(
        _ path: String, at position: UInt64, mentioning: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let failure = try verify(path)
        #expect(failure?.position == position, "\(failure.map(String.init(describing:)) ?? "svledger verify passed")", sourceLocation: sourceLocation)
        if let mentioning, let failure {
            #expect(failure.problem.contains(mentioning), "\(failure)", sourceLocation: sourceLocation)
        }
        let python = try CommandRunner.pythonVerifier([path])
        #expect(python.status == 1, "\(python.stdout)\(python.stderr)", sourceLocation: sourceLocation)
        #expect(python.stderr.hasPrefix("FAIL position \(position):"), "\(python.stderr)", sourceLocation: sourceLocation)
        if let mentioning {
            #expect(python.stderr.contains(mentioning), "\(python.stderr)", sourceLocation: sourceLocation)
        }
    }

    /// Both verifiers pass `path`.
    func expectBothPass(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try verify(path) == nil, sourceLocation: sourceLocation)
        let python = try CommandRunner.pythonVerifier([path])
        #expect(python.status == 0, "\(python.stderr)", sourceLocation: sourceLocation)
    }

    /// A ledger of 5 events whose envelopes carry every id field (eventId, correlationId,
    /// causationId) and, from position 2 on, a previousHash that is not the genesis value.
    func makeLedgerWithIds(_ directory: TemporaryDirectory) throws -> String {
        let store = try Fixtures.store(in: directory)
        for index in 0..<5 {
            var event = Fixtures.event(payload: ["index": .integer(Int64(index))])
            event.correlationId = .generate()
            event.causationId = .generate()
            try store.append([event], to: "stream-\(index % 2)")
        }
        return store.environment.path
    }

    @Test("rewriting the ledger and recomputing the chain, changing nothing, leaves it valid for both verifiers")
    func rechainAlone() throws {
        let directory = TemporaryDirectory()
        let path = try makeLedgerWithIds(directory)
        try rechain(path) { _, _ in }
        try expectBothPass(path)
    }

    @Test("hex in eventId, correlationId, causationId or previousHash must be lowercase, even with the chain recomputed",
          arguments: ["eventId", "correlationId", "causationId", "previousHash"])
    func uppercaseHex(field: String) throws {
        let directory = TemporaryDirectory()
        let path = try makeLedgerWithIds(directory)
        // Position 3's field in uppercase; every hash after it recomputed, so the chain, the
        // indexes (which hold bytes, not text) and the head all agree with the new bytes.
        try rechain(path) { position, text in
            if position == 3 { text = Self.uppercasing(field, in: text) }
        }
        try expectBothFail(path, at: 3, mentioning: field)
    }

    static func uppercasing(_ field: String, in text: String) -> String {
        let marker = "\"\(field)\":\""
        guard let start = text.range(of: marker)?.upperBound, let end = text[start...].firstIndex(of: "\"") else { return text }
        return text.replacingCharacters(in: start..<end, with: text[start..<end].uppercased())
    }

    @Test("a gap in positions names the first missing position, not the next key", arguments: [
        [UInt64(1)], [4, 5], [4, 5, 6, 7],
    ])
    func gapNamesFirstMissing(deleted: [UInt64]) throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        for position in deleted { try LedgerTampering.deleteEvent(path, position: position) }
        try expectBothFail(path, at: deleted[0], mentioning: "missing")
    }

    @Test("a log truncated together with its index entries names the first missing position", arguments: [UInt64(0), 3, 7])
    func truncatedWithIndexes(keepingThrough last: UInt64) throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        // meta/head still says 8: only it remembers the events removed.
        try LedgerTampering.truncate(path, keepingThrough: last)
        try removeIndexEntries(path, pointingPast: last)
        try expectBothFail(path, at: last + 1)
    }

    @Test("a head that falls behind the log names the first position it does not cover")
    func headBehindLog() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        try withDatabases(path) { txn, databases in
            let six = try #require(try txn.get(databases.log, key: Bytes.bigEndian(6)))
            try txn.put(databases.meta, key: Array("head".utf8), value: Bytes.bigEndian(6) + Array(six[0..<32]))
        }
        try expectBothFail(path, at: 7)
    }

    @Test("a missing or malformed recorded head names the last position", arguments: [nil, [UInt8](repeating: 0, count: 8)])
    func headUnreadable(replacement: [UInt8]?) throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        try withDatabases(path) { txn, databases in
            if let replacement {
                try txn.put(databases.meta, key: Array("head".utf8), value: replacement)
            } else {
                _ = try txn.delete(databases.meta, key: Array("head".utf8))
            }
        }
        try expectBothFail(path, at: 8)
    }

    /// A stream index key: stream id, 0x00, big-endian version.
    static func streamKey(_ stream: String, _ version: UInt64) -> [UInt8] { Array(stream.utf8) + [0] + Bytes.bigEndian(version) }

    @Test("a stray index entry pointing at an existing position names that position", arguments: [
        // (index, key, value, position named)
        ("streams", streamKey("ghost", 1), Bytes.bigEndian(3), UInt64(3)),         // a stream with no events
        ("streams", streamKey("even", 9), Bytes.bigEndian(2), 2),                  // past the stream's last version, duplicating position 2
        ("streams", streamKey("even", 0), Bytes.bigEndian(5), 5),                  // version 0
        ("streams", streamKey("ghost", 1), [0, 0, 0, 3], 8),                        // a value that is no position: the last position
        ("event-ids", EventID.generate().bytes, Bytes.bigEndian(5), 5),            // an id no event has, duplicating position 5
        ("event-ids", EventID.generate().bytes, Bytes.bigEndian(9), 9),            // past the end of the log
    ])
    func strayIndexEntry(database: String, key: [UInt8], value: [UInt8], named position: UInt64) throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        try withDatabases(path) { txn, databases in
            try txn.put(database == "streams" ? databases.streams : databases.eventIds, key: key, value: value)
        }
        try expectBothFail(path, at: position, mentioning: database == "streams" ? "stream" : "event-id")
    }

    @Test("of several stray entries, the lowest position they point at is named")
    func strayEntriesLowestPosition() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        try withDatabases(path) { txn, databases in
            try txn.put(databases.eventIds, key: EventID.generate().bytes, value: Bytes.bigEndian(6))
            try txn.put(databases.eventIds, key: EventID.generate().bytes, value: Bytes.bigEndian(3))
            try txn.put(databases.eventIds, key: EventID.generate().bytes, value: Bytes.bigEndian(11))
        }
        try expectBothFail(path, at: 3)
    }

    @Test("integers are canonical only without fraction or exponent and within ±(2^53 − 1)", arguments: [
        ("4.0", false), ("4e0", false), ("4E0", false), ("40e-1", false), ("4.5", false),
        ("9007199254740992", false), ("-9007199254740992", false), ("18446744073709551616", false),
        ("-0", false), ("04", false),
        ("9007199254740991", true), ("-9007199254740991", true), ("0", true),
    ])
    func integerForms(written: String, canonical: Bool) throws {
        let directory = TemporaryDirectory()
        let (path, _) = try makeLedger(directory)
        // Position 5's payload is {"index":4,"note":"abcabc"}.
        try rechain(path) { position, text in
            if position == 5 { text = text.replacingOccurrences(of: "\"index\":4,", with: "\"index\":\(written),") }
        }
        if canonical {
            try expectBothPass(path)
        } else {
            try expectBothFail(path, at: 5)
        }
    }

    // MARK: - Rewriting a ledger behind svledger's back

    struct Databases {
        let log: Database, streams: Database, eventIds: Database, meta: Database
    }

    /// Runs `body` in one write transaction on the closed ledger at `path`.
    func withDatabases(_ path: String, _ body: (Transaction, Databases) throws -> Void) throws {
        var options = Environment.Options()
        options.createDirectory = false
        let environment = try Environment(path: path, options: options)
        let databases = Databases(
            log: try environment.openDatabase("log"), streams: try environment.openDatabase("streams"),
            eventIds: try environment.openDatabase("event-ids"), meta: try environment.openDatabase("meta"))
        try environment.write { txn in try body(txn, databases) }
    }

    /// Rewrites the whole log as someone with write access could: `edit` changes the envelope
    /// text at each position, after its `previousHash` has been set to the new chain's; every
    /// stored hash, the head and the Merkle tree are recomputed, so only the format rules can
    /// object. (Only a checkpoint kept outside the ledger can catch such a rewrite.)
    func rechain(_ path: String, edit: (UInt64, inout String) -> Void) throws {
        try withDatabases(path) { txn, databases in
            var previous = ChainHash.genesis
            var position: UInt64 = 1
            while let stored = try txn.get(databases.log, key: Bytes.bigEndian(position)) {
                var text = String(decoding: stored[32...], as: UTF8.self)
                let start = try #require(text.range(of: "\"previousHash\":\"", options: .backwards)).upperBound
                text.replaceSubrange(start..<text.index(start, offsetBy: 64), with: previous.hex)
                edit(position, &text)
                let hash = ChainHash.link(previous: previous, canonical: Array(text.utf8))
                try txn.put(databases.log, key: Bytes.bigEndian(position), value: hash.bytes + Array(text.utf8))
                previous = hash
                position += 1
            }
            try txn.put(databases.meta, key: Array("head".utf8), value: Bytes.bigEndian(position - 1) + previous.bytes)
            // The Merkle tree too: dropped here, svledger makes it again from the new log the
            // next time it opens the ledger for writing, as it would for an old ledger.
            try txn.drop(try txn.openDatabase("merkle"))
        }
        _ = try EventStore(path: path, mode: .readWrite)
    }

    /// Deletes every `streams` and `event-ids` entry that points past `last`.
    func removeIndexEntries(_ path: String, pointingPast last: UInt64) throws {
        try withDatabases(path) { txn, databases in
            for database in [databases.streams, databases.eventIds] {
                var doomed: [[UInt8]] = []
                try txn.withCursor(database) { cursor in
                    var entry = try cursor.first()
                    while let current = entry {
                        if let position = Bytes.readBigEndian(current.value), position > last { doomed.append(Array(current.key)) }
                        entry = try cursor.next()
                    }
                }
                for key in doomed { _ = try txn.delete(database, key: key) }
            }
        }
    }

    /// Replaces the last event's canonical bytes with `rewrite(bytes)`, recomputing its stored
    /// hash and the head so that the chain agrees with the new bytes.
    func rewriteLastEnvelope(_ path: String, _ rewrite: ([UInt8]) -> [UInt8]) throws {
        var options = Environment.Options()
        options.createDirectory = false
        let environment = try Environment(path: path, options: options)
        let log = try environment.openDatabase("log"), meta = try environment.openDatabase("meta")
        try environment.write { txn in
            let head = try #require(try txn.get(meta, key: Array("head".utf8)))
            let position = try #require(Bytes.readBigEndian(head))
            let stored = try #require(try txn.get(log, key: Bytes.bigEndian(position)))
            let previous = try #require(try txn.get(log, key: Bytes.bigEndian(position - 1)))
            let bytes = rewrite(Array(stored[32...]))
            let hash = ChainHash.link(previous: try #require(ChainHash(bytes: Array(previous[0..<32]))), canonical: bytes)
            try txn.put(log, key: Bytes.bigEndian(position), value: hash.bytes + bytes)
            try txn.put(meta, key: Array("head".utf8), value: Bytes.bigEndian(position) + hash.bytes)
        }
    }
}
