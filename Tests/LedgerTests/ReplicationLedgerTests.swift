import EventStore
import Foundation
import Ledger
import LedgerValues
import SocialValue
import Testing
import TestSupport

/// A follower's ledger: its primary's events with the evidence files they cite, erasures
/// carried out, and the promotion that makes it a primary.
@Suite("Ledger: a follower's events, files and promotion")
struct ReplicationLedgerTests {
    static let today = EvidenceTests.today

    /// Every event `store` holds, as a follower receives it.
    static func events(_ store: EventStore, from position: UInt64 = 1) throws -> [ReplicatedEvent] {
        try store.read { reader in
            var events: [ReplicatedEvent] = []
            try reader.forEachEvent(from: position) { event in
                events.append(ReplicatedEvent(event))
                return true
            }
            return events
        }
    }

    @Test("the files a page cites are asked for once, kept with its events, and erased when the primary erases them; the follower verifies")
    func evidenceFollowsTheEvents() throws {
        let (primaryDirectory, followerDirectory) = (TemporaryDirectory(), TemporaryDirectory())
        let fixture = EvidenceTests()
        let primary = try fixture.pledged(primaryDirectory)
        let file = try EvidenceFile.describing(EvidenceTests.pdf, name: "starters-q1.pdf")
        _ = try primary.execute(commands: [try fixture.report([file])], today: Self.today, evidence: [EvidenceTests.pdf])

        let follower = try Ledger(store: try EventStore(path: followerDirectory.child("ledger"), mode: .create))
        try follower.store.setFollowedPrimary("http://primary.example:8080")
        let page = try Self.events(primary.store)
        let wanted = try follower.evidenceToFetch(page)
        #expect(wanted.map(\.file.sha256) == [file.sha256] && wanted.map(\.contract) == ["C-1"])
        // Bytes that are not the file are refused with the page.
        #expect(throws: DomainError.self) { try follower.appendReplicated(page, files: [file.sha256: EvidenceTests.png]) }
        #expect(try follower.store.head() == .empty)
        try follower.appendReplicated(page, files: [file.sha256: EvidenceTests.pdf])
        #expect(try follower.evidenceBytes(contract: "C-1", sha256: file.sha256).bytes == EvidenceTests.pdf)
        #expect(try follower.evidenceToFetch(page).isEmpty, "a file kept is not asked for again")
        #expect(try follower.verifyAll().notes.first == "evidence: 1 file citation kept intact, 0 erased")

        let erase = try fixture.command(#"{"command": "evidence.erase", "contract": "C-1", "actor": {"id": "d", "role": "Administrator"}, "reason": "asked", "sha256": "\#(file.sha256)"}"#)
        _ = try primary.execute(commands: [erase], today: Self.today)
        try follower.appendReplicated(try Self.events(primary.store, from: try follower.store.head().position + 1))
        #expect(try follower.evidence(contract: "C-1").map(\.status.code) == ["erased"])
        #expect(try follower.store.read { try $0.evidence(EventStore.evidenceDigest(EvidenceTests.pdf), stream: "contract/C-1") } == nil)
        #expect(try follower.store.head() == primary.store.head())
        #expect(try follower.verifyAll().notes == (try primary.verifyAll().notes))
    }

    @Test("promotion records FollowerPromoted with the former primary and the last event taken, and stops the ledger following; a primary is not promoted")
    func promotion() throws {
        let (primaryDirectory, followerDirectory, otherDirectory) = (TemporaryDirectory(), TemporaryDirectory(), TemporaryDirectory())
        let primary = try EvidenceTests().pledged(primaryDirectory)
        let follower = try Ledger(store: try EventStore(path: followerDirectory.child("ledger"), mode: .create))
        try follower.store.setFollowedPrimary("http://primary.example:8080")
        let taken = try follower.appendReplicated(try Self.events(primary.store))
        let operatorActor = ActorIdentity(id: "ops.lead", role: "Administrator")

        let outcome = try follower.recordPromotion(caughtUp: false, actor: operatorActor, reason: "primary's disk failed", today: Self.today)
        let event = try #require(outcome.recorded.first)
        #expect(event.streamId == Ledger.replicationStream && event.eventType == Ledger.promotedEventType)
        #expect(event.payload["formerPrimary"] == .string("http://primary.example:8080"))
        #expect(event.payload["caughtUp"] == .bool(false))
        #expect(event.payload["lastReplicated"] == ["position": .integer(Int64(taken.position)), "hash": .string(taken.hash.hex)])
        #expect(try follower.store.read { try $0.followedPrimary() } == nil)
        _ = try follower.verifyAll()

        let before = try follower.store.head()
        #expect(throws: PromotionError.self) { try follower.recordPromotion(caughtUp: true, actor: operatorActor, reason: "again", today: Self.today) }
        #expect(try follower.store.head() == before)
        // The former primary cannot take the promoted ledger's events as its own continuation.
        let promoted = try Self.events(follower.store, from: taken.position + 1)
        #expect(throws: EventStoreError.notAFollower) { try primary.appendReplicated(promoted) }
        // And a follower records no command of its own.
        let other = try Ledger(store: try EventStore(path: otherDirectory.child("ledger"), mode: .create))
        try other.store.setFollowedPrimary("http://primary.example:8080")
        let refusal = #expect(throws: EventStoreError.self) { try EvidenceTests().pledged(otherDirectory, ledger: other) }
        #expect(refusal?.kind == "read-only-follower")
    }
}
