/// A UUID identifying one event, written in lowercase `8-4-4-4-12` form.
///
/// New ids are UUIDv7 (48-bit Unix milliseconds, then random bits), so the `event-ids`
/// index grows at one edge instead of scattering inserts over the B-tree.
public struct EventID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 16 bytes in network order: the key in the `event-ids` database.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses the `8-4-4-4-12` hex form (either case). Returns `nil` for anything else.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return nil }
        for dash in [8, 13, 18, 23] where utf8[dash] != UInt8(ascii: "-") { return nil }
        let hex = utf8.enumerated().filter { ![8, 13, 18, 23].contains($0.offset) }.map(\.element)
        guard let bytes = Bytes.parseHex(String(decoding: hex, as: UTF8.self)) else { return nil }
        self.bytes = bytes
    }

    /// A new time-ordered UUIDv7 for `millisecondsSinceEpoch`.
    public static func version7(millisecondsSinceEpoch: Int64) -> EventID {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        let millis = UInt64(max(0, millisecondsSinceEpoch))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index))) }
        for index in 6..<16 { bytes[index] = generator.next() }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        return EventID(bytes: bytes)!
    }

    /// A new UUIDv7 for the current time.
    public static func generate() -> EventID { version7(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch) }

    public var description: String {
        let hex = Array(Bytes.hex(bytes).utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, character) in hex.enumerated() {
            if [8, 12, 16, 20].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(character)
        }
        return String(decoding: text, as: UTF8.self)
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
