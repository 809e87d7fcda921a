import EventStore
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

    func verify(_ path: String, expecting head: ChainHash? = nil) throws -> VerificationFailure? {
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
        let report = try store.verify(expectedHead: head.hash)
        #expect(report == VerificationReport(eventCount: 8, streamCount: 2, head: head))
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

    @Test("a head written down earlier no longer matches after more events")
    func expectedHead() throws {
        let directory = TemporaryDirectory()
        let (path, head) = try makeLedger(directory)
        #expect(try verify(path, expecting: head.hash) == nil)
        #expect(try verify(path, expecting: ChainHash.genesis)?.position == 8)
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
