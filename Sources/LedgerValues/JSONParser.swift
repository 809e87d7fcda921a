/// Why some text is not JSON svledger accepts, and where (a byte offset).
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "invalid JSON at byte \(offset): \(message)" }

    /// The message of a well-formed text that is not in canonical form.
    public static let nonCanonical = "not in canonical form"
}

extension JSONValue {
    /// Parses JSON text. Rejects what the canonical format cannot carry, with a reason:
    /// fractions and exponents ("write decimals as strings"), integers beyond 2^53 − 1,
    /// duplicate keys, invalid UTF-8, and nesting deeper than 64 levels.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        self = try Self.parse(bytes, canonicalOnly: false)
    }

    /// Canonical-only parsing (see the buffer form) of bytes in an array.
    public init(parsingCanonical bytes: [UInt8]) throws(JSONParseError) {
        self = try Self.parse(bytes, canonicalOnly: true)
    }

    public init(parsing bytes: UnsafeRawBufferPointer) throws(JSONParseError) {
        self = try Self.parse(bytes, canonicalOnly: false)
    }

    /// Parses text that must already be in canonical form (Schemas/README.md §3): no
    /// whitespace, keys in ascending byte order, only the required escapes in their one
    /// form, no `-0`. Parsing succeeds exactly when encoding the value again would give the
    /// same bytes, so `verify` need not re-encode each envelope to compare.
    public init(parsingCanonical bytes: UnsafeRawBufferPointer) throws(JSONParseError) {
        self = try Self.parse(bytes, canonicalOnly: true)
    }

    private static func parse(_ bytes: [UInt8], canonicalOnly: Bool) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try JSONValue.parse(buffer, canonicalOnly: canonicalOnly) }
        }
        return try result.get()
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, canonicalOnly: Bool) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, canonicalOnly: canonicalOnly)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index != bytes.count { throw parser.error("unexpected text after the JSON value") }
        if let offset = parser.firstNonCanonical { throw JSONParseError(offset: offset, message: JSONParseError.nonCanonical) }
        return value
    }
}

/// Public, with its few hottest steps (``skip(_:)``, ``current``) `@inlinable`, only so that
/// those inline into the readers of other modules (an envelope's layout, a return's payload):
/// the compiler inlines no `package` function across modules, and each call cost more than the
/// bytes it compares. Everything else stays `package`.
public struct JSONParser {
    @usableFromInline package let bytes: UnsafeRawBufferPointer
    @usableFromInline package var index = 0
    package static let maxDepth = 64
    /// Whether to note departures from canonical form; the first one's offset, if any.
    package let canonicalOnly: Bool
    package var firstNonCanonical: Int?

    package init(bytes: UnsafeRawBufferPointer, canonicalOnly: Bool = false) {
        self.bytes = bytes
        self.canonicalOnly = canonicalOnly
    }

    package mutating func noteNonCanonical(at offset: Int) {
        if canonicalOnly, firstNonCanonical == nil { firstNonCanonical = offset }
    }

    package func error(_ message: String) -> JSONParseError { JSONParseError(offset: index, message: message) }

    /// Steps over `literal` when the bytes here are exactly it; answers whether they were. For
    /// the readers that walk one known layout key by key (a stored envelope, a return's payload):
    /// eight bytes at a time, where a call to `memcmp` for each short key cost more than the compare.
    @inlinable @inline(__always)
    public mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count, let base = bytes.baseAddress,
            Self.sameBytes(base + index, UnsafeRawPointer(literal.utf8Start), count: count)
        else { return false }
        index += count
        return true
    }

    /// Whether the `count` bytes at `a` and at `b` are the same: eight at a time, and the last
    /// few by one more load of the eight that end them (or of four, two and one, below eight),
    /// so that no byte is compared alone: keys and the strings met again are mostly 10 to 20 bytes.
    @inlinable @inline(__always)
    package static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        guard count >= 8 else {
            var offset = 0
            if count & 4 != 0 {
                guard a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self) else { return false }
                offset = 4
            }
            if count & 2 != 0 {
                guard a.loadUnaligned(fromByteOffset: offset, as: UInt16.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt16.self) else { return false }
                offset += 2
            }
            return count & 1 == 0 || a.load(fromByteOffset: offset, as: UInt8.self) == b.load(fromByteOffset: offset, as: UInt8.self)
        }
        var offset = 0
        while offset + 8 < count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        return a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }

    /// Steps over the string here when it is written as exactly `text`'s bytes with nothing to
    /// unescape (no quote, backslash or control character), so that it reads as `text`; answers
    /// whether it did. For the readers that expect a string seen just before (a stream id, a
    /// return's evidence reference), which then need no new `String`.
    package mutating func skipString(spelling text: String) -> Bool {
        // In place where the string's bytes are contiguous, as a native string's are: a copy to
        // call `withUTF8` on cost a retain and a release at every call.
        let end = text.utf8.withContiguousStorageIfAvailable { spelled(by: $0) } ?? {
            var text = text
            return text.withUTF8 { spelled(by: $0) }
        }()
        guard let end else { return false }
        index = end + 1
        return true
    }

    /// Where the closing quote is when the string here is written as exactly `utf8` with nothing
    /// to unescape; nil otherwise.
    private func spelled(by utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        let start = index + 1, end = start + utf8.count
        guard current == UInt8(ascii: "\""), end < bytes.count, bytes[end] == UInt8(ascii: "\""), let here = bytes.baseAddress.map({ $0 + start })
        else { return nil }
        // The same bytes; then read as themselves only if none of them is a quote, a backslash
        // or a control character: if so, the plain run stops before the closing quote.
        if let expected = UnsafeRawPointer(utf8.baseAddress) {
            guard Self.sameBytes(here, expected, count: utf8.count) else { return nil }
        }
        return plainRun(from: start).end == end ? end : nil
    }

    /// Where the plain run of a string's bytes from `start` ends: the first quote, backslash or
    /// control character, or the end of the bytes; and whether every byte before it is ASCII.
    /// Eight bytes at a time, each word tested for all three at once (a zero byte in the word
    /// xor the quote's or the backslash's repeated, a byte below 0x20), byte by byte only in the
    /// word where one is: most strings of an envelope are ids, names and references of 10 to 40
    /// plain bytes.
    package func plainRun(from start: Int) -> (end: Int, ascii: Bool) {
        guard let base = bytes.baseAddress else { return (start, true) }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var end = start, highBits: UInt64 = 0
        while end + 8 <= bytes.count {
            // Little-endian on any machine: the first byte is the lowest, where the count of
            // trailing zeros below finds it.
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: end, as: UInt64.self))
            let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
            // Each term is non-zero exactly when some byte of the word is such a byte (the high
            // bit of a byte at or above 0x80 is cleared by `~word`, so it is not "below 0x20").
            let stops = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)) & highs
            if stops != 0 {
                // The lowest byte marked is the first stop: a byte marked wrongly comes only
                // after a byte marked rightly (a borrow runs upwards). Only the bytes before it
                // count towards ASCII.
                let place = stops.trailingZeroBitCount / 8
                return (end + place, (highBits | (word & ~(UInt64.max << (8 * place)))) & highs == 0)
            }
            highBits |= word
            end += 8
        }
        var highByte: UInt8 = highBits & highs != 0 ? 0x80 : 0
        while end < bytes.count {
            let byte = base.load(fromByteOffset: end, as: UInt8.self)
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            highByte |= byte
            end += 1
        }
        return (end, highByte < 0x80)
    }

    @inlinable
    public var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    package mutating func skipWhitespace() {
        let start = index
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        if index != start { noteNonCanonical(at: start) }
    }

    package mutating func expect(_ literal: String, value: JSONValue) throws(JSONParseError) -> JSONValue {
        for expected in literal.utf8 {
            guard current == expected else { throw error("expected '\(literal)'") }
            index += 1
        }
        return value
    }

    package mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        guard let byte = current else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expect("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseInteger()
        case 0x21..<0x7F: throw error("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        default: throw error("unexpected byte 0x\(String(byte, radix: 16, uppercase: true))")
        }
    }

    package mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        let objectStart = index
        index += 1
        var members: [JSONObject.Member] = []
        // Canonical text has its keys in ascending byte order; while that holds, no key can
        // repeat and the members need no sorting.
        var ascending = true
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(JSONObject()) }
        members.reserveCapacity(8)
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after key \(DisplayText.quoted(key))") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            if ascending, let last = members.last, !JSONObject.precedes(last.key, key) {
                ascending = false
                noteNonCanonical(at: objectStart)
            }
            members.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                if ascending { return .object(JSONObject(sorted: members)) }
                return .object(try Self.sortedObject(members, objectStart: objectStart))
            default: throw error("expected ',' or '}' in object")
            }
        }
    }

    /// Sorts members that arrived out of canonical order, refusing a repeated key.
    package static func sortedObject(_ members: [JSONObject.Member], objectStart: Int) throws(JSONParseError) -> JSONObject {
        let sorted = members.sorted { JSONObject.precedes($0.key, $1.key) }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.key == next.key {
            throw JSONParseError(offset: objectStart, message: "duplicate key \(DisplayText.quoted(next.key))")
        }
        return JSONObject(sorted: sorted)
    }

    package mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']' in array")
            }
        }
    }

    package mutating func parseInteger() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = current == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let first = current, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw error("expected a digit")
        }
        if first == UInt8(ascii: "0"), index + 1 < bytes.count,
            bytes[index + 1] >= UInt8(ascii: "0"), bytes[index + 1] <= UInt8(ascii: "9")
        {
            throw error("leading zeros are not allowed")
        }
        var magnitude: Int64 = 0
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            magnitude = magnitude * 10 + Int64(byte - UInt8(ascii: "0"))
            guard magnitude <= JSONValue.maxSafeInteger else {
                throw JSONParseError(offset: start, message: "integer beyond ±(2^53 − 1); write large or exact values as strings")
            }
            index += 1
        }
        if let byte = current, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw JSONParseError(offset: start, message: "numbers must be integers; write decimal values as strings, e.g. \"0.25\"")
        }
        if negative, magnitude == 0 { noteNonCanonical(at: start) }
        return .integer(negative ? -magnitude : magnitude)
    }

    package mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        // Fast path: a string with no escapes, made straight from the buffer. ASCII needs no
        // validation; anything else is validated before it becomes a String.
        let start = index
        // A tight scan for the first byte that ends the fast path: a quote, a backslash or a
        // control character. The bytes' high bits are or-ed together to know if all are ASCII.
        if let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            let (end, ascii) = plainRun(from: start)
            index = end
            if end < bytes.count, base[end] == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(start: base + start, count: end - start)
                index += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw JSONParseError(offset: start, message: "string is not valid UTF-8")
                }
                return text
            }
            if end < bytes.count, base[end] < 0x20 { throw error("control character in string must be escaped") }
        }
        var utf8: [UInt8] = Array(bytes[start..<index])
        while true {
            guard let byte = current else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw error("string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw error("control character in string must be escaped")
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    package mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParseError) {
        guard let byte = current else { throw error("unterminated escape") }
        let escapeStart = index - 1
        index += 1
        switch byte {
        case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"):
            noteNonCanonical(at: escapeStart)  // canonical text writes "/" as it is
            utf8.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate in \\u escape")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error("unpaired surrogate in \\u escape")
            }
            // Canonical text uses \u only for control characters without a short form, in lowercase.
            let shortForm: Set<UInt32> = [0x08, 0x09, 0x0A, 0x0C, 0x0D]
            let written = bytes[escapeStart + 2..<escapeStart + 6]
            if scalar >= 0x20 || shortForm.contains(scalar) || written.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }) {
                noteNonCanonical(at: escapeStart)
            }
            utf8.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw error("unknown escape '\\\(Character(Unicode.Scalar(byte)))'")
        }
    }

    package mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("bad hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}

extension JSONParseError: CategorizedError {
    public var kind: String { "invalid-json" }
    public var category: ErrorCategory { .input }
}
