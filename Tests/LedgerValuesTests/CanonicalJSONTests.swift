import LedgerValues
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test("keys sort by UTF-8 bytes, with no whitespace")
    func keyOrder() {
        let value: JSONValue = ["b": 1, "a": ["z": true, "Z": false], "é": .null, "aa": "x"]
        // "Z" (0x5A) before "z" (0x7A); "é" (0xC3…) after every ASCII key.
        #expect(value.canonicalText == #"{"a":{"Z":false,"z":true},"aa":"x","b":1,"é":null}"#)
    }

    @Test("strings escape quote, backslash and control characters only, the rest as UTF-8")
    func stringEscapes() {
        let value: JSONValue = .string("q\"b\\/\u{08}\u{09}\u{0A}\u{0C}\u{0D}\u{01}\u{1F}\u{7F}£😀")
        #expect(value.canonicalText == "\"q\\\"b\\\\/\\b\\t\\n\\f\\r\\u0001\\u001f\u{7F}£😀\"")
    }

    @Test("integers print without padding; the parser refuses fractions, exponents and big numbers")
    func integers() throws {
        #expect(JSONValue.array([0, -7, 9_007_199_254_740_991]).canonicalText == "[0,-7,9007199254740991]")
        for bad in ["1.5", "1e3", "9007199254740992", "012", "-"] {
            #expect(throws: JSONParseError.self, "\(bad) should be refused") { try JSONValue(parsing: bad) }
        }
        let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: #"{"q": 0.25}"#) }
        #expect(error.message.contains("write decimal values as strings"))
    }

    @Test("parsing then encoding gives canonical bytes, and escapes round-trip")
    func roundTrip() throws {
        let text = #"{ "z" : [1, {"b": "\u00e9\ud83d\ude00\n"}], "a": null }"#
        let value = try JSONValue(parsing: text)
        #expect(value.canonicalText == "{\"a\":null,\"z\":[1,{\"b\":\"é😀\\n\"}]}")
        #expect(try JSONValue(parsing: value.canonicalText) == value)
    }

    @Test("malformed text is refused with the offset of the problem", arguments: [
        (#"{"a":1,"a":2}"#, "duplicate key"), (#"{"a":1"#, "expected ','"), ("[1,]", "unexpected character"),
        (#""\ud800""#, "unpaired surrogate"), ("\"a\u{01}\"", "control character"), ("[1] x", "after the JSON value"),
    ])
    func malformed(text: String, expected: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "nil")")
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test("nesting deeper than 64 levels is refused instead of overflowing the stack")
    func deepNesting() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: String(repeating: "[", count: 10_000)) }
    }

    @Test("an object keeps canonical order whichever way it is built: parsed out of order, inserted, removed")
    func objectOrder() throws {
        let parsed = try JSONValue(parsing: #"{"é":1,"b":2,"Z":3,"a":4}"#)
        #expect(parsed.objectValue?.keys == ["Z", "a", "b", "é"])
        var built = JSONObject()
        for key in ["é", "b", "Z", "a"] { built[key] = .integer(1) }
        #expect(built.keys == ["Z", "a", "b", "é"])
        built["b"] = nil
        built["a"] = "changed"
        #expect(JSONValue.object(built).canonicalText == #"{"Z":1,"a":"changed","é":1}"#)
        // Equality does not depend on the order the text gave.
        #expect(try JSONValue(parsing: #"{"b":1,"a":2}"#) == JSONValue(parsing: #"{"a":2,"b":1}"#))
    }

    @Test("a repeated key is refused whether or not the keys arrive in order", arguments: [
        #"{"a":1,"a":2}"#, #"{"b":1,"a":2,"b":3}"#, #"{"a":1,"b":{"c":1,"c":2}}"#,
    ])
    func repeatedKeys(text: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(error?.message.contains("duplicate key") == true)
    }

    @Test("canonical-only parsing accepts exactly what the encoder writes", arguments: [
        #"{"a":1, "b":2}"#, #"{"b":1,"a":2}"#, #"{"a":"\/"}"#, #"{"a":"\u0041"}"#, #"{"a":"\u000A"}"#,
        #"{"a":"\u000a"}"#, #"{"a":"\u001F"}"#, #"{"a":-0}"#, #"{"a":"\ud83d\ude00"}"#, " {}", "{}\n",
    ])
    func canonicalOnlyRefuses(text: String) throws {
        let bytes = Array(text.utf8)
        // Well-formed JSON, so the lenient parser reads it; its canonical form differs.
        let lenient = try JSONValue(parsing: bytes)
        #expect(lenient.canonicalBytes != bytes)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsingCanonical: bytes) }
        #expect(error?.message == JSONParseError.nonCanonical)
    }

    @Test("canonical-only parsing reads canonical text, escapes and non-ASCII included")
    func canonicalOnlyAccepts() throws {
        let value: JSONValue = ["a": ["q\"\\\u{08}\u{09}\u{0A}\u{0C}\u{0D}\u{01}\u{1F}\u{7F}/£😀", -7, 0, true, .null], "é": [:], "Z": []]
        let bytes = value.canonicalBytes
        let parsed = try JSONValue(parsingCanonical: bytes)
        #expect(parsed == value)
    }
}
