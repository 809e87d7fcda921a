/// A UUID identifying one event, written in lowercase `8-4-4-4-12` form.
///
/// New ids are UUIDv7 (48-bit Unix milliseconds, then random bits), so the `event-ids`
/// index grows at one edge instead of scattering inserts over the B-tree.
///
/// The 16 bytes are held as two big-endian halves rather than an array: every event carries
/// one to three ids, and comparing, hashing and copying them must not touch the heap.
public struct EventID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package let high: UInt64
    package let low: UInt64

    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The 16 bytes in network order: the key in the `event-ids` database.
    public var bytes: [UInt8] { withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) } }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.init(high: Bytes.readBigEndian(bytes)!, low: Bytes.readBigEndian(Array(bytes[8...]))!)
    }

    /// Parses the `8-4-4-4-12` hex form (either case). Returns `nil` for anything else.
    public init?(_ text: String) {
        let parsed = text.utf8.withContiguousStorageIfAvailable(Self.parse) ?? Self.parse(Array(text.utf8))
        guard let parsed else { return nil }
        self = parsed
    }

    @inlinable
    package static func parse(_ utf8: some RandomAccessCollection<UInt8>) -> EventID? {
        guard utf8.count == 36 else { return nil }
        return utf8.withContiguousStorageIfAvailable(parse36) ?? Array(utf8).withUnsafeBufferPointer(parse36)
    }

    /// Parses exactly 36 bytes: 32 hex digits with dashes at 8, 13, 18 and 23. The digits are
    /// gathered into 32 contiguous bytes and read 16 at a time.
    @usableFromInline
    static func parse36(_ text: UnsafeBufferPointer<UInt8>) -> EventID? {
        guard text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"),
            text[23] == UInt8(ascii: "-"), let source = text.baseAddress
        else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 16) { digits -> EventID? in
            let target = digits.baseAddress!
            target.copyMemory(from: source, byteCount: 8)
            (target + 8).copyMemory(from: source + 9, byteCount: 4)
            (target + 12).copyMemory(from: source + 14, byteCount: 4)
            (target + 16).copyMemory(from: source + 19, byteCount: 4)
            (target + 20).copyMemory(from: source + 24, byteCount: 12)
            guard let high = Bytes.hexWord(target), let low = Bytes.hexWord(target + 16) else { return nil }
            return EventID(high: high, low: low)
        }
    }

    /// A new time-ordered UUIDv7 for `millisecondsSinceEpoch`.
    public static func version7(millisecondsSinceEpoch: Int64) -> EventID {
        var generator = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, millisecondsSinceEpoch)) & 0xFFFF_FFFF_FFFF
        let random: (UInt64, UInt64) = (generator.next(), generator.next())
        // 48 bits of time, version 7, 12 random bits; then the RFC 9562 variant and 62 random bits.
        let high = millis << 16 | 0x7000 | (random.0 & 0x0FFF)
        let low = 0x8000_0000_0000_0000 | (random.1 & 0x3FFF_FFFF_FFFF_FFFF)
        return EventID(high: high, low: low)
    }

    /// A new UUIDv7 for the current time.
    public static func generate() -> EventID { version7(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch) }

    public var description: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    buffer[index] = Bytes.hexDigit(UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0x0F)
                    index += 1
                }
            }
            put(high, nibbles: 16)
            put(low, nibbles: 16)
            return index
        }
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}
