import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import LedgerValues
import Server
import Testing
import TestSupport
import Transparency

/// GET /checkpoint, the proofs, signing on commit, and the witness's HTTP answers.
@Suite("checkpoints and proofs over HTTP")
struct CheckpointRouteTests {
    static let command = #"{"command": "contract.register", "contract": "LCC-2099-001", "effectiveDate": "2026-01-05", "title": "Grit", "buyerDepartment": "Highways", "category": "goods", "estimatedWholeLifeValueGBP": "500000", "startDate": "2026-04-01", "endDate": "2027-03-31", "areasServed": ["Wyre"], "policyId": "lancashire-2024-28"}"#

    @Test("each commit signs its own head; the checkpoint is public and the proofs verify against it")
    func signsOnCommitAndProves() async throws {
        let fixture = try ServerFixture()
        let key = try NoteSigningKey(name: "council.example/svledger", type: .ed25519)
        try fixture.ledger.recordCheckpointKey(key.verifier, actor: ActorIdentity(id: "ada", role: "Administrator"), reason: nil, today: ServerFixture.today)
        fixture.ledger.signCheckpointsOnCommit(with: key)
        defer { fixture.ledger.signCheckpointsOnCommit(with: nil) }
        try await fixture.test { client in
            #expect(try await client.execute(uri: "/checkpoint", method: .get).status == .notFound)
            let created = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]), body: ByteBuffer(string: Self.command))
            #expect(created.status == .created, "\(created.text.prefix(300))")
            let answer = try await client.execute(uri: "/checkpoint", method: .get)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("text/plain") == true)
            let signed = try SignedCheckpoint(parsing: answer.text)
            try signed.verify(logKey: key.verifier)
            let head = try fixture.ledger.store.head().position
            #expect(signed.checkpoint.size == head, "the commit signed its own head")

            // An auditor proves the registration's inclusion, and consistency from an earlier size.
            let position = head    // the registration just recorded
            let inclusion = try #require(try await client.execute(uri: "/proofs/inclusion?position=\(position)&size=\(head)", method: .get, headers: fixture.headers("auditor")).json)
            let leafHash = try #require(TreeHash(base64: inclusion["leafHash"]?.stringValue ?? ""))
            let proof = try (inclusion["proof"]?.arrayValue ?? []).map { try #require(TreeHash(base64: $0.stringValue ?? "")) }
            try ProofVerification.verifyInclusion(proof, leafIndex: position - 1, size: head, leafHash: leafHash, root: signed.checkpoint.root)
            let consistency = try #require(try await client.execute(uri: "/proofs/consistency?from=3&to=\(head)", method: .get, headers: fixture.headers("north")).json)
            #expect(consistency["toRoot"]?.stringValue == signed.checkpoint.root.base64)

            // A supplier proves its own contract's events, not another's; a position past the head is refused.
            let ownEvent = try #require(fixture.ledger.store.read { reader in
                var found: UInt64?
                try reader.forEachEvent(inStream: "contract/LCC-2025-014") { found = $0.position; return false }
                return found
            })
            let otherEvent = try #require(fixture.ledger.store.read { reader in
                var found: UInt64?
                try reader.forEachEvent(inStream: "contract/LCC-2025-020") { found = $0.position; return false }
                return found
            })
            #expect(try await client.execute(uri: "/proofs/inclusion?position=\(ownEvent)", method: .get, headers: fixture.headers("north")).status == .ok)
            #expect(try await client.execute(uri: "/proofs/inclusion?position=\(otherEvent)", method: .get, headers: fixture.headers("north")).status == .notFound)
            #expect(try await client.execute(uri: "/proofs/inclusion?position=\(head + 1)", method: .get, headers: fixture.headers("auditor")).status == .unprocessableContent)
            #expect(try await client.execute(uri: "/proofs/inclusion?position=1", method: .get).status == .unauthorized)
        }
    }

    @Test("the witness cosigns over HTTP, answers 409 with its size as text/x.tlog.size, and keeps its state across a restart")
    func witnessOverHTTP() async throws {
        let directory = TemporaryDirectory("svledger-witness")
        let log = try NoteSigningKey(name: "council.example/svledger", type: .ed25519)
        let witnessKey = try NoteSigningKey(name: "witness.example/w1", type: .cosignatureV1)
        let store = try EventStore(path: directory.child("ledger"), mode: .create)
        for index in 0..<9 { try store.append([ProposedEvent(eventType: "NoteRecorded", effectiveDate: ServerFixture.today, actor: ActorIdentity(id: "a", role: "Contract Manager"), payload: ["i": .integer(Int64(index))])], to: "notes") }
        let first = try store.signCheckpoint(origin: log.verifier.name, key: log)
        let statePath = directory.child("witness")
        do {
            let witness = WitnessServer(key: witnessKey, logs: [log.verifier], state: try WitnessState(path: statePath))
            let answer = witness.addCheckpoint(AddCheckpointRequest(oldSize: 0, proof: [], checkpoint: first).body, now: 1_800_000_000)
            #expect(answer.status == 200, "\(answer.body)")
            var cosigned = first
            cosigned.add(cosignatures: try SignedNote(parsing: first.note.text + "\n" + answer.body).signatures)
            #expect(try cosigned.cosigners(among: [witnessKey.verifier]).first?.time == 1_800_000_000)
        }
        // Restarted on the same state: it remembers size 9.
        let witness = WitnessServer(key: witnessKey, logs: [log.verifier], state: try WitnessState(path: statePath))
        try store.append([ProposedEvent(eventType: "NoteRecorded", effectiveDate: ServerFixture.today, actor: ActorIdentity(id: "a", role: "Contract Manager"), payload: ["i": 9])], to: "notes")
        let second = try store.signCheckpoint(origin: log.verifier.name, key: log)
        let stale = witness.addCheckpoint(AddCheckpointRequest(oldSize: 0, proof: [], checkpoint: second).body, now: 1_800_000_100)
        #expect(stale.status == 409)
        #expect(stale.type == "text/x.tlog.size")
        #expect(stale.body == "9\n")
        let proof = try store.read { try $0.merkleTree().consistencyProof(from: 9, to: 10) }
        #expect(witness.addCheckpoint(AddCheckpointRequest(oldSize: 9, proof: proof, checkpoint: second).body, now: 1_800_000_200).status == 200)
        #expect(try witness.state.last(log.verifier.name)?.size == 10)
    }
}
