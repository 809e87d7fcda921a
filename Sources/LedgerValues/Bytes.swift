#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers shared by keys, hashes and ids.
public enum Bytes {
    /// Whether `needle` occurs in `haystack`: a scan for its first byte, then `memcmp`. A
    /// follower asks this of every event it receives; the standard library's generic
    /// `firstRange(of:)` made a follower's catch-up four times slower.
    public static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { sought in
                for start in 0...(hay.count - sought.count) where hay[start] == first {
                    if memcmp(hay.baseAddress! + start, sought.baseAddress!, sought.count) == 0 { return true }
                }
                return false
            }
        }
    }

    /// The 8 big-endian bytes of `value`: keys that sort numerically under LMDB's default
    /// byte-wise comparison (`MDB_INTEGERKEY` would be native-endian).
    @inline(__always)
    public static func bigEndian(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// Reads a big-endian UInt64 from the first 8 bytes of `bytes`, or `nil` if there are fewer.
    @inline(__always)
    public static func readBigEndian(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count >= 8 else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    public static func readBigEndian(_ bytes: [UInt8]) -> UInt64? {
        bytes.withUnsafeBytes { readBigEndian($0) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex; `description` of swift-crypto's digests is not bare hex, so we write our own.
    public static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(64)
        for byte in bytes {
            characters.append(hexDigits[Int(byte >> 4)])
            characters.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }


    /// `count` bytes from the system's cryptographically secure generator: secrets (tokens,
    /// invitations, sessions) are made of these.
    public static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private static let base64urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url without padding (RFC 4648 §5): safe in a URL, a cookie and a form.
    public static func base64url(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for byte in chunk { value = value << 8 | Int(byte) }
            value <<= 8 * (3 - chunk.count)
            for position in 0..<(chunk.count + 1) { text.append(base64urlAlphabet[(value >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    @inline(__always)
    package static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }

    /// The 8 bytes that 16 hex digits at `text` spell (either case), or `nil` if any is not a
    /// hex digit: every stored event carries two hashes and up to three ids in hex. Eight digits
    /// at a time in one word, checked and turned into their values all at once (a loop over a
    /// table, a byte per step, cost four times as much; Swift's SIMD16 several times more).
    @inline(__always)
    package static func hexWord(_ text: UnsafeRawPointer) -> UInt64? {
        // Loaded little-endian on any machine, so that the first digit is the lowest byte.
        guard let high = hexHalf(UInt64(littleEndian: text.loadUnaligned(as: UInt64.self))),
            let low = hexHalf(UInt64(littleEndian: text.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    /// The 4 bytes that the 8 hex digits loaded (little-endian) in `word` spell, or `nil`.
    @inline(__always)
    static func hexHalf(_ word: UInt64) -> UInt32? {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        // Below 0x80 each byte, a constant added to it never carries into the next: the high
        // bit then says whether the byte reached the constant's complement.
        guard word & highs == 0 else { return nil }
        let digit = (word &+ ones &* (0x80 - 0x30)) & ~(word &+ ones &* (0x80 - 0x3A))
        let lower = word | ones &* 0x20
        let letter = (lower &+ ones &* (0x80 - 0x61)) & ~(lower &+ ones &* (0x80 - 0x67))
        guard (digit | letter) & highs == highs else { return nil }
        // A digit's value is its low four bits; a letter's (bit 6 set) those and nine.
        let values = (word & (ones &* 0x0F)) &+ ((word >> 6) & ones) &* 9
        // The first digit is the lowest byte and the most significant nibble: pairs into bytes,
        // bytes together, then in reading order.
        let pairs = ((values & 0x000F_000F_000F_000F) << 4) | ((values & 0x0F00_0F00_0F00_0F00) >> 8)
        let halves = (pairs | pairs >> 8) & 0x0000_FFFF_0000_FFFF
        return UInt32(truncatingIfNeeded: halves | halves >> 16).byteSwapped
    }

    /// A byte's value as a hex digit (0–15), or a value of 16 or more when it is not one.
    /// Branch-light, for the ids and hashes every stored event carries.
    @inline(__always)
    package static func hexValue(_ character: UInt8) -> UInt8 {
        let digit = character &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (character | 0x20) &- UInt8(ascii: "a")  // either case
        return letter < 6 ? letter + 10 : 0xFF
    }
}
