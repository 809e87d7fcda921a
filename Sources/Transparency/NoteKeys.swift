import Crypto
import Foundation

/// The kinds of signature a key makes (C2SP signed-note, "Signature types").
public enum SignatureType: UInt8, Sendable {
    /// A log's own signature on its checkpoint.
    case ed25519 = 0x01
    /// A witness's timestamped cosignature (C2SP tlog-cosignature).
    case cosignatureV1 = 0x04
}

/// A public key that verifies notes, read from or written as a *vkey*:
/// `NAME+HEX(key id)+BASE64(type ‖ public key)`.
public struct NoteVerifierKey: Sendable, Equatable, Hashable {
    public let name: String
    public let type: SignatureType
    public let publicKey: [UInt8]

    public init(name: String, type: SignatureType, publicKey: [UInt8]) throws {
        try Self.checkName(name)
        guard publicKey.count == 32 else { throw NoteError.badKey("an Ed25519 public key is 32 bytes, not \(publicKey.count)") }
        self.name = name
        self.type = type
        self.publicKey = publicKey
    }

    /// Reads a vkey, checking that its key id is the one its name and key give.
    public init(vkey: String) throws {
        // The base64 key may itself hold `+`: only the first two separate parts.
        let parts = vkey.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw NoteError.badKey("a vkey is NAME+KEYID+KEY, three parts joined by +; this has \(parts.count)") }
        guard let id = UInt32(parts[1], radix: 16), parts[1].count == 8 else { throw NoteError.badKey("the key id \(parts[1]) is not 8 hex digits") }
        guard let material = Data(base64Encoded: String(parts[2])), material.count == 33 else {
            throw NoteError.badKey("the key part is not base64 of a type byte and a 32-byte Ed25519 key")
        }
        guard let type = SignatureType(rawValue: material[0]) else {
            throw NoteError.badKey("signature type 0x\(String(material[0], radix: 16)) is not one svledger reads (0x01 Ed25519, 0x04 cosignature)")
        }
        try self.init(name: String(parts[0]), type: type, publicKey: Array(material.dropFirst()))
        guard keyID == id else { throw NoteError.badKey("the key id \(parts[1]) is not the one of this name and key (\(Self.hex(keyID)))") }
    }

    /// SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4], big-endian.
    public var keyID: UInt32 {
        let digest = Array(SHA256.hash(data: Array(name.utf8) + [0x0a, type.rawValue] + publicKey))
        return digest[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    public var vkey: String { "\(name)+\(Self.hex(keyID))+\(Data([type.rawValue] + publicKey).base64EncodedString())" }

    /// Whether a signature line is this key's (its name and id both match).
    public func signed(_ signature: NoteSignature) -> Bool { signature.keyName == name && signature.keyID == keyID }

    /// Checks this key's signature on `text`. For a cosignature, what is signed is the
    /// cosignature header, its time line and the text (C2SP tlog-cosignature).
    /// - Returns: the cosignature's time (seconds since 1970), `nil` for a plain signature.
    public func verify(_ signature: NoteSignature, on text: String) throws -> UInt64? {
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        switch type {
        case .ed25519:
            guard key.isValidSignature(signature.signature, for: Array(text.utf8)) else {
                throw NoteError.badSignature("the signature of \(name) (key id \(Self.hex(keyID))) does not verify: the note was altered or signed by another key")
            }
            return nil
        case .cosignatureV1:
            guard signature.signature.count == 72 else { throw NoteError.badSignature("the cosignature of \(name) is \(signature.signature.count) bytes, not 8 + 64") }
            let time = signature.signature[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard key.isValidSignature(Array(signature.signature[8...]), for: Array(Cosignature.message(text: text, time: time).utf8)) else {
                throw NoteError.badSignature("the cosignature of witness \(name) (key id \(Self.hex(keyID))) does not verify: the checkpoint was altered or cosigned by another key")
            }
            return time
        }
    }

    /// Key names are not empty and hold no spaces and no `+`.
    static func checkName(_ name: String) throws {
        guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0 == "+" || $0.value < 0x20 }) else {
            throw NoteError.badKey("a key name must be non-empty, with no spaces and no +: \(name.debugDescription)")
        }
    }

    static func hex(_ id: UInt32) -> String { String(format: "%08x", id) }
}

/// A private key that signs notes: a log's checkpoint key, or a witness's cosigning key.
///
/// Written to a file as `PRIVATE+KEY+NAME+HEX(key id)+BASE64(type ‖ 32-byte seed)`, the
/// encoding of Go's golang.org/x/mod/sumdb/note, so that other tools read it.
public struct NoteSigningKey: Sendable {
    public let verifier: NoteVerifierKey
    /// The 32-byte Ed25519 seed (swift-crypto's key type is not `Sendable`).
    private let seed: [UInt8]
    private var key: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: seed) }

    /// A new key from the system's secure generator.
    public init(name: String, type: SignatureType) throws {
        let key = Curve25519.Signing.PrivateKey()
        seed = Array(key.rawRepresentation)
        verifier = try NoteVerifierKey(name: name, type: type, publicKey: Array(key.publicKey.rawRepresentation))
    }

    public init(encoded: String) throws {
        let parts = encoded.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw NoteError.badKey("a private key is PRIVATE+KEY+NAME+KEYID+KEY")
        }
        guard let material = Data(base64Encoded: String(parts[4])), material.count == 33, let type = SignatureType(rawValue: material[0]) else {
            throw NoteError.badKey("the key part is not base64 of a known type byte and a 32-byte seed")
        }
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: material.dropFirst())
        } catch {
            throw NoteError.badKey("the seed is not an Ed25519 private key")
        }
        seed = Array(key.rawRepresentation)
        verifier = try NoteVerifierKey(name: String(parts[2]), type: type, publicKey: Array(key.publicKey.rawRepresentation))
        guard NoteVerifierKey.hex(verifier.keyID) == parts[3].lowercased() else {
            throw NoteError.badKey("the key id \(parts[3]) is not the one of this name and key")
        }
    }

    public var encoded: String {
        "PRIVATE+KEY+\(verifier.name)+\(NoteVerifierKey.hex(verifier.keyID))+\(Data([verifier.type.rawValue] + key.rawRepresentation).base64EncodedString())"
    }

    /// Signs `text` as this key's type says: a plain Ed25519 signature of the text, or a
    /// cosignature at `time`.
    public func sign(_ text: String, time: UInt64 = 0) throws -> NoteSignature {
        switch verifier.type {
        case .ed25519:
            return NoteSignature(keyName: verifier.name, keyID: verifier.keyID, signature: Array(try key.signature(for: Array(text.utf8))))
        case .cosignatureV1:
            let signature = try key.signature(for: Array(Cosignature.message(text: text, time: time).utf8))
            let timeBytes = (0..<8).map { UInt8(time >> (56 - 8 * UInt64($0)) & 0xff) }
            return NoteSignature(keyName: verifier.name, keyID: verifier.keyID, signature: timeBytes + Array(signature))
        }
    }
}

/// C2SP tlog-cosignature, Ed25519 (`cosignature/v1`).
public enum Cosignature {
    /// What a witness signs: the header, the time line, then the checkpoint's text.
    public static func message(text: String, time: UInt64) -> String { "cosignature/v1\ntime \(time)\n" + text }
}
