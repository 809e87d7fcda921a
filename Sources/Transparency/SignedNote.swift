import Foundation

/// A text signed by one or more keys (C2SP signed-note): the text, ending in a newline, a
/// blank line, then one line per signature, `— NAME BASE64(key id ‖ signature)`.
public struct SignedNote: Sendable, Equatable {
    /// The signed text, its final newline included.
    public let text: String
    public var signatures: [NoteSignature]

    public init(text: String, signatures: [NoteSignature] = []) {
        self.text = text
        self.signatures = signatures
    }

    /// At most this many signatures are read (the spec asks for at least 16).
    public static let maximumSignatures = 64

    /// Parses a signed note.
    /// - Throws: ``NoteError/malformed(_:)`` naming what is wrong.
    public init(parsing note: String) throws {
        guard !note.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
            throw NoteError.malformed("it holds a control character other than newline")
        }
        // The text ends at the last blank line; what follows are the signature lines.
        guard note.hasSuffix("\n"), let blank = note.range(of: "\n\n", options: .backwards) else {
            throw NoteError.malformed("it has no blank line between the text and the signatures, or does not end in a newline")
        }
        text = String(note[..<blank.lowerBound]) + "\n"
        let lines = note[blank.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard !lines.isEmpty else { throw NoteError.malformed("it has no signature lines") }
        guard lines.count <= Self.maximumSignatures else { throw NoteError.malformed("it has \(lines.count) signatures; at most \(Self.maximumSignatures) are read") }
        signatures = try lines.map { try NoteSignature(line: String($0)) }
    }

    /// The note as published: text, blank line, signature lines.
    public var serialized: String { text + "\n" + signatures.map(\.line).joined() }
}

/// One signature line of a note.
public struct NoteSignature: Sendable, Equatable, Hashable {
    public let keyName: String
    public let keyID: UInt32
    /// What follows the key id: for Ed25519 the 64-byte signature, for a cosignature the
    /// 8-byte time and then the signature.
    public let signature: [UInt8]

    public init(keyName: String, keyID: UInt32, signature: [UInt8]) {
        self.keyName = keyName
        self.keyID = keyID
        self.signature = signature
    }

    init(line: String) throws {
        guard line.hasPrefix("\u{2014} ") else { throw NoteError.malformed("a signature line does not start with an em dash and a space: \(line.debugDescription)") }
        let parts = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { throw NoteError.malformed("a signature line is not `— NAME SIGNATURE`: \(line.debugDescription)") }
        guard let data = Data(base64Encoded: String(parts[1])), data.count > 4 else {
            throw NoteError.malformed("the signature of \(parts[0]) is not base64 of a key id and a signature")
        }
        let bytes = Array(data)
        keyName = String(parts[0])
        keyID = bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
        signature = Array(bytes[4...])
    }

    public var line: String {
        let id: [UInt8] = [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xff), UInt8(keyID >> 8 & 0xff), UInt8(keyID & 0xff)]
        return "\u{2014} \(keyName) \(Data(id + signature).base64EncodedString())\n"
    }
}

/// What is wrong with a note, a key or a checkpoint.
public enum NoteError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case badKey(String)
    /// No signature by a key the reader trusts verified.
    case notSigned(String)
    /// A signature by a trusted key (its name and id) does not verify: the note was altered.
    case badSignature(String)

    public var description: String {
        switch self {
        case .malformed(let why): "the note is malformed: \(why)"
        case .badKey(let why): "the key is not usable: \(why)"
        case .notSigned(let why): why
        case .badSignature(let why): why
        }
    }
}
