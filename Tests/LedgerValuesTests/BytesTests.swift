@testable import LedgerValues
import Testing

@Suite("byte helpers")
struct BytesTests {
    @Test("contains finds a run of bytes wherever it is, and only where all of it is")
    func containsFindsWholeRuns() {
        let text = Array(#"{"eventType":"EvidenceErased","evidenceFiles":[{"sha256":"ab"}]}"#.utf8)
        #expect(Bytes.contains(Array(#""evidenceFiles":[{"#.utf8), in: text))
        #expect(Bytes.contains(Array(#"{"eventType""#.utf8), in: text))  // at the start
        #expect(Bytes.contains(Array(#""ab"}]}"#.utf8), in: text))  // at the end
        #expect(Bytes.contains(text, in: text))
        #expect(!Bytes.contains(Array(#""evidenceFiles":[]"#.utf8), in: text))  // a prefix matches, not all
        #expect(!Bytes.contains(Array(#""ab"}]}}"#.utf8), in: text))  // runs past the end
        #expect(!Bytes.contains(text + [0x20], in: text))  // longer than the text
        #expect(!Bytes.contains([0x7b], in: []))
        #expect(Bytes.contains([], in: text))
    }

    @Test("sixteen hex digits read eight at a time give what reading them one by one gives: any byte in any place that is not a digit refuses them")
    func hexWordAgreesWithDigitByDigit() {
        /// Digit by digit: the value, or nil at the first byte that is not a hex digit.
        func expected(_ digits: [UInt8]) -> UInt64? {
            var value: UInt64 = 0
            for byte in digits {
                let nibble = Bytes.hexValue(byte)
                guard nibble < 16 else { return nil }
                value = value << 4 | UInt64(nibble)
            }
            return value
        }
        let base = Array("0123456789abcdef".utf8), mixed = Array("FEDCBA9876543210".utf8)
        for digits in [base, mixed] {
            for place in 0..<16 {
                for byte in UInt8.min...UInt8.max {
                    var text = digits
                    text[place] = byte
                    let read = text.withUnsafeBytes { Bytes.hexWord($0.baseAddress!) }
                    #expect(read == expected(text), "byte \(byte) at \(place)")
                }
            }
        }
        // Two bytes changed at once, in every pair of places of each half, to every pair of a
        // few telling values: the edges of the digit and letter ranges.
        let edges: [UInt8] = [0x2F, 0x30, 0x39, 0x3A, 0x40, 0x41, 0x46, 0x47, 0x60, 0x61, 0x66, 0x67, 0x7F, 0x80, 0xB0, 0xE1]
        for first in 0..<16 {
            for second in (first + 1)..<16 where first / 8 == second / 8 {
                for a in edges {
                    for b in edges {
                        var text = base
                        text[first] = a
                        text[second] = b
                        #expect(text.withUnsafeBytes { Bytes.hexWord($0.baseAddress!) } == expected(text), "\(a) at \(first), \(b) at \(second)")
                    }
                }
            }
        }
    }
}
