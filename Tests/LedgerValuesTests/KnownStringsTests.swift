import LedgerValues
import Testing

/// A reader of the whole log keeps the strings it has read (``KnownStrings``) and gives one
/// back when the same bytes come again: what it gives must be what reading the string gives.
@Suite("Strings known from before")
struct KnownStringsTests {
    /// Each string of a JSON array, read one after another with `known`, and without.
    static func read(_ json: String, places: Int) throws -> (known: [String], plain: [String]) {
        var known = KnownStrings(places: places)
        let bytes = Array(json.utf8)
        return try bytes.withUnsafeBytes { buffer in
            var withTable = JSONParser(bytes: buffer), without = JSONParser(bytes: buffer)
            var found: [String] = [], plain: [String] = []
            withTable.index = 1
            without.index = 1
            while withTable.current == UInt8(ascii: "\"") {
                found.append(try withTable.parseString(knownIn: &known))
                plain.append(try without.parseString())
                #expect(withTable.index == without.index)
                withTable.index += 1
                without.index += 1
            }
            return (found, plain)
        }
    }

    /// Ids and references that differ by one byte at either end or in the middle, short and
    /// long, escaped, not ASCII, empty, too long to keep, and the last one too close to the end
    /// of the bytes for a word to be read past it.
    static let strings = [
        "contract/SYN-000001", "contract/SYN-000002", "contract/SYN-000001", "EV-2025-26-Q2-rev", "EV-2025-26-Q3-rev", "EV-2025-26-Q2-rev",
        "NT19", "NT1", "NT19", "NT10", "", "", "a\\\"b", "a\\\"b", "caf\u{E9}", "caf\u{E9}", "cafe", "x\\u0041", "xA",
        String(repeating: "long reference ", count: 6), String(repeating: "long reference ", count: 6) + "!", "a", "ab",
    ]

    static var json: String { "[" + strings.map { "\"\($0)\"" }.joined(separator: ",") + "]" }

    @Test("with any number of places, every string read is the string itself, found again or read anew", arguments: [0, 1, 2, 3, 64])
    func sameText(places: Int) throws {
        let (known, plain) = try Self.read(Self.json, places: places)
        #expect(known == plain)
        #expect(plain.count == Self.strings.count)
        // Byte for byte, not merely equal as Swift compares strings.
        for (a, b) in zip(known, plain) { #expect(Array(a.utf8) == Array(b.utf8)) }
    }

    @Test("a string of more than 15 bytes met again is the one read before, not a new one")
    func sharedStorage() throws {
        let (known, plain) = try Self.read(#"["EV-2025-26-Q2-rev","EV-2025-26-Q2-rev"]"#, places: 64)
        func storage(_ text: String) -> UnsafeRawPointer? { text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil }
        #expect(storage(known[0]) == storage(known[1]))
        #expect(storage(plain[0]) != storage(plain[1]))
    }

    @Test("bytes that are not UTF-8 are refused as without the table, even after a string of the same length was kept")
    func invalidUTF8() {
        var bytes = Array(#""abcd","ab"#.utf8)
        bytes += [0xFF, 0xFE, 0x22]
        var known = KnownStrings(places: 1)
        bytes.withUnsafeBytes { buffer in
            var parser = JSONParser(bytes: buffer)
            #expect((try? parser.parseString(knownIn: &known)) == "abcd")
            parser.index += 1
            #expect(throws: JSONParseError.self) { try parser.parseString(knownIn: &known) }
        }
    }
}
