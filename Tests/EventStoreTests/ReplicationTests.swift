import EventStore
import Foundation
import LedgerValues
import Testing
import TestSupport

/// A follower's append (``EventStore/appendReplicated(_:within:)``): another ledger's events,
/// byte for byte, only where they continue this ledger's chain, all of a batch or none.
@Suite("EventStore: replicated appends")
struct ReplicationTests {
    /// A primary with `count` events over two streams, and what it stored for each.
    func primary(_ directory: TemporaryDirectory, count: Int = 6) throws -> (EventStore, [ReplicatedEvent]) {
        let store = try Fixtures.store(in: directory)
        for n in 0..<count {
            try store.append([Fixtures.event(payload: ["n": .integer(Int64(n))])], to: n % 2 == 0 ? "notes-a" : "notes-b")
        }
        return (store, try Self.stored(store))
    }

    static func stored(_ store: EventStore) throws -> [ReplicatedEvent] {
        try store.read { reader in
            var events: [ReplicatedEvent] = []
            try reader.forEachEvent { event in
                events.append(ReplicatedEvent(event))
                return true
            }
            return events
        }
    }

    @Test("a follower fed every event of its primary, in pages, holds the same bytes, head and Merkle root, and verifies")
    func copiesByteForByte() throws {
        let (sourceDirectory, followerDirectory) = (TemporaryDirectory(), TemporaryDirectory())
        let (source, events) = try primary(sourceDirectory)
        let follower = try Fixtures.store(in: followerDirectory)
        try follower.setFollowedPrimary("http://primary.example")
        try follower.appendReplicated(Array(events[0..<4]))
        let head = try follower.appendReplicated(Array(events[4...]))
        #expect(head == (try source.head()))
        #expect(try Self.stored(follower) == events)
        #expect(try follower.read { try $0.treeRoot(size: 6) } == (try source.read { try $0.treeRoot(size: 6) }))
        #expect(try follower.read { try $0.streamVersion("notes-a") } == 3)
        _ = try follower.verify()
    }

    @Test("an altered byte, a gap, a replayed event, a fork or a batch that breaks midway is refused whole, naming the position, and writes nothing")
    func refusals() throws {
        let (sourceDirectory, followerDirectory, otherDirectory) = (TemporaryDirectory(), TemporaryDirectory(), TemporaryDirectory())
        let (_, events) = try primary(sourceDirectory)
        let follower = try Fixtures.store(in: followerDirectory)
        try follower.setFollowedPrimary("http://primary.example")
        try follower.appendReplicated(Array(events[0..<2]))
        let before = try Fixtures.fileBytes(follower)

        var altered = events[2].canonical
        let digit = try #require(altered.lastIndex(of: UInt8(ascii: "2")))   // the payload's n
        altered[digit] = UInt8(ascii: "7")
        let cases: [(String, [ReplicatedEvent], UInt64, String)] = [
            ("altered", [ReplicatedEvent(canonical: altered, hash: events[2].hash)], 3, "do not hash to the hash"),
            ("gap", [events[3]], 3, "says it is at position 4"),
            ("replayed", [events[1]], 3, "says it is at position 2"),
            ("midway", [events[2], events[4]], 4, "says it is at position 5"),
        ]
        for (name, batch, position, problem) in cases {
            let refusal = #expect(throws: ReplicationRefusal.self, "\(name)") { try follower.appendReplicated(batch) }
            #expect(refusal?.position == position, "\(name)")
            #expect(refusal?.problem.contains(problem) == true, "\(name): \(String(describing: refusal))")
            #expect(try Fixtures.fileBytes(follower) == before, "\(name) wrote nothing")
        }

        // Another ledger's event 3 follows another event 2: the histories differ.
        let (_, other) = try primary(otherDirectory)
        let fork = #expect(throws: ReplicationRefusal.self) { try follower.appendReplicated([other[2]]) }
        #expect(fork?.problem.contains("the two histories differ") == true, "\(String(describing: fork))")
        #expect(try Fixtures.fileBytes(follower) == before)
    }

    @Test("bytes that hash right but are not canonical JSON are refused: a follower stores only what verify accepts")
    func nonCanonicalBytes() throws {
        let (sourceDirectory, followerDirectory) = (TemporaryDirectory(), TemporaryDirectory())
        let follower = try Fixtures.store(in: followerDirectory)
        try follower.setFollowedPrimary("http://primary.example")
        let (_, events) = try primary(sourceDirectory, count: 1)
        // The same members with a space after the first brace, hashed as a dishonest primary would.
        let spaced = [UInt8(ascii: "{"), UInt8(ascii: " ")] + events[0].canonical.dropFirst()
        let hash = ChainHash.link(previous: LedgerHead.empty.hash, canonical: spaced)
        let refusal = #expect(throws: ReplicationRefusal.self) { try follower.appendReplicated([ReplicatedEvent(canonical: spaced, hash: hash)]) }
        #expect(refusal?.problem.contains("not the canonical form") == true, "\(String(describing: refusal))")
        #expect(try follower.head() == .empty)
    }

    @Test("meta/follows names the primary a ledger follows: it then records nothing of its own, and a ledger that follows none takes no other's events")
    func followsMark() throws {
        let (directory, sourceDirectory) = (TemporaryDirectory(), TemporaryDirectory())
        let (_, events) = try primary(sourceDirectory, count: 1)
        let store = try Fixtures.store(in: directory)
        #expect(try store.read { try $0.followedPrimary() } == nil)
        #expect(throws: EventStoreError.notAFollower) { try store.appendReplicated(events) }
        try store.setFollowedPrimary("https://svledger.council.example")
        #expect(try store.read { try $0.followedPrimary() } == "https://svledger.council.example")
        #expect(throws: EventStoreError.followerRecordsNothing(primary: "https://svledger.council.example")) {
            try store.append([Fixtures.event()], to: "notes-a")
        }
        #expect(try store.head() == .empty)
        try store.setFollowedPrimary(nil)
        #expect(try store.read { try $0.followedPrimary() } == nil)
        try store.append([Fixtures.event()], to: "notes-a")
        _ = try store.verify()
    }
}
