import LedgerValues
import Testing

/// What reaches a terminal or an error line: control characters and invisible formatting made
/// visible, over-long values cut to their start.
@Suite("Display text")
struct DisplayTextTests {
    @Test("control characters (C0, DEL, C1) are shown as escapes, never written raw", arguments: [
        ("\u{1B}[2J", "\\u{1B}[2J"), ("bell\u{7}", "bell\\u{7}"), ("a\u{0}b", "a\\u{0}b"), ("del\u{7F}", "del\\u{7F}"),
        ("csi\u{9B}31m", "csi\\u{9B}31m"), ("tab\there", "tab\\u{9}here"), ("two\nlines", "two\\u{A}lines"), ("cr\r", "cr\\u{D}"),
    ])
    func controls(_ raw: String, _ shown: String) {
        #expect(DisplayText.escaped(raw) == shown)
    }

    @Test("bidi controls, isolates, zero-width characters and the BOM are marked visibly", arguments: [
        ("abc\u{202E}fed", "abc<U+202E>fed"), ("\u{202A}\u{202B}\u{202C}\u{202D}", "<U+202A><U+202B><U+202C><U+202D>"),
        ("\u{2066}x\u{2069}", "<U+2066>x<U+2069>"), ("\u{2067}\u{2068}", "<U+2067><U+2068>"), ("a\u{200B}b", "a<U+200B>b"),
        ("\u{200C}\u{200D}\u{200E}\u{200F}", "<U+200C><U+200D><U+200E><U+200F>"), ("\u{FEFF}x", "<U+FEFF>x"), ("\u{2028}", "<U+2028>"),
    ])
    func invisible(_ raw: String, _ shown: String) {
        #expect(DisplayText.escaped(raw) == shown)
    }

    @Test("ordinary text, accents, £ and emoji are left alone; escaping twice changes nothing")
    func ordinary() {
        for text in ["Highway resurfacing", "Café £4,250,000 – Preston", "Škoda 🚌", "e\u{301}", "back\\slash"] {
            #expect(DisplayText.escaped(text) == text)
        }
        let once = DisplayText.escaped("x\u{1B}]0;title\u{7}\u{202E}y")
        #expect(DisplayText.escaped(once) == once)
        #expect(DisplayText.escaped("a\nb\u{1B}", keepingNewlines: true) == "a\nb\\u{1B}")
    }

    @Test("a quoted value is whole up to 64 characters, else its first 40, '…' and its size in bytes")
    func quoting() {
        #expect(DisplayText.quoted("LCC-2025-014") == "\"LCC-2025-014\"")
        let sixtyFour = String(repeating: "a", count: 64)
        #expect(DisplayText.quoted(sixtyFour) == "\"\(sixtyFour)\"")
        let long = String(repeating: "b", count: 50 * 1_048_576)
        #expect(DisplayText.quoted(long) == "\"\(String(repeating: "b", count: 40))…\" (52428800 bytes)")
        #expect(DisplayText.excerpt(long) == "\(String(repeating: "b", count: 40))… (52428800 bytes)")
        #expect(DisplayText.quoted("NT1\u{0}") == "\"NT1\\u{0}\"")
        #expect(DisplayText.excerpt(String(repeating: "é", count: 65)) == String(repeating: "é", count: 40) + "… (130 bytes)")
    }

    @Test("a bounded line keeps its start and says how long it was")
    func bounded() {
        #expect(DisplayText.bounded("short") == "short")
        let line = String(repeating: "x", count: 10_000)
        #expect(DisplayText.bounded(line) == String(repeating: "x", count: 4096) + "… (10000 bytes)")
    }
}
