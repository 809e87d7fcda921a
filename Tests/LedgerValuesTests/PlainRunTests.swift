@testable import LedgerValues
import Testing

/// The scan that finds where a string's plain bytes end reads eight bytes at a time: it must
/// stop exactly where a byte-by-byte reading stops, and say the same of the bytes before.
@Suite("The plain run of a string's bytes")
struct PlainRunTests {
    /// Byte by byte: the first quote, backslash or control character, and whether all before it are ASCII.
    static func expected(_ bytes: [UInt8], from start: Int) -> (end: Int, ascii: Bool) {
        var end = start, ascii = true
        while end < bytes.count, bytes[end] != 0x22, bytes[end] != 0x5C, bytes[end] >= 0x20 {
            if bytes[end] >= 0x80 { ascii = false }
            end += 1
        }
        return (end, ascii)
    }

    static func scanned(_ bytes: [UInt8], from start: Int) -> (end: Int, ascii: Bool) {
        bytes.withUnsafeBytes { JSONParser(bytes: $0).plainRun(from: start) }
    }

    /// Bytes that end the run, and bytes next to those that must not, or only mark it as not ASCII.
    static let probes: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x7F, 0x80, 0xA2, 0xC3, 0xDC, 0xFF]

    @Test("one telling byte anywhere in a run, read from any of the first eight offsets, is found where a byte-by-byte reading finds it")
    func oneByte() {
        for length in 0...41 {
            for start in 0...min(length, 8) {
                for place in start..<max(length, start) {
                    for probe in Self.probes {
                        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                        bytes[place] = probe
                        let (scanned, expected) = (Self.scanned(bytes, from: start), Self.expected(bytes, from: start))
                        #expect(scanned == expected, "length \(length), from \(start), byte \(probe) at \(place)")
                    }
                }
            }
        }
    }

    @Test("with two telling bytes, in any two places of a run of three words, the first one that ends the run ends it, and a high byte before it is seen")
    func twoBytes() {
        let length = 24
        for first in 0..<length {
            for second in (first + 1)..<length {
                for a in Self.probes {
                    for b in Self.probes {
                        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                        bytes[first] = a
                        bytes[second] = b
                        let (scanned, expected) = (Self.scanned(bytes, from: 0), Self.expected(bytes, from: 0))
                        #expect(scanned == expected, "byte \(a) at \(first), \(b) at \(second)")
                    }
                }
            }
        }
    }
}
