import Crypto
import Foundation
import Reports
import Testing

/// The author's narrative file: its parts, its markup (paragraphs and lists only), its digest,
/// and every way it is refused.
@Suite("Cabinet report: the narrative file")
struct CabinetNarrativeTests {
    static let sample = """
        # Title line, ignored

        ## Recommendation
        Cabinet is asked to:

        - note the report; and
        - ask for the next one,
          in three months.

        ## risk
        A risk **in bold** <b>stays</b> text.

        ## Contract RT-3
        The supplier has agreed a recovery plan.
        It covers both measures.

        ## Background papers
        - Policy 2024-28
        """

    func parse(_ text: String, name: String = "narrative.md") throws(CabinetReportError) -> CabinetNarrative {
        try CabinetNarrative(bytes: Array(text.utf8), fileName: name)
    }

    @Test("parts by heading (ignoring case, with aliases), paragraphs joined, list items continued, contract parts in order")
    func parts() throws {
        let n = try parse(Self.sample)
        #expect(n.blocks(.recommendation) == [.paragraph("Cabinet is asked to:"), .list(["note the report; and", "ask for the next one, in three months."])])
        #expect(n.blocks(.risk) == [.paragraph("A risk **in bold** <b>stays</b> text.")], "nothing but paragraphs and lists is markup")
        #expect(n.blocks(.backgroundPapers) == [.list(["Policy 2024-28"])])
        #expect(n.blocks(.legal) == nil, "a part not written is absent: the report says None given.")
        #expect(n.contractOrder == ["RT-3"])
        #expect(n.contracts["RT-3"] == [.paragraph("The supplier has agreed a recovery plan. It covers both measures.")])
        #expect(try parse("## Brief summary\nShort.\n## Equality and diversity\nNone.\n").blocks(.summary) == [.paragraph("Short.")])
    }

    @Test("the digest is the SHA-256 of the file's bytes exactly as read, a byte-order mark and CRLF included")
    func digest() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("## Legal\r\nNone.\r\n".utf8)
        let n = try CabinetNarrative(bytes: bytes, fileName: "n.md")
        let expected = "sha256:" + SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
        #expect(n.digest == expected)
        #expect(n.byteCount == bytes.count)
        #expect(n.blocks(.legal) == [.paragraph("None.")])
    }

    @Test("refused, naming the file and the line: unknown or repeated heading, text before the first, an empty part, a control character, not UTF-8, too long")
    func refusals() {
        let cases: [(String, String)] = [
            ("## Recomendation\nText\n", "n.md line 1: \"Recomendation\" is not a part of a narrative"),
            ("## Legal\nA\n## legal\nB\n", "n.md line 3: the part \"Legal\" is given twice"),
            ("## Contract RT-1\nA\n## Contract RT-1\nB\n", "n.md line 3: the part \"Contract RT-1\" is given twice"),
            ("Cabinet is asked\n## Legal\nA\n", "n.md line 1: text before the first \"## \" heading"),
            ("## Legal\n\n## Financial\nA\n", "n.md line 1: the part \"Legal\" is empty"),
            ("## Legal\nA \u{1B}[31m red\n", "n.md line 2: holds the control character U+1B"),
            ("## Legal\nA \u{202E}reversed\n", "n.md line 2: holds the control character U+202E"),
        ]
        for (text, message) in cases {
            #expect(throws: CabinetReportError.self, "\(message)") { try parse(text, name: "n.md") }
            do {
                _ = try parse(text, name: "n.md")
            } catch {
                #expect(error.kind == "invalid-narrative")
                #expect(error.category == .input)
                #expect(error.message.hasPrefix(message), "\(error.message)")
            }
        }
        #expect(throws: CabinetReportError.self) { try CabinetNarrative(bytes: [0x23, 0x23, 0x20, 0xFF], fileName: "n.md") }
        #expect(throws: CabinetReportError.self) {
            try CabinetNarrative(bytes: Array(("## Legal\n" + String(repeating: "x", count: CabinetNarrative.maxBytes)).utf8), fileName: "n.md")
        }
    }
}
