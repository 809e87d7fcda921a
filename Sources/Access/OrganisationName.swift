import LedgerValues

/// The organisation a supplier's grant names. A supplier sees the contracts whose awarded
/// supplier is exactly this text, and administrators read it in listings; so it must read as
/// what it is. Text that prints the same as another organisation's name, or hides part of
/// itself, is refused rather than shown.
extension AccessState {
    /// As the domain's names (docs/rules.md, "Limits on text"): at most 200 characters.
    public static let organisationLimit = 200

    /// Refuses an organisation name that is empty or too long; holds a control or invisible
    /// formatting character (NUL, a line feed, a bidi override); has white space at either end,
    /// white space other than the plain space, or two spaces in a row; mixes Latin letters with
    /// Cyrillic or Greek ones; or looks the same as a supplier already granted without being it.
    public func checkOrganisation(_ name: String) throws(AccessError) {
        let scalars = Array(name.unicodeScalars)
        func refuse(_ why: String) -> AccessError {
            AccessError(.invalidInput, "the supplier organisation \(DisplayText.quoted(name)) \(why)")
        }
        guard !scalars.isEmpty else { throw refuse("is empty") }
        guard scalars.count <= Self.organisationLimit else { throw refuse("is \(scalars.count) characters long; the limit is \(Self.organisationLimit)") }
        if let hidden = scalars.first(where: { DisplayText.isControl($0) || DisplayText.isInvisibleFormat($0) }) {
            throw refuse("holds \(DisplayText.codePoint(hidden)), a control or invisible character")
        }
        if let space = scalars.first(where: { $0.properties.isWhitespace && $0 != " " }) {
            throw refuse("holds \(DisplayText.codePoint(space)); only the plain space separates words")
        }
        if scalars.first == " " || scalars.last == " " { throw refuse("has a space at its start or end") }
        if name.contains("  ") { throw refuse("holds two spaces in a row") }
        let scripts = Set(scalars.compactMap(Self.letterScript))
        if scripts.count > 1 { throw refuse("mixes letters of \(scripts.sorted().joined(separator: " and ")), which can pass for one another") }
        let skeleton = Self.skeleton(name)
        for grant in grants {
            guard let other = grant.supplier, !other.sameBytes(as: name), Self.skeleton(other) == skeleton else { continue }
            throw refuse("looks the same as \(DisplayText.quoted(other)), already granted to \(grant.account), without being the same text; use that name exactly")
        }
    }

    /// The script of a letter, for the three whose capitals pass for one another.
    static func letterScript(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: "Latin"
        case 0x370...0x3FF: "Greek"
        case 0x400...0x52F: "Cyrillic"
        default: nil
        }
    }

    /// What a name looks like: case folded, with the Cyrillic and Greek letters that print as
    /// Latin ones replaced by them.
    static func skeleton(_ name: String) -> String {
        let lookalikes: [Character: Character] = [
            "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
            "і": "i", "ј": "j", "ѕ": "s", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
            "υ": "u", "χ": "x", "ζ": "z", "η": "n", "μ": "m",
        ]
        return String(name.lowercased().map { lookalikes[$0] ?? $0 })
    }
}
