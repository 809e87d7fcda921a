import LedgerValues

extension OCDSValue {
    /// Parses a published document, keeping numbers' text and members' order. Strings, escapes
    /// and whitespace are read by the ledger's own parser (`JSONParser`), so text is held to the
    /// same rules (valid UTF-8, no unescaped control characters) and nesting to the same depth.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> OCDSValue in
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

    private static func value(_ parser: inout JSONParser, depth: Int) throws(JSONParseError) -> OCDSValue {
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

    private static func object(_ parser: inout JSONParser, depth: Int) throws(JSONParseError) -> OCDSValue {
        var members: [Member] = []
        var seen = Set<String>()
        try items(&parser, close: "}") { (parser) throws(JSONParseError) in
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
            members.append(Member(key, try value(&parser, depth: depth + 1)))
        }
        return .object(members)
    }

    private static func array(_ parser: inout JSONParser, depth: Int) throws(JSONParseError) -> OCDSValue {
        var elements: [OCDSValue] = []
        try items(&parser, close: "]") { (parser) throws(JSONParseError) in elements.append(try value(&parser, depth: depth + 1)) }
        return .array(elements)
    }

    /// The comma-separated items of an object or array, from its opening bracket past `close`,
    /// each read by `item` from its first character.
    private static func items(
        _ parser: inout JSONParser, close: Unicode.Scalar, _ item: (inout JSONParser) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        parser.index += 1
        parser.skipWhitespace()
        if parser.current == UInt8(ascii: close) {
            parser.index += 1
            return
        }
        while true {
            parser.skipWhitespace()
            try item(&parser)
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: ",") { parser.index += 1; continue }
            guard parser.current == UInt8(ascii: close) else { throw parser.error("expected ',' or '\(close)'") }
            parser.index += 1
            return
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
