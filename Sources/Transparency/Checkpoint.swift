/// A log's tree head as C2SP tlog-checkpoint writes it: the origin (which log), the tree
/// size, and the base64 root, one per line.
public struct Checkpoint: Sendable, Equatable, Hashable {
    public let origin: String
    public let size: UInt64
    public let root: TreeHash

    public init(origin: String, size: UInt64, root: TreeHash) throws {
        try Self.checkOrigin(origin)
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text that is signed.
    public var text: String { "\(origin)\n\(size)\n\(root.base64)\n" }

    /// Reads a checkpoint's note text (extension lines are allowed and ignored: svledger
    /// writes none, and a witness vouches for the first three lines only).
    public init(text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), lines.count >= 4, lines.dropLast().allSatisfy({ !$0.isEmpty }) else {
            throw NoteError.malformed("a checkpoint's text is at least three non-empty lines: origin, tree size, root hash")
        }
        let sizeText = lines[1]
        guard let size = UInt64(sizeText), sizeText == "0" || !sizeText.hasPrefix("0") else {
            throw NoteError.malformed("the tree size \(String(sizeText).debugDescription) is not a decimal number without leading zeros")
        }
        guard let root = TreeHash(base64: String(lines[2])) else {
            throw NoteError.malformed("the root hash \(String(lines[2]).debugDescription) is not base64 of 32 bytes")
        }
        try self.init(origin: String(lines[0]), size: size, root: root)
    }

    static func checkOrigin(_ origin: String) throws {
        guard !origin.isEmpty, !origin.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0 == "+" || $0.value < 0x20 }) else {
            throw NoteError.malformed("a log's origin is one non-empty line with no spaces and no +, such as council.example/svledger: \(origin.debugDescription)")
        }
    }
}

/// A checkpoint with its signatures: the log's own, and any witnesses' cosignatures.
public struct SignedCheckpoint: Sendable, Equatable {
    public let checkpoint: Checkpoint
    public var note: SignedNote

    public init(parsing text: String) throws {
        note = try SignedNote(parsing: text)
        checkpoint = try Checkpoint(text: note.text)
    }

    public init(_ checkpoint: Checkpoint, signedBy key: NoteSigningKey) throws {
        self.checkpoint = checkpoint
        note = SignedNote(text: checkpoint.text, signatures: [try key.sign(checkpoint.text)])
    }

    public var serialized: String { note.serialized }

    /// Checks the log's signature by `key`, which must name the checkpoint's origin. The
    /// signatures of other keys are ignored, as the spec says.
    /// - Throws: ``NoteError`` when the origin is another log's, no signature of the key is
    ///   present, or its signature does not verify.
    public func verify(logKey key: NoteVerifierKey) throws {
        guard key.type == .ed25519 else { throw NoteError.badKey("\(key.name) is a witness's cosigning key, not a log's key") }
        guard checkpoint.origin == key.name else {
            throw NoteError.notSigned("the checkpoint is for the log \(checkpoint.origin.debugDescription), but the key given is for \(key.name.debugDescription)")
        }
        guard let signature = note.signatures.first(where: key.signed) else {
            throw NoteError.notSigned("the checkpoint carries no signature by \(key.name) with key id \(NoteVerifierKey.hex(key.keyID)): it was not signed by this key")
        }
        _ = try key.verify(signature, on: note.text)
    }

    /// The witnesses among `witnesses` whose cosignatures verify, with each one's time.
    /// - Throws: ``NoteError/badSignature(_:)`` when a trusted witness's cosignature is present
    ///   but does not verify (the note is then not to be trusted at all).
    public func cosigners(among witnesses: [NoteVerifierKey]) throws -> [(witness: NoteVerifierKey, time: UInt64)] {
        var found: [(NoteVerifierKey, UInt64)] = []
        for witness in witnesses where witness.type == .cosignatureV1 {
            guard let signature = note.signatures.first(where: witness.signed) else { continue }
            if let time = try witness.verify(signature, on: note.text) { found.append((witness, time)) }
        }
        return found
    }

    /// Adds the cosignature lines of a witness's answer, replacing an earlier one by the same key.
    public mutating func add(cosignatures: [NoteSignature]) {
        for signature in cosignatures {
            note.signatures.removeAll { $0.keyName == signature.keyName && $0.keyID == signature.keyID }
            note.signatures.append(signature)
        }
    }
}
