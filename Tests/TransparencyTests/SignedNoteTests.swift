import Testing
@testable import Transparency

@Suite struct SignedNoteTests {
    /// The example of C2SP signed-note: this vkey verifies this note.
    @Test func theSpecificationsExampleVerifies() throws {
        let key = try NoteVerifierKey(vkey: "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
        let note = try SignedNote(parsing: "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n")
        #expect(note.text == "This is an example message.\n")
        let signature = try #require(note.signatures.first)
        #expect(key.signed(signature))
        #expect(try key.verify(signature, on: note.text) == nil)
        #expect(throws: NoteError.self) { try key.verify(signature, on: "This is an example message!\n") }
    }

    @Test func aVkeyWithTheWrongKeyIdIsRefused() {
        #expect(throws: NoteError.self) { try NoteVerifierKey(vkey: "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k") }
        #expect(throws: NoteError.self) { try NoteVerifierKey(vkey: "example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k") }
    }

    @Test func aCheckpointSignsAndVerifiesAndItsKeyRoundTrips() throws {
        let key = try NoteSigningKey(name: "council.example/svledger", type: .ed25519)
        let reread = try NoteSigningKey(encoded: key.encoded)
        #expect(reread.verifier == key.verifier)
        let checkpoint = try Checkpoint(origin: "council.example/svledger", size: 3, root: .leaf([1, 2, 3]))
        let signed = try SignedCheckpoint(checkpoint, signedBy: reread)
        let parsed = try SignedCheckpoint(parsing: signed.serialized)
        #expect(parsed.checkpoint == checkpoint)
        try parsed.verify(logKey: try NoteVerifierKey(vkey: key.verifier.vkey))

        // Another key of the same name, or a changed size, does not verify.
        let other = try NoteSigningKey(name: "council.example/svledger", type: .ed25519)
        #expect(throws: NoteError.self) { try parsed.verify(logKey: other.verifier) }
        let altered = signed.serialized.replacingOccurrences(of: "\n3\n", with: "\n4\n")
        #expect(throws: NoteError.self) { try SignedCheckpoint(parsing: altered).verify(logKey: key.verifier) }
    }

    @Test func aWitnessCosignatureVerifiesWithItsTime() throws {
        let log = try NoteSigningKey(name: "council.example/svledger", type: .ed25519)
        let witness = try NoteSigningKey(name: "witness.example/w1", type: .cosignatureV1)
        var signed = try SignedCheckpoint(try Checkpoint(origin: "council.example/svledger", size: 9, root: .empty), signedBy: log)
        signed.add(cosignatures: [try witness.sign(signed.note.text, time: 1_700_000_000)])
        let parsed = try SignedCheckpoint(parsing: signed.serialized)
        let cosigners = try parsed.cosigners(among: [witness.verifier])
        #expect(cosigners.count == 1)
        #expect(cosigners.first?.time == 1_700_000_000)
        #expect(try parsed.cosigners(among: [try NoteSigningKey(name: "witness.example/w2", type: .cosignatureV1).verifier]).isEmpty)
    }

    @Test func malformedNotesAreRefused() {
        for text in ["no blank line\n\u{2014} a AAAA\n", "text\n\n", "text\n\n- a AAAAAAAA\n", "text\u{7}\n\n\u{2014} a AAAAAAAA\n"] {
            #expect(throws: NoteError.self, "\(text.debugDescription)") { try SignedNote(parsing: text) }
        }
        #expect(throws: NoteError.self) { try Checkpoint(text: "origin\n01\n\(TreeHash.empty.base64)\n") }
        #expect(throws: NoteError.self) { try Checkpoint(text: "origin\n1\nnot-base64\n") }
    }
}
