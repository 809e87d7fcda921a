import Crypto
import Foundation

/// A node of the Merkle tree over the log (RFC 9162 §2.1.1): 32 SHA-256 bytes, hashed with
/// a one-byte prefix that keeps leaves and interior nodes apart (Schemas/README.md §11).
public struct TreeHash: Hashable, Sendable, CustomStringConvertible, ContiguousBytes {
    /// The 32 bytes as four big-endian words: a hash is made per event appended, and must not
    /// cost an allocation.
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// Exactly 32 bytes, or `nil`: a proof with a hash of another length proves nothing.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { TreeHash(raw: $0) }
    }

    /// Reads exactly 32 bytes (an LMDB value, a digest).
    public init(raw: UnsafeRawBufferPointer) {
        precondition(raw.count == 32, "a tree hash is 32 bytes")
        func word(_ offset: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        words = (word(0), word(8), word(16), word(24))
    }

    private init(digest: SHA256.Digest) { self = digest.withUnsafeBytes { TreeHash(raw: $0) } }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let bigEndian = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return try Swift.withUnsafeBytes(of: bigEndian) { try body($0) }
    }

    public static func == (lhs: TreeHash, rhs: TreeHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The hash of a leaf: SHA-256(0x00 ‖ data).
    public static func leaf(_ data: some Sequence<UInt8>) -> TreeHash {
        Array(data).withUnsafeBytes { leaf($0) }
    }

    /// The hash of a leaf whose data is given in place (the log's stored bytes), without a copy.
    public static func leaf(_ data: UnsafeRawBufferPointer) -> TreeHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x00)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: data)
        return TreeHash(digest: hasher.finalize())
    }

    /// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x01)) { hasher.update(bufferPointer: $0) }
        left.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        right.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return TreeHash(digest: hasher.finalize())
    }

    /// The root of the empty tree: SHA-256 of no bytes.
    public static let empty = TreeHash(digest: SHA256.hash(data: [UInt8]()))

    /// Standard base64 (RFC 4648 §4), as checkpoints and proofs write hashes.
    public var base64: String { Data(bytes).base64EncodedString() }

    /// Reads standard base64 of exactly 32 bytes.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64), let hash = TreeHash(bytes: Array(data)) else { return nil }
        self = hash
    }

    public var hex: String { bytes.map { String(format: "%02x", $0) }.joined() }

    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.init(bytes: bytes)
    }

    public var description: String { base64 }
}
