import LedgerValues
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
}
