/// Text as svledger shows it to a person: on a terminal, or quoted in an error message.
/// Whatever a ledger holds, what is printed cannot move the cursor, clear the screen, retitle
/// the window or reorder what follows it (docs/rules.md, "Text on a terminal").
public enum DisplayText {
    /// Values longer than this many characters are shortened when an error message quotes them.
    public static let quotedLimit = 64
    /// How many characters of a shortened value are kept.
    public static let quotedPrefix = 40

    /// `text` safe to print on a terminal: every control character (C0, DEL, C1) is written as a
    /// visible escape (`\u{1B}` for ESC), and every invisible formatting character that can
    /// reorder or hide text (bidi controls and isolates, zero-width characters, the BOM, line
    /// and paragraph separators) as a visible mark (`<U+202E>`). With `keepingNewlines`, `\n`
    /// stays a line break (for a document printed whole). Nothing else changes, so applying it
    /// twice gives the same text.
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F || (keepingNewlines && $0 == 0x0A) }) { return text }
        if !text.unicodeScalars.contains(where: { needsEscape($0, keepingNewlines: keepingNewlines) }) { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar), !(keepingNewlines && scalar == "\n") {
                result.append(contentsOf: "\\u{\(hex(scalar))}".unicodeScalars)
            } else if isInvisibleFormat(scalar) {
                result.append(contentsOf: "<U+\(hex(scalar, width: 4))>".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// A value as an error message quotes it: in quotes and escaped, and when it is longer than
    /// ``quotedLimit`` characters only its first ``quotedPrefix`` followed by `…` and its size,
    /// so that a 50 MB value never makes a 50 MB error line: `"xxxx…" (52428800 bytes)`.
    public static func quoted(_ value: String) -> String {
        guard let prefix = shortened(value) else { return "\"\(escaped(value))\"" }
        return "\"\(escaped(prefix))…\" (\(value.utf8.count) bytes)"
    }

    /// As ``quoted(_:)``, without the quotes, for messages that name a value bare
    /// (`no contract LCC-2025-014`): `xxxx… (52428800 bytes)`.
    public static func excerpt(_ value: String) -> String {
        guard let prefix = shortened(value) else { return escaped(value) }
        return "\(escaped(prefix))… (\(value.utf8.count) bytes)"
    }

    /// The first ``quotedPrefix`` characters of a value longer than ``quotedLimit``, or `nil`.
    static func shortened(_ value: String) -> String? {
        if value.utf8.count <= quotedLimit { return nil }
        var count = 0
        var prefix = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            count += 1
            if count > quotedLimit { return String(prefix) }
            if count <= quotedPrefix { prefix.append(scalar) }
        }
        return nil
    }

    /// A line no longer than `limit` bytes: a longer one keeps its start, then `… (N bytes)`.
    /// The last guard of an error line, whatever the message quoted.
    public static func bounded(_ line: String, limit: Int = 4096) -> String {
        guard line.utf8.count > limit else { return line }
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in line.unicodeScalars {
            bytes += String(scalar).utf8.count
            if bytes > limit { break }
            kept.append(scalar)
        }
        return String(kept) + "… (\(line.utf8.count) bytes)"
    }

    /// A character by its code point, as messages name one they will not print: `U+202E`.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String { "U+" + hex(scalar, width: 4) }

    /// `n` and a noun that takes an s in the plural: "1 contract", "3 contracts".
    public static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// C0 controls, DEL and C1 controls.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Invisible characters that reorder or hide text: the Arabic letter mark, zero-width
    /// space, joiners and marks (U+200B–200F), line and paragraph separators and the bidi
    /// embeddings and overrides (U+2028–202E), the word joiner and invisible operators
    /// (U+2060–2064), the bidi isolates (U+2066–2069), and the zero-width no-break space or BOM
    /// (U+FEFF).
    public static func isInvisibleFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    static func needsEscape(_ scalar: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        (isControl(scalar) && !(keepingNewlines && scalar == "\n")) || isInvisibleFormat(scalar)
    }

    static func hex(_ scalar: Unicode.Scalar, width: Int = 1) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
