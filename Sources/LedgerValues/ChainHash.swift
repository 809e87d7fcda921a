/// A link of the hash chain: the 32 bytes of `hash(n) = SHA-256(hash(n−1) ‖ canonical_bytes(n))`
/// (Schemas/README.md §4). The value lives here so that reports can name a head; computing
/// a link is the log's business (`ChainHash.link` in EventStore), which keeps SHA-256 out of
/// the domain's dependencies.
///
/// The 32 bytes are held as four big-endian words rather than an array: every event read
/// carries two hashes (its own and the previous one), and they must not cost allocations.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    private let words: Words

    private struct Words: Hashable, Sendable {
        var a: UInt64, b: UInt64, c: UInt64, d: UInt64
    }

    /// Reads exactly 32 bytes.
    package init(raw: UnsafeRawBufferPointer) {
        func word(_ offset: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        words = Words(a: word(0), b: word(8), c: word(16), d: word(24))
    }

    /// The 32 digest bytes.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with the 32 bytes, without copying them to the heap.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let bigEndian = (words.a.bigEndian, words.b.bigEndian, words.c.bigEndian, words.d.bigEndian)
        return try Swift.withUnsafeBytes(of: bigEndian) { try body($0) }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { ChainHash(raw: $0) }
    }

    /// The hash stored in the first 32 bytes of `stored` (a `log` value), if there are 32.
    public init?(prefixOf stored: UnsafeRawBufferPointer) {
        guard stored.count >= 32 else { return nil }
        self.init(raw: UnsafeRawBufferPointer(rebasing: stored[0..<32]))
    }

    /// Whether `other` holds exactly these 32 bytes.
    public func matches(_ other: some Collection<UInt8>) -> Bool {
        withUnsafeBytes { $0.elementsEqual(other) }
    }

    /// Parses 64 hex digits.
    public init?(hex: String) {
        let parsed = hex.utf8.withContiguousStorageIfAvailable { ChainHash(hexUTF8: UnsafeRawBufferPointer($0)) }
            ?? Array(hex.utf8).withUnsafeBytes { ChainHash(hexUTF8: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses 64 hex digits given as UTF-8 bytes.
    package init?(hexUTF8 text: UnsafeRawBufferPointer) {
        guard text.count == 64, let base = text.baseAddress, let a = Bytes.hexWord(base), let b = Bytes.hexWord(base + 16),
            let c = Bytes.hexWord(base + 32), let d = Bytes.hexWord(base + 48)
        else { return nil }
        words = Words(a: a, b: b, c: c, d: d)
    }

    /// What the first event chains from: 32 zero bytes.
    public static let genesis = ChainHash(bytes: [UInt8](repeating: 0, count: 32))!

    /// 64 lowercase hex digits.
    public var hex: String { withUnsafeBytes { Bytes.hex($0) } }
    public var description: String { hex }
}
