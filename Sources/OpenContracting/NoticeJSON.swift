import LedgerValues

/// A published OCDS document as read: like `JSONValue`, but a number keeps its literal text.
///
/// The ledger's own JSON refuses fractions (it writes decimals as strings), while OCDS writes
/// amounts as JSON numbers (`"amount": 1250000.50`). Keeping the digits as written lets the import
/// read them into exact decimals and money, never through a binary floating point.
public indirect enum NoticeJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as the document wrote it, e.g. `1250000.50` or `-3`.
    case number(String)
    case string(String)
    case array([NoticeJSON])
    /// Members in the document's order (duplicate keys are refused when reading).
    case object([(key: String, value: NoticeJSON)])

    public static func == (lhs: NoticeJSON, rhs: NoticeJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    public subscript(key: String) -> NoticeJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var array: [NoticeJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var members: [(key: String, value: NoticeJSON)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A plain name of the value's JSON type, for messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension NoticeJSON {
    /// Parses JSON text, keeping numbers' text. Strings, escapes and whitespace are read by the
    /// ledger's own parser (`JSONParser`), so text is held to the same rules (valid UTF-8,
    /// no unescaped control characters) and nesting to the same depth.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> NoticeJSON in
                var parser = JSONParser(bytes: buffer)
                parser.skipWhitespace()
                let value = try Self.value(&parser, depth: 0)
                parser.skipWhitespace()
                if parser.index != buffer.count { throw parser.error("unexpected text after the JSON value") }
                return value
            }
        }
        self = try result.get()
    }

    private static func value(_ parser: inout JSONParser, depth: Int) throws(JSONParseError) -> NoticeJSON {
        guard depth < JSONParser.maxDepth else { throw parser.error("nested deeper than \(JSONParser.maxDepth) levels") }
        guard let byte = parser.current else { throw parser.error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try object(&parser, depth: depth)
        case UInt8(ascii: "["): return try array(&parser, depth: depth)
        case UInt8(ascii: "\""): return .string(try parser.parseString())
        case UInt8(ascii: "t"): try literal(&parser, "true"); return .bool(true)
        case UInt8(ascii: "f"): try literal(&parser, "false"); return .bool(false)
        case UInt8(ascii: "n"): try literal(&parser, "null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number(&parser))
        default: throw parser.error("unexpected character")
        }
    }

    private static func literal(_ parser: inout JSONParser, _ word: String) throws(JSONParseError) {
        for expected in word.utf8 {
            guard parser.current == expected else { throw parser.error("expected \(word)") }
            parser.index += 1
        }
    }

    private static func object(_ parser: inout JSONParser, depth: Int) throws(JSONParseError) -> NoticeJSON {
        parser.index += 1
        var members: [(key: String, value: NoticeJSON)] = []
        var seen = Set<String>()
        parser.skipWhitespace()
        if parser.current == UInt8(ascii: "}") {
            parser.index += 1
            return .object(members)
        }
        while true {
            parser.skipWhitespace()
            guard parser.current == UInt8(ascii: "\"") else { throw parser.error("expected a member name in quotes") }
            let keyOffset = parser.index
            let key = try parser.parseString()
            // Two values for one field would make the import pick one silently.
            guard seen.insert(key).inserted else {
                parser.index = keyOffset
                throw parser.error("duplicate key \(DisplayText.quoted(key))")
            }
            parser.skipWhitespace()
            guard parser.current == UInt8(ascii: ":") else { throw parser.error("expected ':' after a member name") }
            parser.index += 1
            parser.skipWhitespace()
            members.append((key, try value(&parser, depth: depth + 1)))
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: ",") { parser.index += 1; continue }
            guard parser.current == UInt8(ascii: "}") else { throw parser.error("expected ',' or '}'") }
            parser.index += 1
            return .object(members)
        }
    }

    private static func array(_ parser: inout JSONParser, depth: Int) throws(JSONParseError) -> NoticeJSON {
        parser.index += 1
        var elements: [NoticeJSON] = []
        parser.skipWhitespace()
        if parser.current == UInt8(ascii: "]") {
            parser.index += 1
            return .array(elements)
        }
        while true {
            parser.skipWhitespace()
            elements.append(try value(&parser, depth: depth + 1))
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: ",") { parser.index += 1; continue }
            guard parser.current == UInt8(ascii: "]") else { throw parser.error("expected ',' or ']'") }
            parser.index += 1
            return .array(elements)
        }
    }

    /// A number's text, checked against JSON's grammar (no leading zeros, no bare '.').
    private static func number(_ parser: inout JSONParser) throws(JSONParseError) -> String {
        let start = parser.index
        func digits(_ parser: inout JSONParser) -> Int {
            var count = 0
            while let byte = parser.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                parser.index += 1
                count += 1
            }
            return count
        }
        if parser.current == UInt8(ascii: "-") { parser.index += 1 }
        let integerStart = parser.index
        let integerDigits = digits(&parser)
        guard integerDigits > 0 else { throw parser.error("expected a digit") }
        if integerDigits > 1, parser.bytes[integerStart] == UInt8(ascii: "0") {
            parser.index = integerStart
            throw parser.error("leading zeros are not allowed")
        }
        if parser.current == UInt8(ascii: ".") {
            parser.index += 1
            guard digits(&parser) > 0 else { throw parser.error("expected a digit after the decimal point") }
        }
        if parser.current == UInt8(ascii: "e") || parser.current == UInt8(ascii: "E") {
            parser.index += 1
            if parser.current == UInt8(ascii: "+") || parser.current == UInt8(ascii: "-") { parser.index += 1 }
            guard digits(&parser) > 0 else { throw parser.error("expected a digit in the exponent") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: parser.bytes[start..<parser.index]), as: UTF8.self)
    }
}
