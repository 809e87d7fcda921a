import EventStore
import Foundation
import Ledger
import LedgerValues
import Testing
import TestSupport
import Transparency

/// Checkpoint keys as events, and the attacks a published checkpoint must catch
/// (issue 25, "Attacks, tested"): each is refused naming what does not hold.
@Suite("Checkpoints held against a ledger")
struct CheckpointTests {
    static let today = CalendarDate("2026-12-01")!
    static let admin = ActorIdentity(id: "ada", role: "Administrator")
    static let origin = "council.example/svledger"

    /// A ledger with `notes` events, `key` registered, and a checkpoint signed at its head.
    func ledger(_ directory: TemporaryDirectory, name: String = "ledger", notes: [String], key: NoteSigningKey) throws -> (Ledger, SignedCheckpoint) {
        let ledger = try Ledger(store: try EventStore(path: directory.child(name), mode: .create))
        try ledger.recordCheckpointKey(key.verifier, actor: Self.admin, reason: "the council's key", today: Self.today)
        for note in notes {
            _ = try ledger.append([StreamAppend(streamId: "notes", events: [ProposedEvent(
                eventType: "NoteRecorded", effectiveDate: Self.today, actor: Self.admin, payload: ["text": .string(note)])])])
        }
        return (ledger, try ledger.signCheckpoint(with: key))
    }

    @Test("keys: only a log key of the ledger's origin registers, once; a retired key signs nothing new, but its checkpoints stay the ledger's")
    func keys() throws {
        let directory = TemporaryDirectory()
        let key = try NoteSigningKey(name: Self.origin, type: .ed25519)
        let (ledger, first) = try ledger(directory, notes: ["a", "b"], key: key)
        #expect(throws: CheckpointError.keyAlreadyRegistered(key.verifier.vkey)) {
            try ledger.recordCheckpointKey(key.verifier, actor: Self.admin, reason: nil, today: Self.today)
        }
        let elsewhere = try NoteSigningKey(name: "other.example/log", type: .ed25519)
        #expect(throws: CheckpointError.originMismatch(log: Self.origin, key: "other.example/log")) {
            try ledger.recordCheckpointKey(elsewhere.verifier, actor: Self.admin, reason: nil, today: Self.today)
        }
        let witness = try NoteSigningKey(name: Self.origin, type: .cosignatureV1)
        #expect(throws: CheckpointError.notALogKey(witness.verifier.vkey)) {
            try ledger.recordCheckpointKey(witness.verifier, actor: Self.admin, reason: nil, today: Self.today)
        }
        // Rotation: a new key registered, the old one retired.
        let next = try NoteSigningKey(name: Self.origin, type: .ed25519)
        try ledger.recordCheckpointKey(next.verifier, actor: Self.admin, reason: "rotation", today: Self.today)
        try ledger.recordCheckpointKey(key.verifier, retiring: true, actor: Self.admin, reason: "rotation", today: Self.today)
        let retired = #expect(throws: CheckpointError.self) { try ledger.signCheckpoint(with: key) }
        #expect(retired?.kind == "checkpoint-key-retired")
        let second = try ledger.signCheckpoint(with: next)
        #expect(second.checkpoint.size == 5)
        #expect(try ledger.check(first).signer == key.verifier)
        #expect(try ledger.check(second).signer == next.verifier)
        #expect(try ledger.checkpointKeys().active == [next.verifier])
        let unknown = try NoteSigningKey(name: Self.origin, type: .ed25519)
        #expect(throws: CheckpointError.keyNotRegistered(unknown.verifier.vkey)) { try ledger.signCheckpoint(with: unknown) }
    }

    @Test("a ledger rebuilt from a changed history is caught by the published checkpoint, with the same key or a new one")
    func rebuiltHistory() throws {
        let directory = TemporaryDirectory()
        let key = try NoteSigningKey(name: Self.origin, type: .ed25519)
        let (_, published) = try ledger(directory, notes: ["pledge 100", "delivered 40"], key: key)

        // Same key, one event changed: every internal check passes, the checkpoint does not.
        let (sameKey, _) = try ledger(directory, name: "rebuilt-same-key", notes: ["pledge 100", "delivered 90"], key: key)
        #expect(try sameKey.verifyAll().eventCount == 3)
        let fork = #expect(throws: CheckpointError.self) { try sameKey.check(published) }
        guard case .forked(let size, _, _) = fork else { Issue.record("\(String(describing: fork))"); return }
        #expect(size == 3)
        #expect(fork?.description.contains("its history differs from the one the council published") == true)

        // A new key: without the published vkey, the checkpoint is not the ledger's; with it, a fork.
        let newKey = try NoteSigningKey(name: Self.origin, type: .ed25519)
        let (rebuilt, _) = try ledger(directory, name: "rebuilt-new-key", notes: ["pledge 100", "delivered 90"], key: newKey)
        let notOurs = #expect(throws: CheckpointError.self) { try rebuilt.check(published) }
        #expect(notOurs?.kind == "checkpoint-not-verified")
        let forked = #expect(throws: CheckpointError.self) { try rebuilt.check(published, key: key.verifier) }
        #expect(forked?.kind == "checkpoint-fork")
    }

    @Test("a truncated ledger, a bad signature, the wrong origin and an unknown key are each named")
    func otherAttacks() throws {
        let directory = TemporaryDirectory()
        let key = try NoteSigningKey(name: Self.origin, type: .ed25519)
        let (ledger, published) = try ledger(directory, notes: ["a", "b", "c"], key: key)
        let (shorter, _) = try self.ledger(directory, name: "shorter", notes: ["a"], key: key)
        #expect(throws: CheckpointError.beyondLedger(size: 4, head: 2)) { try shorter.check(published) }

        let altered = try SignedCheckpoint(parsing: published.serialized.replacingOccurrences(of: "\n4\n", with: "\n3\n"))
        let bad = #expect(throws: CheckpointError.self) { try ledger.check(altered) }
        #expect(bad?.description.contains("does not verify") == true, "\(bad?.description ?? "")")

        let otherLog = try NoteSigningKey(name: "other.example/log", type: .ed25519)
        let foreign = try SignedCheckpoint(try Checkpoint(origin: "other.example/log", size: 4, root: published.checkpoint.root), signedBy: otherLog)
        let wrongOrigin = #expect(throws: CheckpointError.self) { try ledger.check(foreign) }
        #expect(wrongOrigin?.description.contains("other.example/log") == true, "\(wrongOrigin?.description ?? "")")

        let stranger = try NoteSigningKey(name: Self.origin, type: .ed25519)
        let unsigned = try SignedCheckpoint(published.checkpoint, signedBy: stranger)
        let unknown = #expect(throws: CheckpointError.self) { try ledger.check(unsigned) }
        #expect(unknown?.description.contains("no key this ledger registered signed the checkpoint") == true, "\(unknown?.description ?? "")")
        #expect(try ledger.check(published).proof.isEmpty)
    }
}
