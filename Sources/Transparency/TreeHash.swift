import Crypto
import Foundation

/// A node of the Merkle tree over the log (RFC 9162 §2.1.1): 32 SHA-256 bytes, hashed with
/// a one-byte prefix that keeps leaves and interior nodes apart (Schemas/README.md §11).
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Exactly 32 bytes, or `nil`: a proof with a hash of another length proves nothing.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    private init(digest: SHA256.Digest) { bytes = Array(digest) }

    /// The hash of a leaf: SHA-256(0x00 ‖ data).
    public static func leaf(_ data: some Sequence<UInt8>) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(data))
        return TreeHash(digest: hasher.finalize())
    }

    /// The hash of a leaf whose data is given in place (the log's stored bytes), without a copy.
    public static func leaf(_ data: UnsafeRawBufferPointer) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(bufferPointer: data)
        return TreeHash(digest: hasher.finalize())
    }

    /// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left.bytes)
        hasher.update(data: right.bytes)
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
        self.bytes = bytes
    }

    public var description: String { base64 }
}
