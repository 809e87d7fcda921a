import Testing
@testable import Transparency

/// C2SP tlog-witness's rules, one by one: each refusal has its status, and a fork of what the
/// witness cosigned is never cosigned.
@Suite struct WitnessPolicyTests {
    static let origin = "council.example/svledger"

    /// A log of `count` leaves made of `prefix` and then numbered leaves.
    static func tree(_ count: Int, fork: Bool = false) -> MerkleTree<MerkleTreeTests.InMemory> {
        var store = MerkleTreeTests.InMemory()
        for index in 0..<count { store.append(Array("event \(index)\(fork && index == 2 ? " changed" : "")".utf8)) }
        return MerkleTree(source: store, size: UInt64(count))
    }

    static func request(_ tree: MerkleTree<MerkleTreeTests.InMemory>, size: UInt64, old: UInt64, key: NoteSigningKey) throws -> AddCheckpointRequest {
        let checkpoint = try Checkpoint(origin: origin, size: size, root: try tree.root(size: size))
        return AddCheckpointRequest(
            oldSize: old, proof: old == 0 ? [] : try tree.consistencyProof(from: old, to: size), checkpoint: try SignedCheckpoint(checkpoint, signedBy: key))
    }

    @Test func cosignsOnlyWhatExtendsWhatItSaw() throws {
        let key = try NoteSigningKey(name: Self.origin, type: .ed25519)
        let policy = WitnessPolicy(logs: [key.verifier])
        let tree = Self.tree(20)

        let first = try policy.decide(try Self.request(tree, size: 7, old: 0, key: key), last: nil)
        #expect(first.size == 7)
        let last = (size: UInt64(7), root: first.root)
        // The body round-trips as the protocol writes it.
        let request = try Self.request(tree, size: 20, old: 7, key: key)
        #expect(try AddCheckpointRequest(body: request.body) == request)
        #expect(try policy.decide(request, last: last).size == 20)

        // A stale old size: 409 with the size the witness holds.
        #expect(throws: WitnessRefusal.conflict(currentSize: 7)) { try policy.decide(try Self.request(tree, size: 20, old: 0, key: key), last: last) }
        // A fork: the same size 7 root differs in the forked log, so the proof fails: 422.
        let forked = Self.tree(20, fork: true)
        let refusal = #expect(throws: WitnessRefusal.self) { try policy.decide(try Self.request(forked, size: 20, old: 7, key: key), last: last) }
        #expect(refusal?.status == 422)
        // The same size with another root: 422 too.
        let sameSize = #expect(throws: WitnessRefusal.self) { try policy.decide(try Self.request(forked, size: 7, old: 7, key: key), last: last) }
        #expect(sameSize?.status == 422)
    }

    @Test func refusesUnknownLogsBadSignaturesAndMalformedRequests() throws {
        let key = try NoteSigningKey(name: Self.origin, type: .ed25519)
        let policy = WitnessPolicy(logs: [key.verifier])
        let tree = Self.tree(5)

        let stranger = try NoteSigningKey(name: "other.example/log", type: .ed25519)
        let otherLog = AddCheckpointRequest(oldSize: 0, proof: [], checkpoint: try SignedCheckpoint(try Checkpoint(origin: "other.example/log", size: 5, root: try tree.root(size: 5)), signedBy: stranger))
        #expect(throws: WitnessRefusal.unknownLog("other.example/log")) { try policy.decide(otherLog, last: nil) }

        let impostor = try NoteSigningKey(name: Self.origin, type: .ed25519)
        #expect((#expect(throws: WitnessRefusal.self) { try policy.decide(try Self.request(tree, size: 5, old: 0, key: impostor), last: nil) })?.status == 403)

        var altered = try Self.request(tree, size: 5, old: 0, key: key)
        let tampered = altered.body.replacingOccurrences(of: "\n5\n", with: "\n4\n")
        altered = try AddCheckpointRequest(body: tampered)
        #expect((#expect(throws: WitnessRefusal.self) { try policy.decide(altered, last: nil) })?.status == 403)

        let shrinking = AddCheckpointRequest(oldSize: 4, proof: [], checkpoint: try Self.request(tree, size: 3, old: 0, key: key).checkpoint)
        #expect((#expect(throws: WitnessRefusal.self) { try policy.decide(shrinking, last: nil) })?.status == 400)
        let withProof = AddCheckpointRequest(oldSize: 0, proof: [.empty], checkpoint: try Self.request(tree, size: 5, old: 0, key: key).checkpoint)
        #expect((#expect(throws: WitnessRefusal.self) { try policy.decide(withProof, last: nil) })?.status == 422)
        for body in ["old 1\n", "new 0\n\nx\n", "old 01\n\n" + (try Self.request(tree, size: 5, old: 0, key: key)).checkpoint.serialized] {
            #expect((#expect(throws: WitnessRefusal.self) { try AddCheckpointRequest(body: body) })?.status == 400, "\(body.debugDescription)")
        }
    }
}
