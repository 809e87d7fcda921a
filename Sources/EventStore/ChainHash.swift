import Crypto

/// A link of the hash chain: `hash(n) = SHA-256(hash(n−1) ‖ canonical_bytes(n))`
/// (Schemas/README.md §4).
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits.
    public init?(hex: String) {
        guard hex.utf8.count == 64, let bytes = Bytes.parseHex(hex) else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits given as UTF-8 bytes.
    init?(hexUTF8 text: some Collection<UInt8>) {
        guard text.count == 64 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        var invalid: UInt8 = 0
        var index = text.startIndex
        for offset in 0..<32 {
            let high = Bytes.hexValue(text[index])
            index = text.index(after: index)
            let low = Bytes.hexValue(text[index])
            index = text.index(after: index)
            invalid |= high | low
            bytes[offset] = high << 4 | low & 0x0F
        }
        // Only the "not a digit" marker has bits above the low four.
        guard invalid & 0xF0 == 0 else { return nil }
        self.bytes = bytes
    }

    /// What the first event chains from: 32 zero bytes.
    public static let genesis = ChainHash(bytes: [UInt8](repeating: 0, count: 32))!

    /// The hash of the event whose canonical bytes are `canonical`, chained from `previous`.
    public static func link(previous: ChainHash, canonical: some Sequence<UInt8>) -> ChainHash {
        var hasher = SHA256()
        hasher.update(data: previous.bytes)
        hasher.update(data: Array(canonical))
        return ChainHash(bytes: Array(hasher.finalize()))!
    }

    /// As ``link(previous:canonical:)``, hashing borrowed bytes without copying them.
    public static func link(previous: ChainHash, canonical: UnsafeRawBufferPointer) -> ChainHash {
        var hasher = SHA256()
        hasher.update(data: previous.bytes)
        hasher.update(bufferPointer: canonical)
        return ChainHash(bytes: Array(hasher.finalize()))!
    }

    /// 64 lowercase hex digits.
    public var hex: String { Bytes.hex(bytes) }
    public var description: String { hex }
}
