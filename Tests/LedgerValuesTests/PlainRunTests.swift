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

    @Test("a string is stepped over as a text's spelling exactly when its bytes are the text's and none needs unescaping")
    func spelling() {
        // Texts of every length up to three words and a bit, each with one telling byte (or
        // none) in every place; the string in the bytes is the text, or it with one byte changed.
        for length in 0...27 {
            for place in -1..<length {
                for probe in Self.probes where place >= 0 || probe == Self.probes[0] {
                    var text = [UInt8](repeating: UInt8(ascii: "b"), count: length)
                    if place >= 0 { text[place] = probe }
                    for changed in -1..<length {
                        var written = text
                        if changed >= 0 { written[changed] ^= 0x01 }
                        let bytes = [UInt8(ascii: ":"), UInt8(ascii: "\"")] + written + [UInt8(ascii: "\""), UInt8(ascii: ",")]
                        let plain = written.allSatisfy { $0 != 0x22 && $0 != 0x5C && $0 >= 0x20 }
                        let expected: Int? = written == text && plain ? bytes.count - 1 : nil
                        let stepped: Int? = bytes.withUnsafeBytes { buffer in
                            var parser = JSONParser(bytes: buffer)
                            parser.index = 1
                            return parser.skipString(spelling: String(decoding: text, as: UTF8.self)) ? parser.index : nil
                        }
                        // A text that is not valid UTF-8 is not the bytes it was made from.
                        guard String(decoding: text, as: UTF8.self).utf8.elementsEqual(text) else { continue }
                        #expect(stepped == expected, "length \(length), byte \(probe) at \(place), changed at \(changed)")
                    }
                }
            }
        }
    }
}
